package dev.modelsel.engine.availability;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the structure check must not refuse. A segment's second tier, linked as Chronicle links it
 * (SegmentStages.nextTier): the tier is linked from the one before it first, under the segment's write lock, and its
 * own link back is written after, 0 until then. A table met in that moment by an opener, or left so by a writer
 * killed in it, is sound; the same 0 in a segment no one holds is damage. And a field that Chronicle's recovery
 * rewrites is not held against a table whose recovery is due: the recovery runs first, the whole check after it.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StructureCheckTest
{
    /** Ids this long fill a tier with a few hundred entries. */
    private static final int ID_BYTES = 2_000;

    @TempDir
    Path dir;

    @Test
    void shouldOpenATableWhileAWriterLinksATier() throws Exception
    {
        final Path path = dir.resolve("t.table");
        final String inSegment = tableWithASecondTier(path);
        final Process writer = hold(path, inSegment);
        try
        {
            linkBack(path, 0); // as nextTier() leaves it until its next step
            assertEquals(MapFileCheck.Verdict.OURS, MapFileCheck.check(path).verdict(), MapFileCheck.check(path).reason());
            try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
            {
                table.setDown("elsewhere");
                assertTrue(table.read("elsewhere", new AvailabilityRecord()));
            }
        }
        finally
        {
            writer.destroyForcibly().waitFor();
        }
    }

    @Test
    void shouldRecoverATableWhoseWriterWasKilledWhileLinkingATier() throws Exception
    {
        final Path path = dir.resolve("t.table");
        final String inSegment = tableWithASecondTier(path);
        final Process writer = hold(path, inSegment);
        linkBack(path, 0);
        writer.destroyForcibly().waitFor(); // SIGKILL: its lock stays held, its open handle counted

        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertTrue(table.recoveredOnOpen());
            assertTrue(table.read(inSegment, new AvailabilityRecord()), "the segment is readable again");
            assertEquals(List.of(), table.forEach((id, record) -> { }));
        }
        assertNotEquals(0, linkBack(path), "the recovery wrote the link back");
        assertEquals(MapFileCheck.Verdict.OURS, MapFileCheck.check(path).verdict());
    }

    @Test
    void shouldRefuseALinkBackOfZeroInASegmentNoOneHolds() throws Exception
    {
        final Path path = dir.resolve("t.table");
        tableWithASecondTier(path);
        linkBack(path, 0);
        final MapFileCheck.Result check = MapFileCheck.check(path);
        assertEquals(MapFileCheck.Verdict.DAMAGED, check.verdict());
        assertEquals("segment 0: tier 1 links back to tier 0, of " + lastTier(path), check.reason());
    }

    @Test
    void shouldRecoverRatherThanRefuseACounterTheRecoveryRewritesWhenARecoveryIsDue() throws Exception
    {
        final Path path = dir.resolve("t.table");
        TableBytes.tableWithModelsDown(path, "a");
        damageSegmentCounters(path);
        assertEquals(MapFileCheck.Verdict.DAMAGED, MapFileCheck.check(path).verdict(), "refused while no recovery is due");

        final Path sequence = ChronicleAvailabilityMap.sequencePath(path);
        TableBytes.writeLong(sequence, SharedTableDescriptor.OPEN_HANDLES_OFFSET, 1); // a process died with it open
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertTrue(table.recoveredOnOpen());
            final AvailabilityRecord record = new AvailabilityRecord();
            assertTrue(table.read("a", record) && record.down());
            assertEquals(List.of(), table.forEach((id, r) -> { }));
        }
        assertEquals(MapFileCheck.Verdict.OURS, MapFileCheck.check(path).verdict());
    }

    /** What the recovery does not rewrite is still refused after it, and the refusal says the table was changed. */
    @Test
    void shouldSayThatARecoveryChangedATableItRefusesAfterIt() throws Exception
    {
        final Path path = dir.resolve("t.table");
        TableBytes.tableWithModelsDown(path, "a");
        TableBytes.writeInt(path, TableBytes.geometry(path).segmentHeadersOffset() + 24, 5); // deleted, of no entries
        TableBytes.writeLong(ChronicleAvailabilityMap.sequencePath(path), SharedTableDescriptor.OPEN_HANDLES_OFFSET, 1);
        final ForeignTableException refused = assertThrows(ForeignTableException.class,
            () -> SharedAvailabilityTable.open(path));
        assertTrue(refused.getMessage().contains("damaged, and still so after Chronicle's recovery rewrote what it " +
            "could: segment 0: its counters read ") && !refused.getMessage().contains("left as it is"),
            refused.getMessage());
    }

    /** Segment 0's entry counter as 4,294,967,295: out of bounds, and one that Chronicle's recovery rewrites. */
    static void damageSegmentCounters(final Path path) throws IOException
    {
        TableBytes.writeInt(path, TableBytes.geometry(path).segmentHeadersOffset() + 8, -1);
    }

    /** Makes a table whose segment 0 has a second tier; @return an id stored in segment 0. */
    private static String tableWithASecondTier(final Path path) throws IOException
    {
        String first = null;
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            final ChronicleMap<CharSequence, AvailabilityEntry> map = table.store().chronicleMap();
            for (int i = 0; nextTier(path) == 0; i++)
            {
                final String id = String.format("%0" + ID_BYTES + "d", i);
                try (ExternalMapQueryContext<CharSequence, AvailabilityEntry, ?> context = map.queryContext(id))
                {
                    if (context.segmentIndex() != 0)
                    {
                        continue;
                    }
                }
                table.setDown(id);
                first = first == null ? id : first;
            }
        }
        return first;
    }

    /** Another process takes the write lock of the id's segment and keeps it, as a writer inside nextTier() does. */
    private Process hold(final Path path, final String id) throws IOException
    {
        final Process holder = Jvms.start(true, TableWorker.class, "hold", path.toString(), id);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            assertEquals("holding", out.readLine());
        }
        return holder;
    }

    /** Segment 0's next tier index, from its header. */
    private static long nextTier(final Path path) throws IOException
    {
        return TableBytes.read(path, TableBytes.geometry(path).segmentHeadersOffset() + 16, Long.BYTES).getLong(0);
    }

    private static long lastTier(final Path path) throws IOException
    {
        final MapStructureCheck.Geometry g = TableBytes.geometry(path);
        return g.segments() + (Files.size(path) - g.extraTiersOffset()) / g.bulkBytes() * g.tiersInBulk();
    }

    /** The link back of segment 0's second tier. */
    private static long linkBack(final Path path) throws IOException
    {
        return TableBytes.read(path, linkBackOffset(path), Long.BYTES).getLong(0);
    }

    private static void linkBack(final Path path, final long tier) throws IOException
    {
        TableBytes.writeLong(path, linkBackOffset(path), tier);
    }

    private static long linkBackOffset(final Path path) throws IOException
    {
        final MapStructureCheck.Geometry g = TableBytes.geometry(path);
        return g.tierOffset(nextTier(path)) + g.hashLookupOuterBytes() + Long.BYTES;
    }
}
