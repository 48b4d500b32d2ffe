package dev.modelsel.engine.cli;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.engine.limits.InMemoryLimitsStore;
import dev.modelsel.engine.limits.Limiter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimitsCommandTest
{
    private static final String CATALOG = String.join("\n",
        "version: 1",
        "models:",
        "  gpt-4o: {input_cost_per_mtok: 2.5, output_cost_per_mtok: 10, provider: openai, limits: {rpm: 500, tpm: 30000}}",
        "  other: {input_cost_per_mtok: 3}",
        "tiers:",
        "  - {tier: 1, models: [gpt-4o, other]}",
        "budgets:",
        "  - {name: openai-hourly, provider: openai, usd: 0.05, period: hour}",
        "");

    @Test
    void shouldShowWhatTheBucketsHoldAndWhatIsSpent() throws Exception
    {
        final CompiledCatalog catalog = CatalogLoader.parse("catalog.yaml", CATALOG, false).compile();
        final Limiter limiter = Limiter.of(catalog, new InMemoryLimitsStore());
        final long at = 1_764_540_000_000L; // 22:00:00 UTC
        final int gpt = catalog.indexOf("gpt-4o");
        assertTrue(limiter.reserve(gpt, 8_000, at));
        limiter.record("gpt-4o", 1_000, 60_000, at); // 1,000 output tokens, $0.06: the budget is spent

        assertEquals("{\"at_ms\": " + at + ", \"models\": {\"gpt-4o\": {\"rpm\": 500, \"requests_left\": 499, " +
            "\"tpm\": 30000, \"tokens_left\": 21000}}, \"budgets\": {\"openai-hourly\": {\"provider\": \"openai\", " +
            "\"model\": null, \"period\": \"hour\", \"usd\": 0.05, \"spent_usd\": 0.06, \"remaining_usd\": 0, " +
            "\"exhausted\": true, \"period_end_ms\": 1764543600000}}}", LimitsCommand.json(catalog, limiter, at));
        final String table = LimitsCommand.table(catalog, limiter, at, Path.of("counters"));
        assertTrue(table.contains("gpt-4o") && table.contains("499.00") && table.contains("21,000.00") &&
            table.contains("0.05 (exhausted)") && table.contains("2025-11-30T23:00:00Z") && !table.contains("other"),
            table);
        // 30 s later: half a minute's refill, capped at the limit
        assertTrue(LimitsCommand.json(catalog, limiter, at + 30_000).contains("\"requests_left\": 500, \"tpm\": " +
            "30000, \"tokens_left\": 30000"), "refilled");
    }

    /** select --explain says why each model was passed over, and an explanation takes nothing from the buckets. */
    @Test
    void shouldExplainWhatHoldsAModelBackWithoutTakingAnything() throws Exception
    {
        final java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("limits-explain");
        final java.nio.file.Path catalogFile = java.nio.file.Files.writeString(directory.resolve("catalog.yaml"),
            CATALOG);
        final java.nio.file.Path counters = directory.resolve("counters");
        final long at = 1_764_540_000_000L;
        final String[] select = {"select", "--catalog", catalogFile.toString(), "--counters", counters.toString(),
            "--complexity", "high", "--tokens", "25000", "--now-ms", String.valueOf(at)};
        final java.io.StringWriter out = new java.io.StringWriter();
        assertEquals(0, ModelselCommand.execute(new java.io.PrintWriter(out), new java.io.PrintWriter(
            new java.io.StringWriter()), select));
        assertTrue(out.toString().startsWith("gpt-4o"), out.toString()); // it reserved 25,000 of gpt-4o's 30,000
        final String[] explain = java.util.Arrays.copyOf(select, select.length + 1);
        explain[select.length] = "--explain";
        for (int twice = 0; twice < 2; twice++)
        {
            final java.io.StringWriter story = new java.io.StringWriter();
            ModelselCommand.execute(new java.io.PrintWriter(story), new java.io.PrintWriter(new java.io.StringWriter()),
                explain);
            assertTrue(story.toString().contains("over tpm (5000.00 tokens left, 25000 asked)") &&
                story.toString().contains("Answer: OK other"), story.toString());
        }
        try (dev.modelsel.engine.cost.SharedPhaseCounters shared =
                 dev.modelsel.engine.cost.SharedPhaseCounters.open(counters))
        {
            assertEquals(5_000, Limiter.of(CatalogLoader.parse("catalog.yaml", CATALOG, false).compile(), shared)
                .tokensLeft(0, at), "the explanations took nothing");
        }
    }
}
