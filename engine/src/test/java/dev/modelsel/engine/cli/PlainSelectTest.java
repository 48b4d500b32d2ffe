package dev.modelsel.engine.cli;

import dev.modelsel.catalog.Complexity;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link PlainSelect}, the fast path of {@code select}'s command line, against picocli's reading of the same
 * arguments: whatever it accepts, picocli must accept with the same values. Random command lines with a new seed
 * every build; {@code -Dmodelsel.seed=N} replays one.
 */
class PlainSelectTest
{
    private static final int COMMAND_LINES = 20_000;

    /** Words that make plain command lines, and words that make every kind of line picocli reads differently. */
    private static final String[] WORDS = {
        "--complexity", "--complexity", "--tokens", "--tokens", "--catalog", "--availability", "--availability",
        "--json", "--explain", "--now-ms", "low", "medium", "high", "HIGH", "145000", "0", "007", "5", "-5", "+5",
        "1e5", "99999999999999999999", "999999999999999999", "", "x.yaml", "@args.txt", "'q'", "--", "-h", "--help",
        "-V", "--json=true", "--tokens=5", "--tokens=", "--complexity=low", "--catalog=c.yaml", "--availability=",
        "--availability=t.table", "--now-ms=12", "--now-ms=-1", "--tokns", "extra", "select", "-", "--explain=false"};

    @Test
    void shouldReadTheReadmeCommandItself()
    {
        final SelectCommand command = PlainSelect.parse("select", "--complexity", "high", "--tokens", "145000", "--explain");
        assertNotNull(command);
        assertEquals(Complexity.HIGH, command.complexity);
        assertEquals(145_000, command.tokens);
        assertTrue(command.explain);
        assertNull(command.catalog.file);
        assertNull(command.availability.path);
    }

    @Test
    void shouldLeaveToPicocliWhatItIsNotSureOf()
    {
        for (final String[] args : List.of(
            new String[] {"select", "--complexity", "high"},
            new String[] {"select", "--complexity", "high", "--tokens", "-5"},
            new String[] {"select", "--complexity", "high", "--tokens", "1e5"},
            new String[] {"select", "--complexity", "high", "--tokens", "5", "--tokens", "6"},
            new String[] {"select", "--complexity", "high", "--tokens", "5", "--help"},
            new String[] {"select", "--complexity", "high", "--tokens", "@file"},
            new String[] {"select", "--complexity", "huge", "--tokens", "5"},
            new String[] {"select", "--complexity", "high", "--tokens", "5", "--catalog="},
            new String[] {"select", "--complexity", "high", "--tokens", "5", "extra"},
            new String[] {"run", "--complexity", "high", "--tokens", "5"}))
        {
            assertNull(PlainSelect.parse(args), String.join(" ", args));
        }
    }

    @Test
    void shouldReadEveryCommandLineItAcceptsAsPicocliDoes()
    {
        final long seed = Long.getLong("modelsel.seed", new SecureRandom().nextLong());
        final Random random = new Random(seed);
        int accepted = 0;
        for (int i = 0; i < COMMAND_LINES; i++)
        {
            final List<String> args = new ArrayList<>(List.of("select"));
            if (random.nextBoolean()) // most random lines are mistakes: start half of them from a plain one
            {
                args.addAll(List.of("--complexity", "medium", "--tokens", "1000"));
            }
            for (int n = random.nextInt(6); n > 0; n--)
            {
                args.add(1 + random.nextInt(args.size()), WORDS[random.nextInt(WORDS.length)]);
            }
            final String[] line = args.toArray(String[]::new);
            final SelectCommand plain = PlainSelect.parse(line);
            if (plain != null)
            {
                accepted++;
                assertSameReading(seed, line, plain);
            }
        }
        assertTrue(accepted > COMMAND_LINES / 40, "seed " + seed + ": only " + accepted + " lines were plain");
    }

    private static void assertSameReading(final long seed, final String[] line, final SelectCommand plain)
    {
        final String what = "seed " + seed + ": " + Arrays.toString(line);
        final SelectCommand picocli;
        try
        {
            final ParseResult result = ModelselCommand.commandLine(line).parseArgs(line);
            assertTrue(result.unmatched().isEmpty() && !result.subcommand().isUsageHelpRequested() &&
                !result.subcommand().isVersionHelpRequested(), what);
            picocli = (SelectCommand)result.subcommand().commandSpec().userObject();
        }
        catch (final CommandLine.ParameterException ex)
        {
            fail(what + ": plain, but picocli refuses it: " + ex.getMessage());
            return;
        }
        assertEquals(picocli.complexity, plain.complexity, what);
        assertEquals(picocli.tokens, plain.tokens, what);
        assertEquals(picocli.nowMs, plain.nowMs, what);
        assertEquals(picocli.json, plain.json, what);
        assertEquals(picocli.explain, plain.explain, what);
        assertEquals(picocli.catalog.file, plain.catalog.file, what);
        assertEquals(picocli.availability.path, plain.availability.path, what);
        assertTrue(plain.tokens >= 0 && (plain.nowMs == null || plain.nowMs >= 0), what + ": call() would refuse it");
    }
}
