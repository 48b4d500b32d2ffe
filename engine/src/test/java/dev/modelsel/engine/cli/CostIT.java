package dev.modelsel.engine.cli;

import dev.modelsel.engine.reference.ReferenceProtocol;
import dev.modelsel.engine.cli.ModelselJar.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.modelsel.engine.cli.ModelselJar.modelsel;
import static dev.modelsel.engine.cli.ModelselJar.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cost tracking and escalation analysis through the packaged command: analyze, stats, run's record op. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CostIT
{

    @TempDir
    Path dir;


    @Test
    void shouldAnalyzeAHistoryAsOneJsonObject() throws Exception
    {
        final Path history = Files.writeString(dir.resolve("history.jsonl"),
            record("docs", 3, 3, "claude-3-haiku-20240307", 8000) +
            record("refactor", 1, 1, "claude-3-sonnet-20240229", 145000) +
            "not json\n" +
            record("refactor", 2, 1, "claude-3-opus-20240229", 145000) +
            record("feature", 2, 2, "mystery", 1000000));
        final Result result = modelsel(null, "analyze", "--json", history.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(1, result.out().lines().count(), "exactly one object");
        final Map<?, ?> report = ReferenceProtocol.JSON.readValue(result.out(), Map.class);
        assertEquals(Map.of("docs", Map.of("phases", 1, "escalated", 0, "escalation_rate", 0.0, "raise_complexity", false),
            "refactor", Map.of("phases", 2, "escalated", 1, "escalation_rate", 0.5, "raise_complexity", false),
            "feature", Map.of("phases", 1, "escalated", 0, "escalation_rate", 0.0, "raise_complexity", false)),
            normalise(report.get("categories")));
        final Map<?, ?> cost = (Map<?, ?>)report.get("cost_usd");
        assertEquals("7.612", cost.get("total").toString(), "0.002 + 0.435 + 2.175 + 5 (defaults)");
        assertEquals("5", ((Map<?, ?>)cost.get("by_model")).get("mystery").toString());
        assertEquals(1, ((Number)report.get("skipped_lines")).intValue());
        assertTrue(result.err().contains("line 3: skipped: not valid JSON"), result.err());
    }

    @Test
    void shouldWriteAReadableTableAndAnHtmlReport() throws Exception
    {
        final StringBuilder history = new StringBuilder();
        for (int i = 0; i < 6; i++)
        {
            history.append(record("tests", 3, 2, "claude-3-sonnet-20240229", 1000));
        }
        final Path file = Files.writeString(dir.resolve("h.jsonl"), history.toString());
        final Path html = dir.resolve("report.html");
        final Result result = modelsel(null, "analyze", "--html", html.toString(), file.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().lines().anyMatch(l -> l.contains("tests") && l.contains("raise the default complexity")),
            result.out());
        final String page = Files.readString(html);
        assertTrue(page.contains("<svg") && page.contains("Cost by model") && page.contains("Escalation rate by category"));
        assertFalse(page.contains("http://") && !page.contains("http://www.w3.org/2000/svg"), "self-contained");
        assertEquals(2, modelsel(null, "analyze", "--threshold", "-1", file.toString()).exitCode());
        assertEquals(1, modelsel(null, "analyze", dir.resolve("none.jsonl").toString()).exitCode());
    }

    @Test
    void shouldAddUpTwoRunProcessesRecordingIntoSharedCounters() throws Exception
    {
        final Path counters = dir.resolve("counters");
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 500; i++)
        {
            lines.append("{\"op\": \"record\", ").append(record("c" + i % 7, 3, 1 + i % 3, "claude-3-haiku-20240307",
                1000 + i).substring(1));
        }
        final List<Process> runs = new ArrayList<>();
        for (int p = 0; p < 2; p++)
        {
            runs.add(start("run", "--counters", counters.toString()));
        }
        for (final Process run : runs)
        {
            try (OutputStream in = run.getOutputStream())
            {
                in.write(lines.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        for (final Process run : runs)
        {
            final String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(run.waitFor(60, TimeUnit.SECONDS));
            assertEquals(500, out.lines().filter(l -> l.startsWith("{\"status\": \"OK\", \"cost_usd\": ")).count(), out);
        }
        final Result stats = modelsel(null, "stats", "--counters", counters.toString(), "--json");
        assertEquals(0, stats.exitCode(), stats.err());
        final Map<?, ?> all = ReferenceProtocol.JSON.readValue(stats.out(), Map.class);
        final Map<?, ?> haiku = (Map<?, ?>)((Map<?, ?>)all.get("models")).get("claude-3-haiku-20240307");
        assertEquals(1000, ((Number)haiku.get("attempts")).intValue());
        long input = 0;
        for (int i = 0; i < 500; i++)
        {
            input += 1000 + i;
        }
        assertEquals(2 * input, ((Number)haiku.get("input_tokens")).longValue());
        assertEquals(7, ((Map<?, ?>)all.get("categories")).size());
        final Result human = modelsel(null, "stats", "--counters", counters.toString());
        assertTrue(human.out().contains("claude-3-haiku-20240307") && human.out().contains("escalations"), human.out());
    }

    @Test
    void shouldShowNothingAndCreateNothingWithoutCounters() throws Exception
    {
        final Path missing = dir.resolve("nothing-here");
        final Result result = modelsel(null, "stats", "--counters", missing.toString(), "--json");
        assertEquals(0, result.exitCode());
        assertEquals("{\"models\": {}, \"categories\": {}}", result.out().trim());
        assertFalse(Files.exists(missing));
    }

    private static Object normalise(final Object categories)
    {
        final Map<String, Object> out = new HashMap<>();
        ((Map<?, ?>)categories).forEach((k, v) ->
        {
            final Map<String, Object> c = new HashMap<>();
            ((Map<?, ?>)v).forEach((field, value) -> c.put((String)field, value instanceof Number &&
                !(value instanceof Double) ? ((Number)value).intValue() : value));
            out.put((String)k, c);
        });
        return out;
    }

    private static String record(final String category, final int initial, final int last, final String model, final long in)
    {
        return "{\"category\": \"" + category + "\", \"complexity\": \"high\", \"initial_tier\": " + initial +
            ", \"final_tier\": " + last + ", \"model\": \"" + model + "\", \"input_tokens\": " + in +
            ", \"output_tokens\": 100, \"success\": true}\n";
    }
}
