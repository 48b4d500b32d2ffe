package dev.modelsel.engine.availability;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared table in one process: SPEC §3's writes, the change signal, and refusing files that are not ours. */
class SharedAvailabilityTableTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWriteAndReadRecordsAndMergeCooldownsByTheLaterDeadline() throws IOException
    {
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(dir.resolve("t.table")))
        {
            final AvailabilityRecord record = new AvailabilityRecord();
            assertFalse(table.read("gpt-4o", record));
            assertTrue(record.isAvailable(0));

            table.setDown("gpt-4o");
            assertTrue(table.read("gpt-4o", record));
            assertTrue(record.down());
            assertEquals(1, record.changes());
            assertEquals(ProcessHandle.current().pid(), record.writerPid());

            assertEquals(5_000, table.setRateLimited("gpt-4o", 5_000));
            assertEquals(5_000, table.setRateLimited("gpt-4o", 3_000), "an earlier deadline never shortens a cooldown");
            assertEquals(9_000, table.setRateLimited("gpt-4o", 9_000));
            table.clearDown("gpt-4o");
            table.read("gpt-4o", record);
            assertFalse(record.down());
            assertEquals(9_000, record.cooldownUntilMs(), "clearing down leaves the cooldown to expire");
            assertFalse(record.isAvailable(8_999));
            assertTrue(record.isAvailable(9_000));

            table.setUp("gpt-4o");
            table.read("gpt-4o", record);
            assertFalse(record.down());
            assertFalse(record.hasCooldown());
        }
    }

    @Test
    void shouldAnnounceEveryChangeAndNothingElse() throws IOException
    {
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(dir.resolve("t.table")))
        {
            final long start = table.changeSequence();
            table.setRateLimited("m", 100);
            assertEquals(start + 1, table.changeSequence());
            table.setRateLimited("m", 50);
            table.setRateLimited("m", 100);
            table.clearDown("m");
            table.clearDown("never-written");
            assertEquals(start + 1, table.changeSequence(), "writes that change nothing are not announced");
            assertFalse(table.read("never-written", new AvailabilityRecord()), "nor stored");
            table.setDown("m");
            assertEquals(start + 2, table.changeSequence());
            table.setDown("m");
            assertEquals(start + 3, table.changeSequence(), "down again is a new version, for the other hosts");
            table.setUp("other");
            table.setUp("other");
            assertEquals(start + 5, table.changeSequence(), "so is up: each begins a new epoch");
        }
    }

    @Test
    void shouldAcceptAnyNonEmptyIdAndListThemAll() throws IOException
    {
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(dir.resolve("t.table")))
        {
            final String[] ids = {"openrouter/anthropic/claude-3.5-sonnet:beta", "model@2024-01-01", "ünïcødé", "x".repeat(2000)};
            for (final String id : ids)
            {
                table.setDown(id);
            }
            final Map<String, Boolean> seen = new HashMap<>();
            table.forEach((id, record) -> seen.put(id, record.down()));
            assertEquals(ids.length, seen.size());
            Arrays.stream(ids).forEach(id -> assertTrue(seen.get(id), id));
            assertThrows(IllegalArgumentException.class, () -> table.setDown(""));
        }
    }

    @Test
    void shouldKeepRecordsAcrossCloseAndReopen() throws IOException
    {
        final Path path = dir.resolve("t.table");
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            table.setRateLimited("m", 1234);
        }
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            final AvailabilityRecord record = new AvailabilityRecord();
            assertTrue(table.read("m", record));
            assertEquals(1234, record.cooldownUntilMs());
        }
    }

    @Test
    void shouldHandOutOneInstancePerFile() throws IOException
    {
        final Path path = dir.resolve("t.table");
        try (SharedAvailabilityTable first = SharedAvailabilityTable.open(path);
            SharedAvailabilityTable second = SharedAvailabilityTable.open(dir.resolve("sub/../t.table")))
        {
            assertSame(first, second);
            second.close();
            first.setDown("still-open");
        }
    }

    @Test
    void shouldKnowOneTableByAllItsNames() throws IOException
    {
        final Path real = Files.createDirectories(dir.resolve("real"));
        final Path alias = Files.createSymbolicLink(dir.resolve("alias"), real);
        try (SharedAvailabilityTable first = SharedAvailabilityTable.open(real.resolve("t.table"));
            SharedAvailabilityTable second = SharedAvailabilityTable.open(alias.resolve("t.table")))
        {
            assertSame(first, second, "a second instance would drop the first one's file lock");
            second.close();
        }
    }

    @Test
    void shouldRefuseThingsThatAreNotRegularFilesAndDeleteNoneOfThem() throws Exception
    {
        final Path fifo = dir.resolve("fifo.table");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        final Path device = Files.createSymbolicLink(dir.resolve("device.table"), Path.of("/dev/null"));
        final Path dangling = Files.createSymbolicLink(dir.resolve("dangling.table"), dir.resolve("nowhere"));
        final Path directory = Files.createDirectories(dir.resolve("directory.table"));
        for (final Path path : new Path[] {fifo, device, dangling, directory})
        {
            final ForeignTableException refused = assertThrows(ForeignTableException.class,
                () -> SharedAvailabilityTable.open(path), path.toString());
            assertTrue(refused.getMessage().contains("not a regular file") ||
                refused.getMessage().contains("a symbolic link to nothing"), refused.getMessage());
            assertThrows(ForeignTableException.class, () -> SharedAvailabilityTable.reset(path), path.toString());
            assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), path + " is still there");
            assertFalse(Files.exists(dir.resolve(path.getFileName() + ".seq")), "nothing created beside " + path);
        }
        assertFalse(Files.exists(dir.resolve("nowhere")));
        assertTrue(Files.exists(Path.of("/dev/null")));
    }

    @Test
    void shouldRefuseATableLeftIncompleteUntilItIsReset() throws Exception
    {
        final Path path = dir.resolve("t.table");
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            table.setDown("m");
        }
        final byte[] bytes = Files.readAllBytes(path);
        bytes[11] |= (byte)0x80; // the header's "not complete" bit: a creator or a recovery died part-way
        Files.write(path, bytes);
        final String before = sha256(path);
        final ForeignTableException refused = assertThrows(ForeignTableException.class,
            () -> SharedAvailabilityTable.open(path));
        assertTrue(refused.getMessage().contains("marked incomplete") &&
            refused.getMessage().contains("modelsel availability reset"), refused.getMessage());
        assertEquals(before, sha256(path));
        SharedAvailabilityTable.reset(path);
        assertFalse(Files.exists(path));
        try (SharedAvailabilityTable fresh = SharedAvailabilityTable.open(path))
        {
            assertFalse(fresh.read("m", new AvailabilityRecord()), "a reset table starts empty");
        }
    }

    @Test
    void shouldNoticeASequenceFileReplacedWhileOpening() throws Exception
    {
        final Path path = dir.resolve("t.table.seq");
        final SequenceFile mapped = SequenceFile.openOrCreate(path);
        Files.delete(path); // a reset by another process...
        SequenceFile.openOrCreate(path).close(); // ...and a new table made at once
        assertThrows(SequenceFile.ReplacedException.class, () -> mapped.whileOpening(() -> "opened the wrong file"));
        assertEquals("right", SequenceFile.openOrCreate(path).whileOpening(() -> "right"));
    }

    @Test
    void shouldNotRecoverATableClosedCleanly() throws IOException
    {
        final Path path = dir.resolve("t.table");
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertFalse(table.recoveredOnOpen());
            table.setDown("m");
        }
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertFalse(table.recoveredOnOpen());
        }
    }

    @Test
    void shouldRefuseJunkAndLeaveItAsItIs() throws Exception
    {
        final byte[] junk = new byte[64 * 1024];
        new Random(1).nextBytes(junk);
        assertRefused(Files.write(dir.resolve("junk.table"), junk), "not a modelsel availability table");
        assertRefused(Files.writeString(dir.resolve("text.table"), "hello\n"), "too short");
        assertFalse(Files.exists(dir.resolve("junk.table.seq")), "nothing is created beside a file that is not ours");
    }

    @Test
    void shouldRefuseATruncatedTable() throws Exception
    {
        final Path path = dir.resolve("t.table");
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            table.setDown("m");
        }
        final byte[] whole = Files.readAllBytes(path);
        Files.write(path, Arrays.copyOf(whole, 1000));
        assertRefused(path, "not a modelsel availability table");
        Files.write(path, Arrays.copyOf(whole, 4096));
        assertRefused(path, "a modelsel availability table, damaged: its global state reads 0 extra tier bulks and a " +
            "data store of ");
        Files.delete(dir.resolve("t.table.seq"));
        assertRefused(path, "in a file of 4096");
        assertFalse(Files.exists(dir.resolve("t.table.seq")), "nothing is left beside a damaged table");
    }

    @Test
    void shouldRefuseAMapOfOtherTypes() throws Exception
    {
        final Path path = dir.resolve("longs.table");
        try (ChronicleMap<Long, Long> other = ChronicleMapBuilder.of(Long.class, Long.class).entries(100)
            .createPersistedTo(path.toFile()))
        {
            other.put(1L, 2L);
        }
        assertRefused(path, "a Chronicle map of long to long");
    }

    @Test
    void shouldRefuseASequenceFileOfANewerLayout() throws Exception
    {
        final Path path = dir.resolve("t.table");
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            table.setDown("m");
        }
        final Path sequence = dir.resolve("t.table.seq");
        final byte[] bytes = Files.readAllBytes(sequence);
        bytes[SharedTableDescriptor.LAYOUT_VERSION_OFFSET] = SharedTableDescriptor.LAYOUT_VERSION + 1;
        Files.write(sequence, bytes);
        final String before = sha256(sequence) + sha256(path);
        final ForeignTableException refused = assertThrows(ForeignTableException.class,
            () -> SharedAvailabilityTable.open(path));
        assertTrue(refused.getMessage().contains("layout version 4, newer than the version 3 this modelsel reads " +
            "(use the newer modelsel with it)"), refused.getMessage());
        assertThrows(ForeignTableException.class, () -> SharedAvailabilityTable.reset(path), "not this modelsel's to delete");
        assertEquals(before, sha256(sequence) + sha256(path));
    }

    private static void assertRefused(final Path path, final String reason) throws Exception
    {
        final String before = sha256(path);
        final ForeignTableException refused = assertThrows(ForeignTableException.class,
            () -> SharedAvailabilityTable.open(path), path.toString());
        assertTrue(refused.getMessage().startsWith(path.toAbsolutePath().toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
        assertTrue(refused.getMessage().contains("left as it is"), refused.getMessage());
        assertEquals(before, sha256(path), "the refused file's bytes are unchanged");
        assertNotEquals("", before);
    }

    private static String sha256(final Path path) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
    }
}
