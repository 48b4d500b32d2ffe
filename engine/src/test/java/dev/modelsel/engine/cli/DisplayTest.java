package dev.modelsel.engine.cli;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Random;

import org.junit.jupiter.api.io.TempDir;

import static dev.modelsel.engine.cli.CommandLineTest.modelsel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prices and other catalog numbers print as written, without the binary noise of a double's last digits. */
class DisplayTest
{
    /** LiteLLM's databricks-gpt-5-mini: 0.070 x 3.571e-6 per token, computed in binary. */
    private static final String NOISY_INPUT = "0.24997000000000006";
    private static final String NOISY_OUTPUT = "1.9999700000000004";

    @TempDir
    Path dir;

    @Test
    void shouldPrintNumbersAsWrittenWithoutBinaryNoise()
    {
        assertEquals("0.24997", Display.number(Double.parseDouble(NOISY_INPUT)));
        assertEquals("1.99997", Display.number(Double.parseDouble(NOISY_OUTPUT)));
        assertEquals("0.1", Display.number(0.1));
        assertEquals("0.0000001", Display.number(1e-7));
        assertEquals("15", Display.number(15.0));
        assertEquals("0", Display.number(-0.0));
        assertEquals("282879384806159000", Display.number(2.82879384806159E17), "Java 17 prints ...159008E17");
        assertEquals("inf", Display.number(Double.POSITIVE_INFINITY));
        assertEquals("0.00024997", Display.money(new BigDecimal("0.00024997000000000005")));
    }

    @Test
    void shouldPrintEveryNumberOfFifteenDigitsOrFewerExactlyAsWritten()
    {
        final long seed = Long.getLong("modelsel.seed", new SecureRandom().nextLong());
        final Random random = new Random(seed);
        for (int i = 0; i < 100_000; i++)
        {
            final int digits = 1 + random.nextInt(15);
            final long unscaled = (long)Math.floor(Math.pow(10, digits - 1)) + (long)(random.nextDouble() *
                9 * Math.pow(10, digits - 1));
            final BigDecimal written = new BigDecimal(java.math.BigInteger.valueOf(unscaled), random.nextInt(30) - 10);
            final String expected = written.stripTrailingZeros().toPlainString();
            assertEquals(expected, Display.number(written.doubleValue()), "seed " + seed + ": " + written);
        }
    }

    @Test
    void shouldShowPricesWithoutNoiseWhereverTheyAppear() throws Exception
    {
        final Path catalog = Files.writeString(dir.resolve("noisy.yaml"), String.join("\n", "version: 1",
            "models:", "  noisy: {context_window: 272000, input_cost_per_mtok: " + NOISY_INPUT +
                ", output_cost_per_mtok: " + NOISY_OUTPUT + ", capability: 0.7}",
            "tiers:", "  - {tier: 1, models: [noisy]}", ""));
        final Path history = Files.writeString(dir.resolve("history.jsonl"), "{\"category\": \"c\", \"complexity\": " +
            "\"low\", \"initial_tier\": 1, \"final_tier\": 1, \"model\": \"noisy\", \"input_tokens\": 1000, " +
            "\"output_tokens\": 0, \"success\": true}\n");
        final Path html = dir.resolve("report.html");
        final String explain = modelsel("select", "--catalog", catalog.toString(), "--complexity", "low", "--tokens",
            "5", "--explain").out();
        final String show = modelsel("catalog", "show", catalog.toString()).out();
        final String analyze = modelsel("analyze", "--catalog", catalog.toString(), "--html", html.toString(),
            history.toString()).out();
        assertTrue(explain.contains("$0.24997/Mtok"), explain);
        assertTrue(show.contains(" 0.24997 ") && show.contains(" 1.99997 "), show);
        assertTrue(analyze.contains("$0.00024997 "), analyze);
        assertTrue(Files.readString(html).contains("$0.00024997<"), Files.readString(html));
        for (final String output : new String[] {explain, show, analyze, Files.readString(html)})
        {
            assertFalse(output.contains("0000000000"), output);
        }
    }

    @Test
    void shouldEscapeControlCharactersOfUserText()
    {
        assertEquals("a\\nb\\u0000c\\td\\r\\u001b[2J\\u2028\\u202e\\u0085", Display.printable(
            "a\nb\u0000c\td\r\u001b[2J\u2028\u202e\u0085"));
        assertEquals("gpt-4o é 模型 \\n stays", Display.printable("gpt-4o é 模型 \\n stays"),
            "only what a terminal obeys");
        assertEquals("line 1\\u0000" + System.lineSeparator() + "line\\r2",
            Display.printableLines("line 1\u0000" + System.lineSeparator() + "line\r2"));
    }

    @Test
    void shouldNeverPrintAControlCharacterOfAnIdOrCategoryRaw() throws Exception
    {
        final String id = "evil\nrow\u0000\u001b[31m";
        final String shown = "evil\\nrow\\u0000\\u001b[31m";
        final String json = "\"evil\\nrow\\u0000\\u001b[31m\"";
        final Path catalog = Files.writeString(dir.resolve("evil.json"), "{\"version\": 1, \"models\": {" + json +
            ": {\"context_window\": 1000, \"input_cost_per_mtok\": 1, \"capability\": 0.9}, \"unused\\u0007\": {}}, " +
            "\"tiers\": [{\"tier\": 1, \"models\": [" + json + "]}]}");
        final String record = "{\"category\": " + json + ", \"complexity\": \"low\", \"initial_tier\": 1, " +
            "\"final_tier\": 1, \"model\": " + json + ", \"input_tokens\": 1000, \"output_tokens\": 0, " +
            "\"success\": true}\n";
        final Path history = Files.writeString(dir.resolve("history.jsonl"), record +
            record.replace("\"low\"", json));
        final String table = dir.resolve("evil.table").toString();
        final CommandLineTest.Run show = modelsel("catalog", "show", catalog.toString());
        final CommandLineTest.Run explain = modelsel("select", "--catalog", catalog.toString(), "--complexity", "low",
            "--tokens", "5", "--explain");
        final CommandLineTest.Run select = modelsel("select", "--catalog", catalog.toString(), "--complexity", "low",
            "--tokens", "5");
        final CommandLineTest.Run analyze = modelsel("analyze", "--catalog", catalog.toString(), history.toString());
        final CommandLineTest.Run down = modelsel("availability", "set-down", id, "--table", table);
        final CommandLineTest.Run availability = modelsel("availability", "show", "--table", table);
        assertEquals(0, down.exitCode(), down.err());
        for (final CommandLineTest.Run run : new CommandLineTest.Run[] {show, explain, select, analyze, availability})
        {
            final String output = run.out() + run.err();
            assertTrue(run.out().contains(shown), output);
            assertFalse(output.chars().anyMatch(c -> c != '\n' && Character.isISOControl(c)), output);
            assertFalse(output.contains("evil\nrow"), output);
        }
        assertTrue(show.out().contains("unused\\u0007"), show.out());
        assertTrue(analyze.err().contains("line 2: skipped: complexity must be low, medium or high, got \"" + shown +
            "\""), analyze.err());
    }
}
