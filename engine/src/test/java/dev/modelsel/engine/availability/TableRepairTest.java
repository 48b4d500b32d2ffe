package dev.modelsel.engine.availability;

import net.openhft.chronicle.algo.hashing.LongHashFunction;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an opener finds left half done, and how it goes on: a creation that never finished is made again, a recovery
 * that never finished is run again, a segment whose lock outlived any write is recovered by the next lone opener, a
 * table of the older layout is refused with the way on, which {@code reset} takes. The states are made here by hand,
 * as a killed process leaves them ({@link SharedTableProcessesTest} kills a real creator).
 */
class TableRepairTest
{
    @TempDir
    Path dir;

    @Test
    void shouldMakeAgainATableWhoseCreatorDiedWhileChronicleWasMakingIt() throws IOException
    {
        final Path path = dir.resolve("t.table");
        SharedAvailabilityTable.open(path).close();
        markIncomplete(path);
        TableBytes.openingStep(path, SharedTableDescriptor.OPENING_STEP_CREATING);
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertFalse(table.recoveredOnOpen(), "nothing was in it to recover");
            table.setDown("m");
            assertTrue(table.read("m", new AvailabilityRecord()));
        }
        assertEquals(SharedTableDescriptor.OPENING_STEP_NONE, TableBytes.openingStep(path));
    }

    @Test
    void shouldMakeAgainATableWhoseCreatorDiedAfterChronicleMadeIt() throws IOException
    {
        final Path path = dir.resolve("t.table");
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            table.setDown("never-written-by-a-dead-creator"); // only here, to show the map is made anew
        }
        TableBytes.openingStep(path, SharedTableDescriptor.OPENING_STEP_CREATING);
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertFalse(table.read("never-written-by-a-dead-creator", new AvailabilityRecord()), "a new map");
        }
    }

    @Test
    void shouldRunAgainARecoveryThatDiedAndKeepTheRecords() throws IOException
    {
        final Path path = dir.resolve("t.table");
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            table.setDown("a");
            table.setRateLimited("b", 5_000);
        }
        markIncomplete(path);
        TableBytes.openingStep(path, SharedTableDescriptor.OPENING_STEP_RECOVERING);
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertTrue(table.recoveredOnOpen());
            final AvailabilityRecord record = new AvailabilityRecord();
            assertTrue(table.read("a", record) && record.down() && !record.corrupt());
            assertTrue(table.read("b", record) && record.cooldownUntilMs() == 5_000 && !record.corrupt());
            assertTrue(table.forEach((id, r) -> { }).isEmpty(), "the count of records was set by the recovery");
        }
        assertEquals(SharedTableDescriptor.OPENING_STEP_NONE, TableBytes.openingStep(path));
        assertEquals(MapFileCheck.Verdict.OURS, MapFileCheck.check(path).verdict());
    }

    @Test
    void shouldClearAStepThatNoOpenerWritesAndKeepTheMap() throws IOException
    {
        final Path path = dir.resolve("t.table");
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            table.setDown("kept");
        }
        TableBytes.openingStep(path, 1); // a damaged byte, not the tag of a step
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertFalse(table.recoveredOnOpen());
            assertTrue(table.read("kept", new AvailabilityRecord()), "the map was not made anew");
        }
        assertEquals(SharedTableDescriptor.OPENING_STEP_NONE, TableBytes.openingStep(path));
    }

    @Test
    void shouldRecoverASegmentLockedByDamageOnceTheTableIsOpenedAlone() throws IOException
    {
        final Path made = dir.resolve("made.table");
        final byte[] locked;
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(made))
        {
            table.setDown("held");
            try (ExternalMapQueryContext<CharSequence, AvailabilityEntry, ?> context =
                table.store().chronicleMap().queryContext("held"))
            {
                context.writeLock().lock();
                locked = Files.readAllBytes(made); // the lock word held, with no process counted as holding it
            }
        }
        final Path path = dir.resolve("t.table");
        Files.write(path, locked);
        Files.copy(ChronicleAvailabilityMap.sequencePath(made), ChronicleAvailabilityMap.sequencePath(path));
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertFalse(table.recoveredOnOpen(), "every process closed it: no crash to suspect");
            final SharedTableException stuck = assertThrows(SharedTableException.class, () -> table.setDown("held"));
            assertTrue(stuck.getMessage().contains("the next one to open it then recovers it"), stuck.getMessage());
        }
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertTrue(table.recoveredOnOpen(), "as the message said");
            table.setUp("held");
            final AvailabilityRecord record = new AvailabilityRecord();
            assertTrue(table.read("held", record) && !record.down());
        }
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertFalse(table.recoveredOnOpen(), "once is enough");
        }
    }

    @ParameterizedTest(name = "layout {0}")
    @ValueSource(ints = {1, 2})
    void shouldRefuseATableOfAnOlderLayoutAndLetResetDeleteIt(final int version) throws IOException
    {
        final Path path = dir.resolve("t.table");
        SharedAvailabilityTable.open(path).close();
        final Path sequence = ChronicleAvailabilityMap.sequencePath(path);
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(sequence)).order(ByteOrder.LITTLE_ENDIAN);
        Files.write(sequence, bytes.putInt(SharedTableDescriptor.LAYOUT_VERSION_OFFSET, version).array());
        final ForeignTableException refused = assertThrows(ForeignTableException.class,
            () -> SharedAvailabilityTable.open(path));
        assertTrue(refused.getMessage().contains("layout version " + version + ", other than the version 3 this " +
            "modelsel reads (a table made by an older modelsel: once no process uses it, modelsel availability reset " +
            "deletes it"), refused.getMessage());
        SharedAvailabilityTable.reset(path);
        assertFalse(Files.exists(path) || Files.exists(sequence));
        SharedAvailabilityTable.open(path).close();
    }

    @ParameterizedTest(name = "layout {0}: entries of {1} bytes")
    @CsvSource({"1, 29", "2, 37"})
    void shouldRefuseAMapOfAnOlderEntrySizeAndLetResetDeleteIt(final int version, final int entryBytes)
        throws IOException
    {
        final Path path = dir.resolve("t.table");
        SharedAvailabilityTable.open(path).close();
        final byte[] map = Files.readAllBytes(path);
        final ByteBuffer header = ByteBuffer.wrap(map).order(ByteOrder.LITTLE_ENDIAN);
        final int size = header.getInt(8) & 0x3FFFFFFF;
        final String text = new String(map, 12, size, StandardCharsets.UTF_8);
        final String older = text.replace("constantSize: " + SharedTableDescriptor.ENTRY_LENGTH,
            "constantSize: " + entryBytes);
        assertEquals(text.length() - 1, older.length(), "the entry size in the header: " + text);
        final byte[] olderBytes = (older + " ").getBytes(StandardCharsets.UTF_8); // the same length: a space more
        System.arraycopy(olderBytes, 0, map, 12, size); // an older map's header
        header.putLong(0, LongHashFunction.xx_r39().hashBytes(header, 8, size + 4));
        Files.write(path, map);
        Files.delete(ChronicleAvailabilityMap.sequencePath(path)); // the map alone, as a sequence file lost leaves it
        final ForeignTableException refused = assertThrows(ForeignTableException.class,
            () -> SharedAvailabilityTable.open(path));
        assertTrue(refused.getMessage().contains("a table made by an older modelsel (layout " + version +
            ": entries of " + entryBytes + " bytes, not 157)") &&
            refused.getMessage().contains("modelsel availability reset deletes it"), refused.getMessage());
        SharedAvailabilityTable.reset(path);
        assertFalse(Files.exists(path));
    }

    @Test
    void shouldLetResetDeleteADamagedTable() throws IOException
    {
        final Path path = dir.resolve("t.table");
        SharedAvailabilityTable.open(path).close();
        final byte[] map = Files.readAllBytes(path);
        final int headerEnd = 12 + (ByteBuffer.wrap(map).order(ByteOrder.LITTLE_ENDIAN).getInt(8) & 0x3FFFFFFF);
        map[(headerEnd + 63) / 64 * 64 + 8 + 13] ^= 1; // the segment headers offset
        Files.write(path, map);
        final ForeignTableException refused = assertThrows(ForeignTableException.class,
            () -> SharedAvailabilityTable.open(path));
        assertTrue(refused.getMessage().contains("a modelsel availability table, damaged: its segment headers offset"),
            refused.getMessage());
        SharedAvailabilityTable.reset(path);
        assertFalse(Files.exists(path));
    }

    /** Sets the header's "not complete" bit, as Chronicle does while it creates or recovers a map. */
    private static void markIncomplete(final Path path) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(path);
        bytes[11] |= (byte)0x80;
        Files.write(path, bytes);
        assertEquals(MapFileCheck.Verdict.INCOMPLETE, MapFileCheck.check(path).verdict());
    }
}
