package dev.modelsel.engine.cost;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.availability.Jvms;
import dev.modelsel.engine.protocol.RunSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static dev.modelsel.engine.mapped.Looks.waitForTheNextLook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counters file deleted under a process that records into it, and a new one made at the path by another, real
 * process ({@link CountersWorker}): the process notices, and counts into the new file instead of one nobody reads.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeletedCountersTest
{
    @TempDir
    Path dir;

    @Test
    void shouldNoticeTheFileDeletedAndMoveToTheOneAnotherProcessMade() throws Exception
    {
        final Path file = dir.resolve("counters");
        final SharedPhaseCounters old = SharedPhaseCounters.open(file);
        old.addAttempt("mine", false, false, 1, 1, 1, false, false);
        assertNull(old.staleReason());

        Files.delete(file);
        assertTrue(old.staleReason().endsWith("counters was deleted"), old.staleReason());
        assertEquals("totals 5", recordInAnotherProcess(file, 5));
        assertTrue(old.staleReason().endsWith("counters was replaced by another file"), old.staleReason());
        assertEquals(Map.of("mine", 1L), attempts(old), "the old file: nobody else sees it");

        final SharedPhaseCounters moved = old.reopenIfReplaced();
        assertNotSame(old, moved);
        assertNull(moved.staleReason());
        assertSame(moved, moved.reopenIfReplaced());
        assertEquals(5L, attempts(moved).values().stream().mapToLong(Long::longValue).sum(),
            "the other process's attempts: " + attempts(moved));
        assertFalse(attempts(moved).containsKey("mine"));
    }

    @Test
    void shouldRecordIntoTheNewFileInARunAndAnswerErrorWhileNoneCanBeOpened() throws Exception
    {
        final Path file = dir.resolve("counters");
        final List<String> notes = new ArrayList<>();
        try (FollowedCounters counters = FollowedCounters.open(file, notes::add))
        {
            final RunSession run = new RunSession(Selector.create(CatalogLoader.loadDefault().compile(),
                new InMemoryAvailabilityTable()), () -> 0L, () -> { }, counters);
            assertTrue(run.handle(1, record("before")).startsWith("{\"status\": \"OK\""));

            Files.delete(file);
            assertEquals("totals 3", recordInAnotherProcess(file, 3));
            waitForTheNextLook();
            assertTrue(run.handle(2, record("after")).startsWith("{\"status\": \"OK\""));
            assertEquals(1, notes.size(), notes.toString());
            assertTrue(notes.get(0).contains("counters was replaced by another file; opened the counters file now " +
                "at "), notes.get(0));
            try (SharedPhaseCounters reader = SharedPhaseCounters.open(file))
            {
                final Map<String, Long> attempts = attempts(reader);
                assertEquals(1L, attempts.get("after"), "the run counted into the file the other process made");
                assertEquals(4L, attempts.values().stream().mapToLong(Long::longValue).sum(), attempts.toString());
            }

            Files.delete(file);
            Files.createDirectory(file); // what is there now cannot be opened
            waitForTheNextLook();
            final String refused = run.handle(3, record("refused"));
            assertTrue(refused.startsWith("{\"status\": \"ERROR\", \"error\": \"line 3: ") &&
                refused.contains("counters was replaced by another file; opening the counters file now at "), refused);
            assertEquals(2, notes.size(), notes.toString());
            waitForTheNextLook();
            assertTrue(run.handle(4, record("refused")).startsWith("{\"status\": \"ERROR\""));
            assertEquals(2, notes.size(), "said once: " + notes);

            Files.delete(file);
            waitForTheNextLook();
            assertTrue(run.handle(5, record("again")).startsWith("{\"status\": \"OK\""));
            assertEquals(3, notes.size(), notes.toString());
            try (SharedPhaseCounters reader = SharedPhaseCounters.open(file))
            {
                assertEquals(Map.of("again", 1L), attempts(reader), "a new file, and nothing refused was counted");
            }
        }
    }

    private static String record(final String model)
    {
        return "{\"op\": \"record\", \"category\": \"c\", \"complexity\": \"high\", \"initial_tier\": 1, " +
            "\"final_tier\": 1, \"model\": \"" + model + "\", \"input_tokens\": 10, \"output_tokens\": 1, " +
            "\"success\": true}";
    }

    private static Map<String, Long> attempts(final PhaseCounters counters)
    {
        final Map<String, Long> attempts = new TreeMap<>();
        counters.forEachModel((name, counts) -> attempts.put(name, counts.attempts()));
        return attempts;
    }
    /** @return {@code totals N}: the first two words of what the other process printed. */
    private String recordInAnotherProcess(final Path file, final int records) throws Exception
    {
        final Path go = dir.resolve("go");
        if (!Files.exists(go))
        {
            Files.createFile(go);
        }
        final Process worker = Jvms.start(true, CountersWorker.class, file.toString(), "7", String.valueOf(records),
            go.toString());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            assertEquals("ready", out.readLine());
            final String totals = out.readLine();
            assertTrue(worker.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, worker.exitValue());
            final String[] words = totals.split(" ");
            return words[0] + " " + words[1];
        }
        finally
        {
            worker.destroyForcibly();
        }
    }
}
