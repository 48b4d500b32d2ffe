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
}
