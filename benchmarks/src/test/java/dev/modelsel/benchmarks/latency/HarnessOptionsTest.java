package dev.modelsel.benchmarks.latency;

import dev.modelsel.benchmarks.UsageError;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harnesses' command lines: help, and a mistake as one sentence before any work (never a stack trace). */
class HarnessOptionsTest
{
    @Test
    void shouldPrintHelpAndDoNothingElse() throws Exception
    {
        final PrintStream stdout = System.out;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try
        {
            SelectLatencyHarness.main(new String[] {"--help"});
            PropagationHarness.main(new String[] {"--rate", "5", "-h"});
        }
        finally
        {
            System.setOut(stdout);
        }
        final String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("benchmarks.jar latency [--catalog seed|litellm]") &&
            help.contains("--catalog VALUE") && help.contains("(default: seed)"), help);
        assertTrue(help.contains("benchmarks.jar propagation [--changes N]") && help.contains("--warmup-changes VALUE"),
            help);
        assertTrue(help.contains("benchmarks.jar propagation --hosts") && help.contains("  --hosts ") &&
            !help.contains("--hosts VALUE") && help.contains("--modelsel-jar VALUE"), help);
    }

    @Test
    void shouldTakeAFlagWithoutAValue()
    {
        final List<HarnessOptions.Option> options = List.of(new HarnessOptions.Option("changes", "10", "changes"),
            HarnessOptions.Option.flag("hosts", "across hosts"));
        final HarnessOptions given = HarnessOptions.parse("usage", new String[] {"--hosts", "--changes", "5"}, options,
            System.out);
        assertTrue(given.flag("hosts"));
        assertTrue(given.given("changes") && given.given("hosts"));
        assertEquals(5, given.number("changes", 1));
        final HarnessOptions none = HarnessOptions.parse("usage", new String[] {"--changes", "5"}, options, System.out);
        assertFalse(none.flag("hosts"));
        assertFalse(none.given("hosts"));
        assertEquals("--changes needs a value", assertThrows(UsageError.class, () -> HarnessOptions.parse("usage",
            new String[] {"--hosts", "--changes"}, options, System.out)).getMessage());
    }

    @Test
    void shouldRefuseMistakesInOneSentenceBeforeAnyWork()
    {
        assertRefused("--catalog must be seed or litellm, not \"nope\"", "--catalog", "nope");
        assertRefused("--rate must be a whole number, not \"x\"", "--rate", "x");
        assertRefused("--rate must be 1 or more, not 0", "--rate", "0");
        assertRefused("--seconds needs a value", "--seconds");
        assertRefused("unknown option \"--help-me\"; the options are --catalog, --rate, --seconds, --warmup-seconds, " +
            "--out", "--help-me", "1");
        final UsageError propagation = assertThrows(UsageError.class,
            () -> PropagationHarness.main(new String[] {"--changes", "1e4"}));
        assertEquals("--changes must be a whole number, not \"1e4\"", propagation.getMessage());
        assertEquals("--poll-us must be 0 or more, not -1", assertThrows(UsageError.class,
            () -> PropagationHarness.main(new String[] {"--hosts", "--poll-us", "-1"})).getMessage());
    }

    private static void assertRefused(final String message, final String... args)
    {
        assertEquals(message, assertThrows(UsageError.class, () -> SelectLatencyHarness.main(args)).getMessage());
    }
}
