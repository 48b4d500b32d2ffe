package dev.modelsel.engine.replication;

import dev.modelsel.engine.availability.AvailabilityRecord;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three replicators in one JVM, each with its own embedded media driver, talking over loopback UDP: the replicator's
 * logic end to end on real Aeron, over in-memory stores and over two shared tables that keep SPEC §6's versions
 * themselves. (Real processes in network namespaces: {@code ReplicationNamespacesIT}.)
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
        final int[] ports = Loopback.freePorts(3);
        final InMemoryReplicaStore[] stores = new InMemoryReplicaStore[3];
        final Replicator[] replicators = new Replicator[3];
        for (int i = 0; i < 3; i++)
        {
            stores[i] = new InMemoryReplicaStore("host-" + i);
            replicators[i] = replicator(i, ports, stores[i], KEY);
        }

        stores[0].setRateLimited("gpt-4o", System.currentTimeMillis() + 60_000);
        Loopback.await(replicators, () -> stores[2].get("gpt-4o") != null &&
            stores[2].get("gpt-4o").cooldownUntilMs() != AvailabilityRecord.NO_COOLDOWN);
        assertEquals("host-0", stores[2].get("gpt-4o").cooldownHost());

        stores[1].setUp("gpt-4o");
        Loopback.await(replicators, () -> stores[0].get("gpt-4o").cooldownUntilMs() == AvailabilityRecord.NO_COOLDOWN &&
            stores[2].get("gpt-4o").cooldownUntilMs() == AvailabilityRecord.NO_COOLDOWN);
        Loopback.await(replicators, () -> stores[0].snapshot().equals(stores[1].snapshot()) &&
            stores[1].snapshot().equals(stores[2].snapshot()));
        assertTrue(log.stream().anyMatch(line -> line.contains("peer host-0 joined")), log.toString());
    }

    /**
     * A model's first write is a change like any other: sent at once, not left to the next snapshot (ten minutes away
     * here). The change ring tells only a hash, which names no model the replicator knows yet, so it must read the
     * whole store to find it.
     */
    @Test
    void shouldSendTheFirstWriteOfAModelAtOnceNotWithTheNextSnapshot() throws Exception
    {
        final int[] ports = Loopback.freePorts(2);
        final InMemoryReplicaStore[] stores = {new InMemoryReplicaStore("host-0"), new InMemoryReplicaStore("host-1")};
        final Replicator[] replicators = new Replicator[2];
        for (int i = 0; i < 2; i++)
        {
            replicators[i] = replicator(i, ports, stores[i], KEY, 600_000);
        }
        // Connected: a model host 0's replicator knows (from its first scan), written every 10 ms until one arrives.
        stores[0].setDown("known");
        final int[] rounds = {0};
        Loopback.await(replicators, () ->
        {
            if (++rounds[0] % 10 == 0)
            {
                if (rounds[0] % 20 == 0)
                {
                    stores[0].setDown("known");
                }
                else
                {
                    stores[0].setUp("known");
                }
            }
            return stores[1].get("known") != null;
        });
        final long snapshotsBefore = replicators[0].stats().snapshots;

        stores[0].setDown("never-written-before");
        Loopback.await(replicators, () -> stores[1].get("never-written-before") != null);
        assertEquals(snapshotsBefore, replicators[0].stats().snapshots, "it came without a snapshot");
    }

    @Test
    void shouldDropAForgedMessageAndChangeNothing() throws Exception
    {
        final int[] ports = Loopback.freePorts(2);
        final InMemoryReplicaStore honest = new InMemoryReplicaStore("host-0");
        final InMemoryReplicaStore forger = new InMemoryReplicaStore("host-1");
        final Replicator[] replicators = {
            replicator(0, ports, honest, KEY),
            replicator(1, ports, forger, "not-the-cluster-key-at-all".getBytes(StandardCharsets.US_ASCII))};

        forger.setDown("gpt-4o");
        Loopback.await(replicators, () -> replicators[0].stats().messagesDropped > 0);
        assertEquals(null, honest.get("gpt-4o"));
        assertTrue(log.stream().anyMatch(line -> line.contains("its MAC does not match the cluster key")), log.toString());
    }

    @Test
    void shouldConvergeTwoSharedTablesAndResumeFromTheTableAfterARestart() throws Exception
    {
        final int[] ports = Loopback.freePorts(2);
        try (SharedAvailabilityTable a = SharedAvailabilityTable.open(directory.resolve("a.table"));
            SharedAvailabilityTable b = SharedAvailabilityTable.open(directory.resolve("b.table")))
        {
            a.hostId("host-0");
            b.hostId("host-1");
            final Replicator[] replicators = {
                replicator(0, ports, new TableReplicaStore(a), KEY),
                replicator(1, ports, new TableReplicaStore(b), KEY)};
            final AvailabilityRecord record = new AvailabilityRecord();
            final ReplicatedRecord onA = new ReplicatedRecord();
            final ReplicatedRecord onB = new ReplicatedRecord();

            final long deadline = System.currentTimeMillis() + 60_000;
            a.setRateLimited("gpt-4o", deadline);
            Loopback.await(replicators, () -> b.read("gpt-4o", record) && record.cooldownUntilMs() == deadline);
            assertTrue(b.readReplicated("gpt-4o", onB) && a.readReplicated("gpt-4o", onA) && onB.sameAs(onA),
                "B holds A's record, versions and all: " + onB);
            assertEquals("host-0", onB.cooldownHost());
            assertTrue(b.clock() >= onA.cooldownClock(), "B's clock observed A's version");

            b.setDown("claude-3-haiku");
            b.setUp("gpt-4o");
            Loopback.await(replicators, () -> a.read("gpt-4o", record) && !record.hasCooldown() &&
                a.read("claude-3-haiku", record) && record.down());
            a.readReplicated("gpt-4o", onA);
            assertEquals("host-1", onA.epochHost(), "B's set_up began the epoch that cleared A's cooldown");

            // A's replicator dies; A's writers go on; a new replicator over the same table knows nothing but the table.
            final Replicator[] onlyB = {replicators[1]};
            a.setDown("gpt-4o");
            a.setRateLimited("claude-3-haiku", deadline);
            for (int i = 0; i < 50; i++)
            {
                onlyB[0].doWork(System.currentTimeMillis());
            }
            assertFalse(b.read("gpt-4o", record) && record.down(), "nothing carries A's writes meanwhile");
            final Replicator[] restarted = {
                new Replicator(config(0, ports, KEY), new TableReplicaStore(a), transports.get(0),
                    line -> log.add("host-0 (restarted): " + line)), replicators[1]};
            Loopback.await(restarted, () -> b.read("gpt-4o", record) && record.down() &&
                b.read("claude-3-haiku", record) && record.cooldownUntilMs() == deadline && record.down());
            final Map<String, String> recordsOfA = new TreeMap<>();
            final Map<String, String> recordsOfB = new TreeMap<>();
            Loopback.await(restarted, () ->
            {
                recordsOfA.clear();
                recordsOfB.clear();
                a.forEachReplicated((id, r) -> recordsOfA.put(id, r.toString()));
                b.forEachReplicated((id, r) -> recordsOfB.put(id, r.toString()));
                return recordsOfA.equals(recordsOfB);
            });
            assertEquals(2, recordsOfA.size(), recordsOfA.toString());
        }
    }

    /**
     * A table larger than a peer's stream holds unacknowledged (half its 64 KiB term) goes out whole: what a peer has
     * no room for is offered again in a later round. Dropped instead, the same tail was lost in every snapshot and
     * never reached the peer (432 of 1,000 models arrived, at any snapshot count).
     */
    @Test
    void shouldCarryASnapshotLargerThanAStreamHoldsWhole() throws Exception
    {
        final int[] ports = Loopback.freePorts(2);
        final InMemoryReplicaStore[] stores = {new InMemoryReplicaStore("host-0"), new InMemoryReplicaStore("host-1")};
        final int models = 3_000;
        for (int m = 0; m < models; m++)
        {
            stores[0].setDown(String.format("provider-model-%011d", m)); // 26 characters
        }
        final Replicator[] replicators = {replicator(0, ports, stores[0], KEY), replicator(1, ports, stores[1], KEY)};
        Loopback.await(replicators, () -> stores[1].snapshot().size() == models);
        assertEquals(stores[0].snapshot(), stores[1].snapshot());
    }

    /**
     * A local write made while a peer's record is being merged is this host's own, to be sent: the replicator must
     * remember the record as the merge left it, not as a read afterwards finds it (then with the local write in).
     */
    @Test
    void shouldSendALocalWriteMadeJustAfterAMerge() throws Exception
    {
        final int[] ports = Loopback.freePorts(2);
        final InMemoryReplicaStore first = new InMemoryReplicaStore("host-0");
        final boolean[] written = {false};
        final InMemoryReplicaStore second = new InMemoryReplicaStore("host-1")
        {
            @Override
            public synchronized int merge(final String modelId, final ReplicatedRecord received,
                final ReplicatedRecord merged)
            {
                final int changed = super.merge(modelId, received, merged);
                if (changed != 0 && !written[0])
                {
                    written[0] = true;
                    setDown(modelId); // another process's write, right after the merge released the record
                }
                return changed;
            }
        };
        final Replicator[] replicators = {replicator(0, ports, first, KEY, 600_000),
            replicator(1, ports, second, KEY, 600_000)};
        final int[] rounds = {0};
        Loopback.await(replicators, () ->
        {
            if (++rounds[0] % 10 == 0 && !written[0]) // until connected; the snapshots are ten minutes apart
            {
                first.setRateLimited("gpt-4o", System.currentTimeMillis() + 60_000);
            }
            return first.get("gpt-4o") != null && first.get("gpt-4o").down();
        });
        assertEquals("host-1", first.get("gpt-4o").flagHost());
    }

    /** A store that fails (a damaged or stuck table) ends the replicator's loop rather than being skipped per message. */
    @Test
    void shouldStopWhenTheStoreFailsToMerge() throws Exception
    {
        final int[] ports = Loopback.freePorts(2);
        final InMemoryReplicaStore first = new InMemoryReplicaStore("host-0");
        final InMemoryReplicaStore failing = new InMemoryReplicaStore("host-1")
        {
            @Override
            public synchronized int merge(final String modelId, final ReplicatedRecord received,
                final ReplicatedRecord merged)
            {
                throw new IllegalStateException("a segment stays locked");
            }
        };
        final Replicator[] replicators = {replicator(0, ports, first, KEY), replicator(1, ports, failing, KEY)};
        first.setDown("gpt-4o");
        final IllegalStateException stopped = assertThrows(IllegalStateException.class,
            () -> Loopback.await(replicators, () -> false));
        assertEquals("a segment stays locked", stopped.getMessage());
    }

    /** A table deleted under the replicator is no longer the host's: it stops and says so, rather than carry on. */
    @Test
    void shouldStopWhenItsTableIsDeleted() throws Exception
    {
        final int[] ports = Loopback.freePorts(2);
        final Path path = directory.resolve("deleted.table");
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            final Replicator[] replicators = {replicator(0, ports, new TableReplicaStore(table), KEY),
                replicator(1, ports, new InMemoryReplicaStore("host-1"), KEY)};
            replicators[0].doWork(System.currentTimeMillis());
            java.nio.file.Files.delete(path);
            final IllegalStateException stopped = assertThrows(IllegalStateException.class,
                () -> Loopback.await(replicators, () -> false));
            assertTrue(stopped.getMessage().contains("was deleted") &&
                stopped.getMessage().contains("start the replicator again"), stopped.getMessage());
        }
    }

    /**
     * The replicator's one thread runs the embedded driver and the client's conductor too: a stall longer than
     * Aeron's default liveness timeouts (10 s: a merge waiting on a lock, a slow disk) must not end replication.
     */
    @Test
    void shouldGoOnAfterTheLoopStallsLongerThanAeronsDefaultTimeouts() throws Exception
    {
        final int[] ports = Loopback.freePorts(2);
        final InMemoryReplicaStore first = new InMemoryReplicaStore("host-0");
        final boolean[] stalled = {false};
        final InMemoryReplicaStore stalling = new InMemoryReplicaStore("host-1")
        {
            @Override
            public int merge(final String modelId, final ReplicatedRecord received, final ReplicatedRecord merged)
            {
                if (!stalled[0])
                {
                    stalled[0] = true;
                    try
                    {
                        Thread.sleep(11_000);
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.merge(modelId, received, merged);
            }
        };
        final Replicator[] replicators = {replicator(0, ports, first, KEY), replicator(1, ports, stalling, KEY)};
        first.setDown("before-the-stall");
        Loopback.await(replicators, () -> stalled[0]);
        first.setDown("after-the-stall");
        Loopback.await(replicators, () -> stalling.get("after-the-stall") != null);
        assertTrue(stalling.get("before-the-stall").down());
    }

    private Replicator replicator(final int index, final int[] ports, final ReplicaStore store, final byte[] key)
    {
        return replicator(index, ports, store, key, 100);
    }

    private Replicator replicator(final int index, final int[] ports, final ReplicaStore store, final byte[] key,
        final long snapshotIntervalMs)
    {
        final ClusterConfig config = config(index, ports, key, snapshotIntervalMs);
        final AeronTransport transport = AeronTransport.start(config, directory.resolve("aeron-" + index),
            event -> log.add("host-" + index + " " + event));
        transports.add(transport);
        return new Replicator(config, store, transport, line -> log.add("host-" + index + ": " + line));
    }

    private static ClusterConfig config(final int index, final int[] ports, final byte[] key)
    {
        return config(index, ports, key, 100);
    }

    private static ClusterConfig config(final int index, final int[] ports, final byte[] key,
        final long snapshotIntervalMs)
    {
        final List<ClusterConfig.Endpoint> peers = new ArrayList<>();
        for (int i = 0; i < ports.length; i++)
        {
            if (i != index)
            {
                peers.add(new ClusterConfig.Endpoint("127.0.0.1", ports[i]));
            }
        }
        return new ClusterConfig("test", "host-" + index, new ClusterConfig.Endpoint("127.0.0.1", ports[index]), peers,
            null, null, "KEY", key, snapshotIntervalMs, null);
    }
}
