package dev.modelsel.benchmarks.regression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The regression run's verdicts, on made-up measurements: it must be able to fail. */
class RegressionRunTest
{
    private static final String BASELINE = "{\"ratios\": {" +
        "\"seed\": {\"naive / modelsel\": 40.0, \"modelsel / floor\": 2.0, \"sharedTable / modelsel\": 1.0}, " +
        "\"litellm\": {\"naive / modelsel\": 2000.0, \"modelsel / floor\": 2.0, \"sharedTable / modelsel\": 1.0}}}";

    @Test
    void shouldPassWhatMatchesTheBaseline() throws Exception
    {
        assertTrue(verdict(measured(20, 800, 10, 20, 0.0001), false));
    }

    @Test
    void shouldFailWhenModelselFallsBehindNaiveByMoreThanAQuarter() throws Exception
    {
        final String out = table(measured(30, 800, 10, 30, 0.0001), false);
        assertTrue(out.contains("REGRESSED"), out);
        assertFalse(verdict(measured(30, 800, 10, 30, 0.0001), false), "40x became 26.7x");
    }

    @Test
    void shouldFailWhenTheOverheadOverTheFloorGrows() throws Exception
    {
        assertFalse(verdict(measured(26, 2000, 10, 26, 0.0001), false), "modelsel / floor 2.0 became 2.6");
    }

    @Test
    void shouldFailWhenSelectingAllocates() throws Exception
    {
        assertFalse(verdict(measured(20, 800, 10, 20, 16), false));
        assertFalse(verdict(measured(20, 800, 10, 20, 16), true), "allocation gates a smoke run too");
    }

    @Test
    void shouldTakeAsLongAsTheDocumentationSays() throws Exception
    {
        final String doc = Files.readString(Path.of("..", "docs", "performance.md"));
        final String section = doc.substring(doc.indexOf("## Regression run"), doc.indexOf("## `modelsel run` throughput"));
        assertTrue(section.contains("5 × 1 s measurement; about " + RegressionRun.estimatedSeconds(false) + " s"),
            "docs/performance.md must give the full run's printed estimate, " + RegressionRun.estimatedSeconds(false) +
                " s: " + section);
        assertTrue(section.contains("one 1 s iteration each (about " + RegressionRun.estimatedSeconds(true) + " s"),
            "docs/performance.md must give the smoke run's printed estimate, " + RegressionRun.estimatedSeconds(true) +
                " s: " + section);
    }

    @Test
    void shouldNotGateRatiosInASmokeRun() throws Exception
    {
        assertTrue(verdict(measured(30, 800, 10, 30, 0.0001), true));
    }

    private static Map<String, RegressionRun.Measured> measured(
        final double modelsel, final double naive, final double floor, final double shared, final double bytes)
    {
        final Map<String, RegressionRun.Measured> measured = new HashMap<>();
        for (final String catalog : RegressionRun.CATALOGS)
        {
            final double scale = catalog.equals("seed") ? 1 : 50;
            measured.put(RegressionRun.key("modelsel", catalog), new RegressionRun.Measured(modelsel, bytes));
            measured.put(RegressionRun.key("naive", catalog), new RegressionRun.Measured(naive * scale, 1000));
            measured.put(RegressionRun.key("floor", catalog), new RegressionRun.Measured(floor, 0));
            measured.put(RegressionRun.key("sharedTable", catalog), new RegressionRun.Measured(shared, bytes));
        }
        return measured;
    }

    private static boolean verdict(final Map<String, RegressionRun.Measured> measured, final boolean smoke)
        throws Exception
    {
        return RegressionRun.print(new PrintStream(new ByteArrayOutputStream()), measured, baseline(), smoke);
    }

    private static String table(final Map<String, RegressionRun.Measured> measured, final boolean smoke) throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        RegressionRun.print(new PrintStream(out, true, StandardCharsets.UTF_8), measured, baseline(), smoke);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static JsonNode baseline() throws Exception
    {
        return new ObjectMapper().readTree(BASELINE);
    }
}
