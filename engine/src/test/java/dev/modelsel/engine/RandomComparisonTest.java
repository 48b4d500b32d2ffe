package dev.modelsel.engine;

import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.limits.InMemoryLimitsStore;
import dev.modelsel.engine.protocol.RunLoop;
import dev.modelsel.engine.protocol.RunSession;
import dev.modelsel.engine.reference.RandomCatalogs;
import dev.modelsel.engine.reference.RandomScript;
import dev.modelsel.engine.reference.RefCatalog;
import dev.modelsel.engine.reference.ReferenceProtocol;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast selector, through the whole {@code run} path (catalog text → loader → compiler → bitset selector →
 * protocol → streamed answers), against {@link ReferenceProtocol}, the plain reading of SPEC §3–§4, on seeded
 * random catalogs and scripts. A new seed every build; {@code -Dmodelsel.seed=N} replays one, and a failure
 * prints it and writes the catalog and script under {@code target/random-failures/}.
 */
class RandomComparisonTest
{
    private static final int CATALOGS = 400;
    private static final int REQUESTS_PER_CATALOG = 300;
    private static final List<String> KEYS = List.of("status", "model", "tier", "initial_tier", "fallback", "retry_at_ms");

    @Test
    void shouldAnswerEveryRandomRequestAsTheReferenceDoes() throws Exception
    {
        compareRandom(false);
    }

    /**
     * SPEC §7: catalogs whose limits and budgets bind often, scripts that record outcomes, the product keeping its
     * buckets and spend in memory as {@code modelsel run} does.
     */
    @Test
    void shouldAnswerEveryRandomRequestUnderLimitsAndBudgetsAsTheReferenceDoes() throws Exception
    {
        compareRandom(true);
    }

    private static void compareRandom(final boolean limits) throws Exception
    {
        final long seed = Long.getLong("modelsel.seed", new SecureRandom().nextLong());
        final Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < CATALOGS; i++)
        {
            final Random random = new Random(seed + i);
            final RefCatalog catalog = RandomCatalogs.generate(random, limits);
            final RandomScript script = RandomScript.generate(random, catalog, REQUESTS_PER_CATALOG);
            compare(seed, i, catalog, script, i % 2 == 0, limits, outcomes);
        }
        final int answered = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(answered >= 100_000, "compared only " + answered + " answers");
        // A comparison that never reaches a branch proves nothing about it: every outcome must have come up.
        for (final String outcome : List.of("OK/NONE", "OK/SAME_TIER", "OK/LOWER_TIER", "OK/ANY", "NO_MODEL_FITS",
            "NO_MODEL_AVAILABLE", "CANNOT_ESCALATE", "GIVE_UP", "NOT_NEEDED", "WAIT", "INVALID_REQUEST"))
        {
            assertTrue(outcomes.getOrDefault(outcome, 0) > 0, "seed " + seed + " never produced " + outcome + ": " + outcomes);
        }
    }

    private static void compare(
        final long seed,
        final int index,
        final RefCatalog catalog,
        final RandomScript script,
        final boolean asJson,
        final boolean limits,
        final Map<String, Integer> outcomes) throws IOException
    {
        final String catalogText = ReferenceProtocol.JSON.writeValueAsString(catalog.toJson());
        final CompiledCatalog compiled;
        try
        {
            compiled = CatalogLoader.parse("random-" + index + (asJson ? ".json" : ".yaml"), catalogText, asJson).compile();
        }
        catch (final CatalogException ex)
        {
            throw failure(seed, index, catalogText, script, "the random catalog did not load: " + ex.getMessage());
        }

        final long[] clock = {0};
        final RunSession session = new RunSession(Selector.create(compiled, new InMemoryAvailabilityTable(),
            limits ? new InMemoryLimitsStore() : null), () -> clock[0]);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunLoop.run(new LineByLine(script, clock), out, session);
        final String[] answers = out.toString(StandardCharsets.UTF_8).split("\n", -1);

        final ReferenceProtocol reference = new ReferenceProtocol(catalog, () -> clock[0]);
        int answer = 0;
        for (int line = 0; line < script.lines().size(); line++)
        {
            clock[0] = script.clockAt(line);
            final Map<String, Object> expected = reference.handle(script.lines().get(line));
            if (expected == null)
            {
                continue;
            }
            if (answer >= answers.length - 1)
            {
                throw failure(seed, index, catalogText, script, "no answer to line " + (line + 1));
            }
            final Map<?, ?> actual = ReferenceProtocol.JSON.readValue(answers[answer++], Map.class);
            final Object fallback = expected.get("fallback");
            outcomes.merge(expected.get("status") + (fallback == null ? "" : "/" + fallback), 1, Integer::sum);
            final String mismatch = mismatch(expected, actual);
            if (mismatch != null)
            {
                throw failure(seed, index, catalogText, script, "line " + (line + 1) + ": " + script.lines().get(line) +
                    "\n  at clock " + script.clockAt(line) + ", " + mismatch + "\n  expected " + expected +
                    "\n  actual   " + actual);
            }
        }
        if (answer != answers.length - 1)
        {
            throw failure(seed, index, catalogText, script, (answers.length - 1) + " answers for " + answer + " requests");
        }
    }

    private static String mismatch(final Map<String, Object> expected, final Map<?, ?> actual)
    {
        if (expected.get("status").equals("INVALID_REQUEST") || actual.get("status").equals("INVALID_REQUEST"))
        {
            return expected.get("status").equals(actual.get("status")) ? null : "status differs";
        }
        for (final String key : KEYS)
        {
            if (expected.containsKey(key) && !sameValue(expected.get(key), actual.get(key)))
            {
                return key + " differs";
            }
        }
        return null;
    }

    private static boolean sameValue(final Object expected, final Object actual)
    {
        if (expected instanceof Number && actual instanceof Number)
        {
            return ((Number)expected).longValue() == ((Number)actual).longValue();
        }
        return Objects.equals(expected, actual);
    }

    private static AssertionError failure(
        final long seed, final int index, final String catalogText, final RandomScript script, final String what)
    {
        final Path dir = Path.of("target", "random-failures");
        final String name = "seed-" + seed + "-catalog-" + index;
        try
        {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".json"), catalogText);
            Files.write(dir.resolve(name + ".jsonl"), script.lines());
        }
        catch (final IOException ex)
        {
            // the message below still carries the seed
        }
        return new AssertionError("random catalog " + index + " of seed " + seed + " (replay: mvn -B verify " +
            "-Dmodelsel.seed=" + seed + "; catalog and script in " + dir.resolve(name) + ".*): " + what);
    }

    /**
     * Hands the run loop one line per read and sets the clock to that line's time, so that a request without
     * now_ms sees the clock the reference uses. Also exercises the loop's flush-before-read.
     */
    private static final class LineByLine extends InputStream
    {
        private final RandomScript script;
        private final long[] clock;
        private int next;
        private byte[] pending = new byte[0];
        private int position;

        LineByLine(final RandomScript script, final long[] clock)
        {
            this.script = script;
            this.clock = clock;
        }

        @Override
        public int read()
        {
            throw new UnsupportedOperationException("the run loop reads blocks");
        }

        @Override
        public int read(final byte[] into, final int offset, final int length)
        {
            if (position == pending.length)
            {
                if (next == script.lines().size())
                {
                    return -1;
                }
                clock[0] = script.clockAt(next);
                pending = (script.lines().get(next++) + "\n").getBytes(StandardCharsets.UTF_8);
                position = 0;
            }
            final int count = Math.min(length, pending.length - position);
            System.arraycopy(pending, position, into, offset, count);
            position += count;
            return count;
        }
    }
}
