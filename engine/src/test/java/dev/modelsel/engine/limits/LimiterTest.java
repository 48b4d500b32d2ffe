package dev.modelsel.engine.limits;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.Status;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimiterTest
{
    private static final long AT = 1_764_540_000_000L;

    private static CompiledCatalog catalog(final String limits, final String period) throws Exception
    {
        return CatalogLoader.parse("catalog.yaml", String.join("\n",
            "version: 1",
            "models:",
            "  m: {input_cost_per_mtok: 1000, provider: p, limits: " + limits + "}",
            "tiers:",
            "  - {tier: 1, models: [m]}",
            "budgets:",
            "  - {name: b, provider: p, usd: 1, period: " + period + "}",
            ""), false).compile();
    }

    /** A bucket's words mean something only at their limit: another limit gets a bucket of its own, full. */
    @Test
    void shouldStartAFullBucketWhenAModelsLimitChanges() throws Exception
    {
        final LimitsStore store = new InMemoryLimitsStore();
        final Limiter before = Limiter.of(catalog("{tpm: 90000}", "day"), store);
        assertTrue(before.reserve(0, 80_000, AT));
        assertEquals(10_000, before.tokensLeft(0, AT));
        final Limiter after = Limiter.of(catalog("{tpm: 120000}", "day"), store);
        assertEquals(120_000, after.tokensLeft(0, AT), "not the old words read at the new rate");
        assertEquals(10_000, Limiter.of(catalog("{tpm: 90000}", "day"), store).tokensLeft(0, AT),
            "the old limit's bucket is still there for a process that has it");
    }

    /** A budget's words count periods of its kind: another period gets words of its own. */
    @Test
    void shouldKeepABudgetsSpendApartWhenItsPeriodChanges() throws Exception
    {
        final LimitsStore store = new InMemoryLimitsStore();
        final Limiter hourly = Limiter.of(catalog("{rpm: 5}", "hour"), store);
        for (int hour = 0; hour < 8; hour++)
        {
            hourly.record("m", 0, 100_000, AT + hour * 3_600_000L);
        }
        final Limiter daily = Limiter.of(catalog("{rpm: 5}", "day"), store);
        daily.record("m", 0, 2_000_000, AT + 8 * 3_600_000L); // $2 of a $1 day
        assertEquals(2_000_000, daily.spentMicros(0, AT + 8 * 3_600_000L));
        assertFalse(daily.reserve(0, 1, AT + 8 * 3_600_000L), "the day's budget is spent");
    }

    /** Times at the ends of the range answer, as times: no overflow, no exception. */
    @Test
    void shouldAnswerAtTheEndsOfTime() throws Exception
    {
        final CompiledCatalog catalog = catalog("{rpm: 1}", "month");
        final Selector selector = Selector.create(catalog, new InMemoryAvailabilityTable(), new InMemoryLimitsStore());
        final Selection selection = new Selection();
        selector.limiter().record("m", 0, 2_000_000, Long.MAX_VALUE);
        assertEquals(Status.NO_MODEL_AVAILABLE, selector.select(Complexity.HIGH, 1, Long.MAX_VALUE, selection)
            .status());
        assertEquals(Status.OK, selector.select(Complexity.HIGH, 1, 0, selection).status());
        assertEquals(Status.NO_MODEL_AVAILABLE, selector.select(Complexity.HIGH, 1, 0, selection).status(),
            "one request a minute, taken");
        assertEquals(60_000, selection.retryAtMs(), "when the bucket holds a request again");
    }
}
