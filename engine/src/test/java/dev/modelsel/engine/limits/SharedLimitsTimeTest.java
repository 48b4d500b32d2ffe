package dev.modelsel.engine.limits;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.cost.FollowedCounters;
import dev.modelsel.engine.protocol.RunSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A time far from the host's clock would freeze a shared bucket for every process (no refill before it): with the
 * shared limits, `run` refuses it; in a process's own memory, any time goes, as SPEC's scripts need.
 */
class SharedLimitsTimeTest
{
    private static final long CLOCK = 1_764_540_000_000L;
    private static final String SELECT_FAR_AHEAD =
        "{\"op\": \"select\", \"complexity\": \"high\", \"tokens\": 10, \"now_ms\": " + (CLOCK * 1000) + "}";
    private static final String RECORD_FAR_AHEAD = "{\"op\": \"record\", \"category\": \"c\", \"complexity\": " +
        "\"high\", \"initial_tier\": 1, \"final_tier\": 1, \"model\": \"m\", \"input_tokens\": 1, \"output_tokens\": " +
        "1, \"success\": true, \"now_ms\": " + (CLOCK * 1000) + "}";

    @TempDir
    Path directory;

    @Test
    void shouldRefuseATimeFarFromTheClockOnlyWhenTheLimitsAreShared() throws Exception
    {
        final CompiledCatalog catalog = CatalogLoader.parse("catalog.yaml", String.join("\n",
            "version: 1",
            "models:",
            "  m: {input_cost_per_mtok: 1, limits: {rpm: 2}}",
            "tiers:",
            "  - {tier: 1, models: [m]}",
            ""), false).compile();
        try (FollowedCounters counters = FollowedCounters.open(directory.resolve("counters"), note -> { }))
        {
            final RunSession shared = new RunSession(Selector.create(catalog, new InMemoryAvailabilityTable(),
                counters), () -> CLOCK, () -> { }, counters);
            for (final String line : new String[] {SELECT_FAR_AHEAD, RECORD_FAR_AHEAD})
            {
                final String answer = shared.handle(1, line);
                assertTrue(answer.contains("INVALID_REQUEST") && answer.contains("more than a day from this host's " +
                    "clock"), answer);
            }
            assertTrue(shared.handle(2, SELECT_FAR_AHEAD.replace(String.valueOf(CLOCK * 1000), String.valueOf(
                CLOCK + 3_600_000))).contains("\"status\": \"OK\""), "an hour ahead is fine");
        }
        final RunSession own = new RunSession(Selector.create(catalog, new InMemoryAvailabilityTable(),
            new InMemoryLimitsStore()), () -> CLOCK);
        assertTrue(own.handle(1, SELECT_FAR_AHEAD).contains("\"status\": \"OK\""), "in its own memory, any time goes");
    }
}
