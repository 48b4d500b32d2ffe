package dev.modelsel.engine.availability;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.protocol.RunSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared table across real separate JVMs ({@link TableWorker}), not threads pretending. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedTableProcessesTest
{
    private static final String[] MODELS = {"alpha", "beta", "gamma"};

    @TempDir
    Path dir;

    @Test
    void shouldOpenTogetherAndKeepTheLatestDeadlineWhenEightProcessesWriteAtOnce() throws Exception
    {
        final Path table = dir.resolve("shared.table");
        final Path go = dir.resolve("go");
        final List<Process> writers = new ArrayList<>();
        try
        {
            for (int w = 0; w < 8; w++) // started together: all eight open at once, taking turns at the opening lock
            {
                final List<String> args = new ArrayList<>(List.of("cooldowns", table.toString(), String.valueOf(1000 + w),
                    "300", go.toString()));
                args.addAll(List.of(MODELS));
                writers.add(Jvms.start(true, TableWorker.class, args.toArray(String[]::new)));
            }
            for (final Process writer : writers)
            {
                assertEquals("ready", firstLine(writer), "each writer opened the table");
            }
            Files.createFile(go); // all eight start writing together

            final Map<String, Long> latest = new HashMap<>();
            for (final Process writer : writers)
            {
                for (final String line : rest(writer))
                {
                    final String[] parts = line.split(" ");
                    latest.merge(parts[1], Long.parseLong(parts[2]), Math::max);
                }
                assertTrue(writer.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, writer.exitValue());
            }
            assertEquals(Map.of("alpha", true, "beta", true, "gamma", true),
                Map.of("alpha", latest.containsKey("alpha"), "beta", latest.containsKey("beta"),
                    "gamma", latest.containsKey("gamma")));
            try (SharedAvailabilityTable shared = SharedAvailabilityTable.open(table))
            {
                final AvailabilityRecord record = new AvailabilityRecord();
                for (final String model : MODELS)
                {
                    assertTrue(shared.read(model, record));
                    assertEquals(latest.get(model), record.cooldownUntilMs(), model + ": the maximum written wins");
                }
            }
        }
        finally
        {
            writers.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void shouldOpenReadAndWriteAfterAWriterIsKilledMidStream() throws Exception
    {
        final Path table = dir.resolve("killed.table");
        for (int round = 0; round < 3; round++)
        {
            final Process writer = Jvms.start(true, TableWorker.class, "churn", table.toString());
            try
            {
                assertEquals("writing", firstLine(writer));
                Thread.sleep(20L * round);
            }
            finally
            {
                writer.destroyForcibly(); // SIGKILL: no shutdown hook, locks and all left as they are
                assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
            }
            final Process next = Jvms.start(true, TableWorker.class, "open", table.toString());
            assertEquals("ok recovered", firstLine(next), "round " + round + ": the table is recovered, then opens, " +
                "writes and reads again");
            assertTrue(next.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, next.exitValue());
        }
        try (SharedAvailabilityTable shared = SharedAvailabilityTable.open(table))
        {
            final int[] churned = {0};
            shared.forEach((id, record) -> churned[0] += id.startsWith("churn-") ? 1 : 0);
            assertTrue(churned[0] > 0 && churned[0] <= 50, "the killed writer's records are readable: " + churned[0]);
            shared.setDown("after-the-kill");
        }
    }

    /**
     * Chronicle's own creation has no point to pause a process inside, so the creator is killed just after it, at a
     * test hook, with its step noted in the sequence file; then the header's "not complete" bit is set as a kill a
     * moment earlier would have left it. Before the step was noted, every later open refused such a table (after
     * waiting 2 s) until a reset.
     */
    @Test
    void shouldMakeAgainATableWhoseCreatorWasKilledWhileMakingIt() throws Exception
    {
        final Path table = dir.resolve("unfinished.table");
        final Path gate = Files.createFile(dir.resolve("pause-creator"));
        final Path paused = dir.resolve("pause-creator.reached");
        final Process creator = Jvms.start(true, List.of("-D" + MapOpener.PAUSE_WHILE_CREATING_PROPERTY + "=" + gate),
            TableWorker.class, "open", table.toString());
        try
        {
            final long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(paused) && creator.isAlive() && System.nanoTime() < giveUpAt)
            {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(paused), "the creator reached its pause, with Chronicle's map made");
        }
        finally
        {
            creator.destroyForcibly(); // SIGKILL, holding the opening lock, the map made and not yet allocated
            assertTrue(creator.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(SharedTableDescriptor.OPENING_STEP_CREATING, TableBytes.openingStep(table), "the creator noted its step");
        final byte[] map = Files.readAllBytes(table);
        map[11] |= (byte)0x80; // Chronicle's "not complete", as it is while Chronicle makes the map
        Files.write(table, map);
        final Process next = Jvms.start(true, TableWorker.class, "open", table.toString());
        assertEquals("ok", firstLine(next), "the next process makes the map again and uses it; nothing to recover");
        assertTrue(next.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, next.exitValue());
        assertEquals(SharedTableDescriptor.OPENING_STEP_NONE, TableBytes.openingStep(table));
    }

    /** The test hook that pauses a creator is inert unless the test made its file: set by accident, it pauses nothing. */
    @Test
    void shouldNotPauseACreatorWhoseTestHookNamesNoFile() throws Exception
    {
        final Path gate = dir.resolve("no-gate");
        final Process creator = Jvms.start(true, List.of("-D" + MapOpener.PAUSE_WHILE_CREATING_PROPERTY + "=" + gate),
            TableWorker.class, "open", dir.resolve("t.table").toString());
        try
        {
            assertEquals("ok", firstLine(creator), "it made the table and used it");
            assertTrue(creator.waitFor(60, TimeUnit.SECONDS));
            assertFalse(Files.exists(gate) || Files.exists(dir.resolve("no-gate.reached")));
        }
        finally
        {
            creator.destroyForcibly();
        }
    }

    @Test
    void shouldNeverMakeAgainAMapAnotherProcessHasOpen() throws Exception
    {
        final Path table = dir.resolve("in-use.table");
        try (SharedAvailabilityTable shared = SharedAvailabilityTable.open(table))
        {
            shared.setDown("in-use");
        }
        final Path go = dir.resolve("go");
        final Process user = Jvms.start(true, TableWorker.class, "cooldowns", table.toString(), "1", "0", go.toString(),
            "alpha");
        try
        {
            assertEquals("ready", firstLine(user), "another process has the table open");
            try (FileChannel sequence = FileChannel.open(ChronicleAvailabilityMap.sequencePath(table),
                StandardOpenOption.WRITE)) // in place: the other process has the file mapped
            {
                sequence.write(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(0, SharedTableDescriptor.OPENING_STEP_CREATING), SharedTableDescriptor.OPENING_STEP_OFFSET);
            } // damage: no creator notes its step while a process has the map open
            try (SharedAvailabilityTable shared = SharedAvailabilityTable.open(table))
            {
                assertTrue(shared.read("in-use", new AvailabilityRecord()), "the map in use is kept");
            }
            assertEquals(SharedTableDescriptor.OPENING_STEP_NONE, TableBytes.openingStep(table), "the damaged step is cleared");
        }
        finally
        {
            Files.createFile(go);
            assertTrue(user.waitFor(60, TimeUnit.SECONDS));
        }
    }

    /**
     * This process looks and finds no PATH.seq (so it would make it), then another process makes the table and uses
     * it, and this process's open is refused for its own reason (here: the map damaged since the other opened it).
     * The PATH.seq it did not make after all, in use by the other, must be left where it is.
     */
    @Test
    void shouldNeverDeleteASequenceFileAnotherProcessMadeAndUsesWhenItsOwnOpenIsRefused() throws Exception
    {
        final Path table = dir.resolve("raced.table");
        final Path go = dir.resolve("go");
        final Process[] other = new Process[1];
        MapOpener.afterLookingForSequence(opening ->
        {
            if (!opening.endsWith(table.getFileName()) || other[0] != null)
            {
                return; // another table (the preload's scratch one), or this one again
            }
            other[0] = Jvms.start(true, TableWorker.class, "cooldowns", table.toString(), "1", "1", go.toString(),
                "alpha");
            assertEquals("ready", firstLine(other[0]), "the other process made the table and has it open");
            StructureCheckTest.damageSegmentCounters(table);
        });
        try
        {
            final ForeignTableException refused = assertThrows(ForeignTableException.class,
                () -> SharedAvailabilityTable.open(table));
            assertTrue(refused.getMessage().contains("damaged: segment 0: its counters read 4294967295 entries"),
                refused.getMessage());
            assertTrue(Files.exists(ChronicleAvailabilityMap.sequencePath(table)), "the other process's PATH.seq is kept");
        }
        finally
        {
            MapOpener.afterLookingForSequence(null);
            Files.createFile(go);
        }
        assertTrue(other[0].waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, other[0].exitValue(), "it wrote into the PATH.seq it opened, which is still the table's");
    }
    @Test
    void shouldNotRecoverATableClosedCleanly() throws Exception
    {
        final Path table = dir.resolve("clean.table");
        for (int round = 0; round < 2; round++)
        {
            final Process worker = Jvms.start(true, TableWorker.class, "open", table.toString());
            assertEquals("ok", firstLine(worker), "round " + round);
            assertTrue(worker.waitFor(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldReportAStuckSegmentWhileOthersKeepTheTableOpenThenRecover() throws Exception
    {
        final Path path = dir.resolve("stuck.table");
        try (SharedAvailabilityTable mine = SharedAvailabilityTable.open(path))
        {
            mine.setUp("held");
            final RunSession run = new RunSession(Selector.create(CatalogLoader.parse("c.yaml",
                "version: 1\ntiers: [{tier: 1, models: [held, other]}]\n", false).compile(), mine), () -> 0L);
            final Process holder = Jvms.start(true, TableWorker.class, "hold", path.toString(), "held");
            try
            {
                assertEquals("holding", firstLine(holder));
            }
            finally
            {
                holder.destroyForcibly(); // dies holding the segment's write lock, while this JVM keeps the table
                assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            }
            final long start = System.nanoTime();
            final SharedTableException stuck = assertThrows(SharedTableException.class, () -> mine.setDown("held"));
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 30, "reported, not hung");
            assertTrue(stuck.getMessage().contains("the segment holding \"held\"") &&
                stuck.getMessage().contains("Stop every process that uses this table: the next one to open it then " +
                    "recovers it"), stuck.getMessage());

            assertTrue(writeOutsideTheStuckSegment(mine), "other segments still take writes");
            final String select = "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 1}";
            assertTrue(run.handle(1, select).contains("\"model\": \"held\""),
                "a few changes elsewhere re-read only those records: the stuck one is not touched");
            for (int i = 0; i < 2 * ChangeRing.SLOTS; i++)
            {
                writeOutsideTheStuckSegment(mine); // more changes than the ring recalls: the next select reads all
            }
            final String answer = run.handle(2, select);
            assertTrue(answer.startsWith("{\"status\": \"ERROR\", \"error\": \"line 2: "), answer);
            assertTrue(run.handle(3, "{\"op\": \"set_rate_limited\", \"model\": \"x\", \"until_ms\": 5}")
                .startsWith("{\"status\": "), "the run goes on, one answer per line");
        }
        final Process next = Jvms.start(true, TableWorker.class, "open", path.toString());
        assertEquals("ok recovered", firstLine(next), "alone with the table, the next process recovers it");
        assertTrue(next.waitFor(60, TimeUnit.SECONDS));
    }

    @Test
    void shouldNameTheMissingFlagsInsteadOfAChronicleStackTrace() throws Exception
    {
        final Process bare = Jvms.start(false, TableWorker.class, "open", dir.resolve("t.table").toString());
        final String line = firstLine(bare);
        assertTrue(bare.waitFor(60, TimeUnit.SECONDS));
        assertEquals(3, bare.exitValue());
        assertTrue(line.startsWith("MissingJvmFlagsException: the shared availability table needs these JVM flags, " +
            "missing here: "), line);
        assertTrue(line.contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), line);
        assertTrue(line.contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED"), line);
        assertFalse(line.contains("-Dchronicle.analytics.disable"), "a -D flag is set by the library itself: " + line);
        assertFalse(Files.exists(dir.resolve("t.table")), "nothing was created");
    }

    /** A write to some model whose segment is not the stuck one: the next select re-reads the table. */
    private static boolean writeOutsideTheStuckSegment(final SharedAvailabilityTable table)
    {
        for (int i = 0; i < 64; i++)
        {
            try
            {
                table.setRateLimited("elsewhere-" + i, System.nanoTime()); // a new deadline each time: a change
                return true;
            }
            catch (final SharedTableException sameSegment)
            {
                // try another key
            }
        }
        return false;
    }

    private static String firstLine(final Process process) throws IOException
    {
        final String line = reader(process).readLine();
        return line == null ? "(no output, exit " + (process.isAlive() ? "still running" : process.exitValue()) + ")" : line;
    }

    private static List<String> rest(final Process process) throws IOException
    {
        final List<String> lines = new ArrayList<>();
        for (String line = reader(process).readLine(); line != null; line = reader(process).readLine())
        {
            lines.add(line);
        }
        return lines;
    }

    private static final Map<Process, BufferedReader> READERS = new HashMap<>();

    private static BufferedReader reader(final Process process)
    {
        return READERS.computeIfAbsent(process,
            p -> new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
    }
}
