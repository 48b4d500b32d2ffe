package dev.modelsel.benchmarks.latency;

import dev.modelsel.benchmarks.UsageError;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    }

    private static void assertRefused(final String message, final String... args)
    {
        assertEquals(message, assertThrows(UsageError.class, () -> SelectLatencyHarness.main(args)).getMessage());
    }
}
