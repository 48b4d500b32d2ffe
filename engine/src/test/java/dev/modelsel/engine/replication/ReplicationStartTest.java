package dev.modelsel.engine.replication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What stops a replicator from starting is said in one line, and leaves nothing held. */
class ReplicationStartTest
{
    private static final byte[] KEY = "start-test-cluster-key-0123456789".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path directory;

    @Test
    void shouldSayInOneLineThatItsPortIsInUseAndHoldNothing() throws Exception
    {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            final ClusterConfig config = config(taken.getLocalPort());
            final Path table = directory.resolve("availability.table");
            final ReplicationStartException refused = assertThrows(ReplicationStartException.class, () ->
                ClusterReplication.start(config, table, new InMemoryReplicaStore("host-a"), null, line -> { }));
            assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
            assertTrue(refused.getMessage().toLowerCase().contains("in use") ||
                refused.getMessage().toLowerCase().contains("bind"), refused.getMessage());

            // Nothing held: the table's replicator lock can be taken again (acquire throws while it is held).
            ReplicatorLock.acquire(table).close();
        }
    }

    @Test
    void shouldRefuseASecondReplicatorForOneTableNamingTheFirst() throws Exception
    {
        final Path table = directory.resolve("availability.table");
        try (ReplicatorLock first = ReplicatorLock.acquire(table))
        {
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ReplicatorLock.acquire(table));
            assertTrue(refused.getMessage().contains("pid " + ProcessHandle.current().pid()), refused.getMessage());
        }
    }

    private static ClusterConfig config(final int port)
    {
        return new ClusterConfig("test", "host-a", new ClusterConfig.Endpoint("127.0.0.1", port),
            List.of(new ClusterConfig.Endpoint("127.0.0.1", 9)), null, null, "KEY", KEY, 1_000, null);
    }
}
