package dev.modelsel.engine.replication;

import dev.modelsel.engine.availability.AvailabilityRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three replicators in one JVM, each with its own embedded media driver, talking over loopback UDP: the replicator's
 * logic end to end on real Aeron. (Real processes in network namespaces: {@code ReplicationNamespacesIT}.)
 */
class ReplicatorLoopbackTest
{
    private static final byte[] KEY = "loopback-test-cluster-key".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path directory;

    private final List<AeronTransport> transports = new ArrayList<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close()
    {
        transports.forEach(AeronTransport::close);
    }

    @Test
    void shouldCarryAWriteToEveryHostAndLetSetUpClearItEverywhere() throws Exception
    {
        final int[] ports = freePorts(3);
        final InMemoryReplicaStore[] stores = new InMemoryReplicaStore[3];
        final Replicator[] replicators = new Replicator[3];
        for (int i = 0; i < 3; i++)
        {
            stores[i] = new InMemoryReplicaStore("host-" + i);
            replicators[i] = replicator(i, ports, stores[i], KEY);
        }

        stores[0].setRateLimited("gpt-4o", System.currentTimeMillis() + 60_000);
        await(replicators, () -> stores[2].get("gpt-4o") != null &&
            stores[2].get("gpt-4o").cooldownUntilMs() != AvailabilityRecord.NO_COOLDOWN);
        assertEquals("host-0", stores[2].get("gpt-4o").cooldownHost());

        stores[1].setUp("gpt-4o");
        await(replicators, () -> stores[0].get("gpt-4o").cooldownUntilMs() == AvailabilityRecord.NO_COOLDOWN &&
            stores[2].get("gpt-4o").cooldownUntilMs() == AvailabilityRecord.NO_COOLDOWN);
        await(replicators, () -> stores[0].snapshot().equals(stores[1].snapshot()) &&
            stores[1].snapshot().equals(stores[2].snapshot()));
        assertTrue(log.stream().anyMatch(line -> line.contains("peer host-0 joined")), log.toString());
    }

    @Test
    void shouldDropAForgedMessageAndChangeNothing() throws Exception
    {
        final int[] ports = freePorts(2);
        final InMemoryReplicaStore honest = new InMemoryReplicaStore("host-0");
        final InMemoryReplicaStore forger = new InMemoryReplicaStore("host-1");
        final Replicator[] replicators = {
            replicator(0, ports, honest, KEY),
            replicator(1, ports, forger, "not-the-cluster-key-at-all".getBytes(StandardCharsets.US_ASCII))};

        forger.setDown("gpt-4o");
        await(replicators, () -> replicators[0].stats().messagesDropped > 0);
        assertEquals(null, honest.get("gpt-4o"));
        assertTrue(log.stream().anyMatch(line -> line.contains("its MAC does not match the cluster key")), log.toString());
    }

    private Replicator replicator(final int index, final int[] ports, final ReplicaStore store, final byte[] key)
    {
        final List<ClusterConfig.Endpoint> peers = new ArrayList<>();
        for (int i = 0; i < ports.length; i++)
        {
            if (i != index)
            {
                peers.add(new ClusterConfig.Endpoint("127.0.0.1", ports[i]));
            }
        }
        final ClusterConfig config = new ClusterConfig("test", "host-" + index,
            new ClusterConfig.Endpoint("127.0.0.1", ports[index]), peers, null, null, "KEY", key, 100, null);
        final AeronTransport transport = AeronTransport.start(config, directory.resolve("aeron-" + index),
            event -> log.add("host-" + index + " " + event));
        transports.add(transport);
        return new Replicator(config, store, transport, line -> log.add("host-" + index + ": " + line));
    }

    private static void await(final Replicator[] replicators, final BooleanSupplier condition)
        throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("not reached in 20 s");
            }
            for (final Replicator replicator : replicators)
            {
                replicator.doWork(System.currentTimeMillis());
            }
            Thread.sleep(1);
        }
    }

    private static int[] freePorts(final int count) throws SocketException
    {
        final int[] ports = new int[count];
        final DatagramSocket[] sockets = new DatagramSocket[count];
        for (int i = 0; i < count; i++)
        {
            sockets[i] = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            ports[i] = sockets[i].getLocalPort();
        }
        for (final DatagramSocket socket : sockets)
        {
            socket.close();
        }
        return ports;
    }
}
