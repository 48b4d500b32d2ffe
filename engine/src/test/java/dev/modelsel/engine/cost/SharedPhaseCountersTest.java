package dev.modelsel.engine.cost;

import dev.modelsel.engine.availability.Jvms;
import dev.modelsel.engine.mapped.ForeignFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared counters file: names, refusals, and two real JVMs recording at once. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedPhaseCountersTest
{
    @TempDir
    Path dir;

    @Test
    void shouldAddUpTwoProcessesRecordingAtOnce() throws Exception
    {
        final Path file = dir.resolve("counters");
        final Path go = dir.resolve("go");
        final List<Process> workers = new ArrayList<>();
        try
        {
            for (int w = 0; w < 2; w++)
            {
                workers.add(Jvms.start(true, CountersWorker.class, file.toString(), String.valueOf(77 + w), "20000",
                    go.toString()));
            }
            final List<BufferedReader> outputs = new ArrayList<>();
            for (final Process worker : workers)
            {
                final BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(),
                    StandardCharsets.UTF_8));
                assertEquals("ready", out.readLine());
                outputs.add(out);
            }
            Files.createFile(go);
            final long[] expected = new long[6];
            for (final BufferedReader out : outputs)
            {
                final String[] totals = out.readLine().split(" ");
                for (int i = 0; i < 6; i++)
                {
                    expected[i] += Long.parseLong(totals[i + 1]);
                }
            }
            for (final Process worker : workers)
            {
                assertTrue(worker.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, worker.exitValue());
            }
            try (SharedPhaseCounters counters = SharedPhaseCounters.open(file))
            {
                final long[] actual = new long[6];
                final Map<String, Integer> names = new HashMap<>();
                counters.forEachModel((name, c) ->
                {
                    names.merge(name, 1, Integer::sum);
                    actual[0] += c.attempts();
                    actual[1] += c.failures();
                    actual[2] += c.escalations();
                    actual[3] += c.inputTokens();
                    actual[4] += c.outputTokens();
                    actual[5] += c.spendMicros();
                });
                assertArrayEquals(expected, actual, "every count of both processes, exactly");
                assertEquals(40, names.size(), "each model claimed once, though both processes claimed at once");
                final long[] phases = new long[2];
                final int[] categories = {0};
                counters.forEachCategory((name, c) ->
                {
                    categories[0]++;
                    phases[0] += c.phases();
                    phases[1] += c.escalations();
                });
                assertEquals(12, categories[0]);
                assertEquals(expected[0], phases[0]);
                assertEquals(expected[2], phases[1]);
            }
        }
        finally
        {
            workers.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void shouldKeepNamesOfAnyLengthApart() throws Exception
    {
        final String longName = "provider/" + "x".repeat(400);
        final String otherLongName = "provider/" + "x".repeat(399) + "y";
        try (SharedPhaseCounters counters = SharedPhaseCounters.open(dir.resolve("counters")))
        {
            counters.addPhase(longName, true);
            counters.addPhase(otherLongName, false);
            counters.addPhase("é".repeat(200), false);
            counters.addAttempt(longName, false, false, 1, 1, 1, false, false); // a model may share a category's name
            final Map<String, PhaseCounters.CategoryCounts> categories = new HashMap<>();
            counters.forEachCategory(categories::put);
            assertEquals(3, categories.size(), categories.keySet().toString());
            categories.keySet().forEach(name -> assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 232, name));
            assertTrue(categories.keySet().stream().anyMatch(n -> n.startsWith("provider/xxx") && n.contains("~")));
            final int[] models = {0};
            counters.forEachModel((name, c) -> models[0]++);
            assertEquals(1, models[0]);
        }
    }

    @Test
    void shouldReportARecordWithAnImpossibleNameLengthOrKindAsCorruptAndNeverReadIt() throws Exception
    {
        final Path file = dir.resolve("counters");
        final int[][] damages = {
            {CountersDescriptor.NAME_LENGTH_OFFSET, -5}, {CountersDescriptor.NAME_LENGTH_OFFSET, Integer.MIN_VALUE},
            {CountersDescriptor.NAME_LENGTH_OFFSET, Integer.MAX_VALUE}, {CountersDescriptor.NAME_LENGTH_OFFSET, 0},
            {CountersDescriptor.NAME_LENGTH_OFFSET, CountersDescriptor.MAX_NAME_BYTES + 1},
            {CountersDescriptor.KIND_OFFSET, 7},
        };
        for (final int[] damage : damages)
        {
            Files.deleteIfExists(file);
            try (SharedPhaseCounters counters = SharedPhaseCounters.open(file))
            {
                counters.addAttempt("good", false, false, 1, 1, 1, false, false);
                counters.addAttempt("victim", false, false, 2, 2, 2, false, false);
                counters.addPhase("docs", true);
            }
            final int record = CountersDamage.overwriteInt(file, "victim", damage[0], damage[1]);
            try (SharedPhaseCounters counters = SharedPhaseCounters.open(file))
            {
                final Map<String, PhaseCounters.ModelCounts> models = new HashMap<>();
                counters.forEachModel(models::put);
                final Map<String, PhaseCounters.CategoryCounts> categories = new HashMap<>();
                counters.forEachCategory(categories::put);
                final List<String> corrupt = new ArrayList<>();
                counters.forEachCorrupt((index, why) -> corrupt.add(index + ": " + why));
                final String what = damage[0] + " <- " + damage[1];
                assertEquals(Map.of("good", new PhaseCounters.ModelCounts(1, 0, 0, 1, 1, 1, 0, 0)), models, what);
                assertEquals(Map.of("docs", new PhaseCounters.CategoryCounts(1, 1)), categories, what);
                assertEquals(1, corrupt.size(), what);
                assertTrue(corrupt.get(0).startsWith(record + ": ") && corrupt.get(0).contains(
                    String.valueOf(damage[1])), corrupt.get(0));
                counters.addAttempt("victim", false, false, 3, 3, 3, false, false);
                models.clear();
                counters.forEachModel(models::put);
                assertEquals(3, models.get("victim").inputTokens(), "counted afresh in a record of its own: " + what);
            }
        }
    }

    @Test
    void shouldRefuseAFileThatIsNotItsOwn() throws Exception
    {
        final Path junk = Files.writeString(dir.resolve("junk"), "not counters\n".repeat(1000));
        final String before = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(junk)));
        final ForeignFileException refused = assertThrows(ForeignFileException.class, () -> SharedPhaseCounters.open(junk));
        assertTrue(refused.getMessage().contains("not a modelsel counters file") &&
            refused.getMessage().contains("left as it is"), refused.getMessage());
        assertEquals(before, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(junk))));
    }
}
