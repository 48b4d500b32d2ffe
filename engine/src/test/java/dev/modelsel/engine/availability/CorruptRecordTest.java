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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One damaged record at a time, placed by hand: each entry's checksum covers its key and its fields, so a flipped
 * field or a key renamed into another id is reported and never read as data, and the next write replaces it. The
 * random trials of {@link TableCorruptionTest} cover the rest of the map.
 */
class CorruptRecordTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReadACorruptRecordAsUnknownFlagItAndListIt() throws IOException
    {
        final Path path = dir.resolve("t.table");
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            table.setDown("claude-3-opus-20240229");
            table.setRateLimited("claude-3-opus-20240229", 1_700_000_000_000L);
            table.setDown("gpt-4o");
        }
        damageValue(path, "claude-3-opus-20240229", SharedTableDescriptor.ENTRY_COOLDOWN_UNTIL_MS_OFFSET + 7);
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            final AvailabilityRecord record = new AvailabilityRecord();
            assertTrue(table.read("claude-3-opus-20240229", record), "the table holds a record for it");
            assertTrue(record.corrupt(), record.toString());
            assertFalse(record.down(), "none of its fields is believed");
            assertFalse(record.hasCooldown(), "a cooldown millions of years long is not believed either");
            assertTrue(record.isAvailable(0));
            assertTrue(table.read("gpt-4o", record) && !record.corrupt() && record.down(), "its neighbour is intact");

            final Map<String, Boolean> listed = new HashMap<>();
            final List<String> damage = table.forEach((id, r) -> listed.put(id, r.corrupt()));
            assertEquals(Map.of("claude-3-opus-20240229", true, "gpt-4o", false), listed);
            assertEquals(List.of(), damage, "a corrupt record is a record, listed by its id");
        }
    }

    @Test
    void shouldReplaceACorruptRecordOnItsNextWriteWithoutMergingItsGarbage() throws IOException
    {
        final Path path = dir.resolve("t.table");
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            table.setRateLimited("model-cooling", 1_000);
            table.setDown("model-down");
        }
        damageValue(path, "model-cooling", SharedTableDescriptor.ENTRY_COOLDOWN_UNTIL_MS_OFFSET + 6); // a far later deadline
        damageValue(path, "model-down", SharedTableDescriptor.ENTRY_CHANGES_OFFSET + 7); // a negative change count
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertEquals(500, table.setRateLimited("model-cooling", 500),
                "the garbage deadline is no later deadline to keep");
            table.setUp("model-down");
            final AvailabilityRecord record = new AvailabilityRecord();
            assertTrue(table.read("model-cooling", record) && !record.corrupt());
            assertEquals(500, record.cooldownUntilMs());
            assertEquals(1, record.changes(), "counted afresh");
            assertTrue(table.read("model-down", record) && !record.corrupt() && !record.down());
            assertEquals(1, record.changes());
        }
    }

    @Test
    void shouldRewriteACorruptRecordEvenWhenTheWriteChangesNothing() throws IOException
    {
        final Path path = dir.resolve("t.table");
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            table.setRateLimited("model-m", 1_000);
        }
        damageValue(path, "model-m", SharedTableDescriptor.ENTRY_CHECKSUM_OFFSET);
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            final long before = table.changeSequence();
            table.clearDown("model-m"); // up already, as a corrupt record reads: a write that changes nothing
            final AvailabilityRecord record = new AvailabilityRecord();
            assertTrue(table.read("model-m", record) && !record.corrupt(), record.toString());
            assertEquals(before + 1, table.changeSequence(), "a repair is a change");
        }
    }

    @Test
    void shouldReadARecordWithADamagedVersionAsCorruptAndMergeIntoItAsIntoACleared() throws IOException
    {
        final Path path = dir.resolve("t.table");
        final String[] ids = {"flag-host", "epoch-clock", "cooldown-host"};
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            table.hostId("worker-a");
            for (final String id : ids)
            {
                table.setUp(id);
                table.setRateLimited(id, 5_000);
                table.setDown(id);
            }
        }
        damageValue(path, "flag-host", SharedTableDescriptor.ENTRY_FLAG_HOST_OFFSET + 3);
        damageValue(path, "epoch-clock", SharedTableDescriptor.ENTRY_EPOCH_CLOCK_OFFSET + 6);
        damageValue(path, "cooldown-host", SharedTableDescriptor.ENTRY_COOLDOWN_HOST_OFFSET + 31); // its zero padding
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            final AvailabilityRecord record = new AvailabilityRecord();
            final ReplicatedRecord versions = new ReplicatedRecord();
            for (final String id : ids)
            {
                assertTrue(table.read(id, record) && record.corrupt(), id + ": " + record);
                assertFalse(table.readReplicated(id, versions), id);
                assertTrue(versions.sameAs(new ReplicatedRecord()), "read as cleared: " + versions);
            }
            final List<String> sent = new ArrayList<>();
            table.forEachReplicated((id, r) -> sent.add(id));
            assertEquals(List.of(), sent, "nothing of a corrupt record is sent to other hosts");

            final ReplicatedRecord received = new ReplicatedRecord().set(false, HybridClock.at(1_000), "peer",
                HybridClock.ZERO, HostId.NONE, 7_000, HybridClock.at(1_000), "peer");
            assertEquals(ReplicatedRecord.FLAG_CHANGED | ReplicatedRecord.COOLDOWN_CHANGED,
                table.merge("flag-host", received), "merged into a cleared record: the old epoch's 5 000 is not kept");
            assertTrue(table.readReplicated("flag-host", versions) && versions.sameAs(received), versions.toString());
            assertTrue(table.read("flag-host", record) && !record.corrupt() && record.changes() == 1,
                record.toString());
        }
    }

    @Test
    void shouldReportAKeyRenamedIntoAnotherIdAsDamageNotAsThatModel() throws IOException
    {
        final Path path = dir.resolve("t.table");
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            table.setDown("model-a");
            table.setRateLimited("model-b", 9_000);
        }
        final byte[] bytes = Files.readAllBytes(path);
        bytes[TableBytes.indexOfKey(bytes, "model-b") + 6] = 'a'; // model-b's entry now says model-a
        Files.write(path, bytes);
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            final AvailabilityRecord record = new AvailabilityRecord();
            assertTrue(table.read("model-a", record) && !record.corrupt() && record.down() && !record.hasCooldown(),
                "model-a reads as written: " + record);
            assertFalse(table.read("model-b", record), "model-b is lost, and reads as unknown");

            final Map<String, AvailabilityRecord> listed = new HashMap<>();
            final List<String> damage = table.forEach((id, r) -> listed.put(id, new AvailabilityRecord()
                .set(r.down(), r.cooldownUntilMs())));
            assertEquals(1, listed.size(), "model-a is listed once: " + listed);
            assertTrue(listed.get("model-a").down());
            assertEquals(1, damage.size(), damage.toString());
            assertTrue(damage.get(0).matches("segment \\d+, entry \\d+: .*\"model-a\".*damaged.*"), damage.get(0));
        }
    }

    @Test
    void shouldReportRecordsTheIndexLost() throws IOException
    {
        final Path path = dir.resolve("t.table");
        TableBytes.tableWithModelsDown(path, "a", "b");
        final Path sequence = ChronicleAvailabilityMap.sequencePath(path);
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(sequence)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, SequenceFile.count(bytes.getLong(SharedTableDescriptor.RECORDS_INSERTED_OFFSET)),
            "two records were put in");
        DeletedTableTest.addToTheRecordCount(path, 1); // as if the index had lost one
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            final List<String> damage = table.forEach((id, r) -> { });
            assertEquals(List.of("the map's index lists 2 entries, but 3 were put in: it has lost some, whose " +
                "models read as unknown (available)"), damage);
        }
    }

    /** Flips one byte of the entry stored under {@code modelId}, {@code offset} bytes into its value. */
    private static void damageValue(final Path path, final String modelId, final int offset) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(path);
        final int key = TableBytes.indexOfKey(bytes, modelId);
        bytes[key + modelId.getBytes(StandardCharsets.UTF_8).length + offset] ^= 0x40;
        Files.write(path, bytes);
    }
}
