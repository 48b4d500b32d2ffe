package dev.modelsel.engine.availability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random bytes over a table's map body, trial after trial ({@link CorruptionWorker}, in a JVM of its own): each
 * trial is refused, reported or correct, never garbage (see the worker for what each means). A new seed every build;
 * {@code -Dmodelsel.seed=N} replays one, and a failure names its seed.
 * <p>
 * What no checksum can catch, and what the trials therefore allow: damage to Chronicle's hash lookup (or to a key)
 * such that a read of a model no longer finds its record. Such a model reads as one the table knows nothing about,
 * which is what a corrupt record reads as too (available), and is never read as other data; the listing reports the
 * entry that its own id no longer finds, or the entries the index lost (a count kept beside the map), so {@code show}
 * names the damage by position, though it cannot always name the model. A trial that loses a model without any such
 * report is garbage.
 * <p>
 * The worker runs with Chronicle's lock timeout at 0 s: a damaged lock word then fails at once (as a
 * {@link SharedTableException}, reported) instead of after the 2 s a table in use waits for a dying writer.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TableCorruptionTest
{
    private static final int TRIALS = 300;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseOrReportDamagedBytesAndNeverReadThemAsData() throws Exception
    {
        final long seed = Long.getLong("modelsel.seed", new SecureRandom().nextLong());
        final String replay = "seed " + seed + " (replay: mvn -B verify -Dmodelsel.seed=" + seed + ")";
        final Process worker = Jvms.start(true, List.of("-D" + SharedAvailabilityTable.LOCK_TIMEOUT_PROPERTY + "=0"),
            CorruptionWorker.class, String.valueOf(seed), String.valueOf(TRIALS), dir.toString());
        final Map<String, Integer> outcomes = new TreeMap<>();
        final List<String> garbage = new ArrayList<>();
        String last = "(none)";
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(worker.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            for (String line = lines.readLine(); line != null && !line.equals("done"); line = lines.readLine())
            {
                if (!line.startsWith("trial "))
                {
                    garbage.add("the worker said: " + line);
                    continue;
                }
                last = line;
                final String outcome = line.split(" ", 4)[2];
                outcomes.merge(outcome, 1, Integer::sum);
                if (outcome.equals("GARBAGE"))
                {
                    garbage.add(line);
                }
            }
        }
        finally
        {
            assertTrue(worker.waitFor(60, TimeUnit.SECONDS), replay + ": the worker did not end");
        }
        assertEquals(0, worker.exitValue(), replay + ": the worker JVM died after " + last);
        assertTrue(garbage.isEmpty(), replay + ": " + garbage.size() + " trials read damage as data:\n" +
            String.join("\n", garbage.subList(0, Math.min(10, garbage.size()))));
        assertEquals(TRIALS, outcomes.values().stream().mapToInt(Integer::intValue).sum(), replay + ": " + outcomes);
        for (final String outcome : new String[] {"refused", "reported", "correct"})
        {
            assertTrue(outcomes.getOrDefault(outcome, 0) > 0, replay + " never produced " + outcome + ": " + outcomes);
        }
    }
}
