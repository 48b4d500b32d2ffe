package dev.modelsel.engine.availability;

import dev.modelsel.engine.replication.HostId;
import dev.modelsel.engine.replication.HybridClock;
import dev.modelsel.engine.replication.ReplicatedRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.modelsel.engine.replication.ReplicatedRecord.COOLDOWN_CHANGED;
import static dev.modelsel.engine.replication.ReplicatedRecord.FLAG_CHANGED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §6's versions kept in the table (layout 3): every local write stamps the host's clock and id from PATH.seq as
 * {@link ReplicatedRecord}'s writes do, a merge is {@link ReplicatedRecord#merge} under the segment lock, and the
 * host's clock stays above every version written or received.
 */
class TableVersionsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldStampEachLocalWriteAsSpecSixSays() throws IOException
    {
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(dir.resolve("t.table")))
        {
            final String host = table.hostId();
            assertEquals(HostId.ofThisHost(), host, "the creator's default");
            final long startClock = HybridClock.at(System.currentTimeMillis());
            final ReplicatedRecord r = new ReplicatedRecord();

            table.setDown("m");
            assertTrue(table.readReplicated("m", r));
            assertTrue(r.down() && host.equals(r.flagHost()) && r.flagClock() >= startClock, r.toString());
            assertEquals(table.clock(), r.flagClock(), "the host's clock is the last version it made");
            assertEquals(HybridClock.ZERO, r.epochClock(), "never set up: the first epoch");
            final long firstDown = r.flagClock();

            table.setDown("m");
            table.readReplicated("m", r);
            assertTrue(r.flagClock() > firstDown, "down again: a new version");

            assertEquals(5_000, table.setRateLimited("m", 5_000));
            table.readReplicated("m", r);
            assertTrue(r.down() && r.cooldownUntilMs() == 5_000 && r.cooldownClock() > r.flagClock(), r.toString());
            final long deadlineSet = r.cooldownClock();
            table.setRateLimited("m", 4_000);
            table.readReplicated("m", r);
            assertEquals(deadlineSet, r.cooldownClock(), "an earlier deadline is no write");

            table.clearDown("m");
            table.readReplicated("m", r);
            assertTrue(!r.down() && r.flagClock() > deadlineSet && r.cooldownUntilMs() == 5_000, r.toString());
            final long cleared = r.flagClock();
            table.clearDown("m");
            table.readReplicated("m", r);
            assertEquals(cleared, r.flagClock(), "up already: no write");

            table.setUp("m");
            table.readReplicated("m", r);
            assertTrue(!r.down() && r.cooldownUntilMs() == AvailabilityRecord.NO_COOLDOWN, r.toString());
            assertTrue(r.epochClock() > cleared && r.epochClock() == r.flagClock() &&
                r.epochClock() == r.cooldownClock() && host.equals(r.epochHost()) && host.equals(r.cooldownHost()),
                "a new epoch, the set_up's version: " + r);

            assertFalse(table.readReplicated("unknown", r));
            assertTrue(r.sameAs(new ReplicatedRecord()));
        }
    }

    @Test
    void shouldStampTheHostIdSetFromThenOnAndKeepEarlierVersions() throws IOException
    {
        final Path path = dir.resolve("t.table");
        final String original;
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            original = table.hostId();
            table.setDown("before");
            table.hostId("worker-b");
            assertEquals("worker-b", table.hostId());
            table.setDown("after");
            table.hostId("worker-b"); // the same id again: nothing to publish

            final ReplicatedRecord before = new ReplicatedRecord();
            final ReplicatedRecord after = new ReplicatedRecord();
            table.readReplicated("before", before);
            table.readReplicated("after", after);
            assertEquals(original, before.flagHost(), "a version written under the old id stays as it was");
            assertEquals("worker-b", after.flagHost());
            assertTrue(after.flagClock() > before.flagClock(), "the clock goes on: later writes order after");

            assertThrows(IllegalArgumentException.class, () -> table.hostId("has spaces"));
            assertThrows(IllegalArgumentException.class, () -> table.hostId("x".repeat(HostId.MAX_LENGTH + 1)));
            assertThrows(IllegalArgumentException.class, () -> table.hostId(""));
            assertEquals("worker-b", table.hostId());
        }
        final ByteBuffer sequence = ByteBuffer.wrap(Files.readAllBytes(ChronicleAvailabilityMap.sequencePath(path)))
            .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, sequence.getLong(SharedTableDescriptor.HOST_ID_GENERATION_OFFSET), "published once");
        final byte[] slot1 = new byte[SharedTableDescriptor.HOST_ID_SLOT_LENGTH];
        sequence.get(SharedTableDescriptor.HOST_ID_SLOT_0_OFFSET + SharedTableDescriptor.HOST_ID_SLOT_LENGTH, slot1);
        assertEquals("worker-b" + "\0".repeat(24), new String(slot1, StandardCharsets.US_ASCII));
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertEquals("worker-b", table.hostId(), "kept in PATH.seq for every process");
        }
    }

    @Test
    void shouldReadADamagedHostIdAsThisHostsDefault() throws IOException
    {
        final Path path = dir.resolve("t.table");
        SharedAvailabilityTable.open(path).close();
        final Path sequence = ChronicleAvailabilityMap.sequencePath(path);
        final byte[] bytes = Files.readAllBytes(sequence);
        bytes[SharedTableDescriptor.HOST_ID_SLOT_0_OFFSET] = ' ';
        Files.write(sequence, bytes);
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertEquals(HostId.ofThisHost(), table.hostId());
            table.setDown("m");
            final ReplicatedRecord r = new ReplicatedRecord();
            assertTrue(table.readReplicated("m", r) && HostId.ofThisHost().equals(r.flagHost()), r.toString());
            table.hostId(HostId.ofThisHost());
        }
        assertEquals(1, ByteBuffer.wrap(Files.readAllBytes(sequence)).order(ByteOrder.LITTLE_ENDIAN)
            .getLong(SharedTableDescriptor.HOST_ID_GENERATION_OFFSET), "setting the id it reads as repairs the slot");
    }

    @Test
    void shouldMergeAsSpecSixAnnounceOnlyChangesAndKeepTheClockAboveWhatItReceived() throws IOException
    {
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(dir.resolve("t.table")))
        {
            table.setRateLimited("m", 5_000);
            final long ahead = HybridClock.at(System.currentTimeMillis() + 3_600_000); // a peer's clock an hour ahead
            final ReplicatedRecord received = new ReplicatedRecord().set(true, ahead, "peer", HybridClock.ZERO,
                HostId.NONE, 9_000, ahead + 1, "peer");
            final long sequence = table.changeSequence();
            assertEquals(FLAG_CHANGED | COOLDOWN_CHANGED, table.merge("m", received));
            assertEquals(sequence + 1, table.changeSequence(), "announced as any write");
            final AvailabilityRecord record = new AvailabilityRecord();
            assertTrue(table.read("m", record) && record.down() && record.cooldownUntilMs() == 9_000,
                record.toString());
            assertEquals(2, record.changes());
            assertEquals(ProcessHandle.current().pid(), record.writerPid());
            assertTrue(table.clock() >= ahead + 1, "the host's clock observed the peer's");

            assertEquals(0, table.merge("m", received), "the same again: nothing new");
            assertEquals(0, table.merge("m", new ReplicatedRecord().set(false, ahead - 1, "peer", HybridClock.ZERO,
                HostId.NONE, 1_000, ahead - 1, "peer")), "older on both parts");
            assertEquals(0, table.merge("new", new ReplicatedRecord()), "a record nobody wrote");
            assertThrows(IllegalArgumentException.class, () -> table.merge("new", new ReplicatedRecord().set(true,
                ahead + 5, "no such host!", HybridClock.ZERO, HostId.NONE, 0, HybridClock.ZERO, HostId.NONE)));
            assertEquals(sequence + 1, table.changeSequence(), "merges that change nothing are not announced");
            assertFalse(table.read("new", record), "nor stored");

            table.setUp("m");
            final ReplicatedRecord after = new ReplicatedRecord();
            table.readReplicated("m", after);
            assertTrue(!after.down() && after.flagClock() > ahead + 1 && after.epochClock() > ahead + 1,
                "a local write after the merge orders after what was received: " + after);
        }
    }

    /**
     * Random local writes and merges of random records, on the table and on a {@link ReplicatedRecord} per model
     * written straight from SPEC §6: every read gives the reference's record. Local writes on the reference use the
     * clock the table's write ticked to (its clock after the write, since the test is its only writer).
     */
    @Test
    void shouldHoldWhatReplicatedRecordHoldsAfterAnyWritesAndMerges() throws IOException
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final String[] ids = {"a", "b", "c"};
        final String[] peers = {"peer-1", "peer-2", "worker"};
        final Map<String, ReplicatedRecord> reference = new HashMap<>();
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(dir.resolve("t.table")))
        {
            table.hostId("worker");
            final ReplicatedRecord read = new ReplicatedRecord();
            for (int step = 0; step < 2_000; step++)
            {
                final String id = ids[random.nextInt(ids.length)];
                final ReplicatedRecord expected = reference.computeIfAbsent(id, k -> new ReplicatedRecord());
                final int op = random.nextInt(5);
                final String what;
                if (op == 4)
                {
                    final long now = table.clock() == HybridClock.ZERO ? HybridClock.at(System.currentTimeMillis()) :
                        table.clock();
                    final ReplicatedRecord received = randomRecord(random, now - 2_000, peers);
                    what = "merge " + received;
                    assertEquals(expected.merge(received), table.merge(id, received),
                        "seed " + seed + ", step " + step + ": " + what);
                }
                else
                {
                    final long untilMs = 1_000 * random.nextInt(10);
                    what = switch (op)
                    {
                        case 0 -> { table.setDown(id); yield "set_down"; }
                        case 1 -> { table.setUp(id); yield "set_up"; }
                        case 2 -> { table.clearDown(id); yield "clear_down"; }
                        default -> { table.setRateLimited(id, untilMs); yield "set_rate_limited " + untilMs; }
                    };
                    final long clock = table.clock();
                    switch (op)
                    {
                        case 0 -> expected.setDown(clock, "worker");
                        case 1 -> expected.setUp(clock, "worker");
                        case 2 -> expected.clearDown(clock, "worker");
                        default -> expected.setRateLimited(untilMs, clock, "worker");
                    }
                }
                table.readReplicated(id, read);
                assertTrue(read.sameAs(expected), "seed " + seed + ", step " + step + ", " + id + " after " + what +
                    ": the table holds " + read + ", SPEC §6 " + expected);
            }
        }
    }

    /** Versions from a small range from {@code base}, about the table's clock: ties and both orders are common. */
    private static ReplicatedRecord randomRecord(final Random random, final long base, final String[] peers)
    {
        final long epoch = random.nextInt(3) == 0 ? HybridClock.ZERO : base + random.nextInt(4_000);
        final long deadline = random.nextInt(4) == 0 ? AvailabilityRecord.NO_COOLDOWN : 1_000 * random.nextInt(10);
        final long cooldownClock = Math.max(epoch, base + random.nextInt(4_000));
        return new ReplicatedRecord().set(random.nextBoolean(), base + random.nextInt(4_000),
            peers[random.nextInt(peers.length)], epoch, epoch == HybridClock.ZERO ? HostId.NONE :
            peers[random.nextInt(peers.length)], deadline, cooldownClock, peers[random.nextInt(peers.length)]);
    }

    @Test
    void shouldGiveEveryWriteOnTheHostAVersionOfItsOwn() throws Exception
    {
        final Set<Long> clocks = ConcurrentHashMap.newKeySet();
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(dir.resolve("t.table")))
        {
            final List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++)
            {
                final int writer = w;
                writers.add(new Thread(() ->
                {
                    final ReplicatedRecord r = new ReplicatedRecord();
                    for (int i = 0; i < 500; i++)
                    {
                        final String id = "w" + writer + "-" + i;
                        table.setDown(id);
                        table.readReplicated(id, r);
                        clocks.add(r.flagClock());
                    }
                }));
            }
            writers.forEach(Thread::start);
            for (final Thread writer : writers)
            {
                writer.join();
            }
            assertEquals(2_000, clocks.size(), "2 000 writes in four threads, at once: 2 000 clocks");
            final Set<Long> listed = new HashSet<>();
            table.forEachReplicated((id, r) -> listed.add(r.flagClock()));
            assertEquals(clocks, listed);
        }
    }
}
