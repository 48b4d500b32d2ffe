package dev.modelsel.benchmarks;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.availability.AvailabilityTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What every select benchmark runs: a catalog, 1,024 pre-generated irregular requests cycled by index (all
 * complexities; token counts one below, at and one above a random model's limit, or anywhere up to past the
 * largest limit), and an availability scenario with some models down and some cooling at {@link #NOW_MS}. Seeded:
 * the same for every run and every method, so their answers can be compared one by one.
 * <p>
 * Scenario: on {@code seed}, gpt-4-turbo-preview is down and claude-instant-1.2 cools for a minute; on
 * {@code litellm}, 5% of the tiered models are down and another 5% cool for a minute.
 */
final class Workload
{
    static final int REQUESTS = 1024;
    static final int MASK = REQUESTS - 1;
    static final long NOW_MS = 1_700_000_000_000L;
    private static final long SEED = 42;

    final String name;
    final CompiledCatalog catalog;
    final Complexity[] complexities = new Complexity[REQUESTS];
    final long[] tokens = new long[REQUESTS];
    final List<String> down = new ArrayList<>();
    final Map<String, Long> cooling = new LinkedHashMap<>();

    Workload(final String name)
    {
        this.name = name;
        this.catalog = BenchmarkCatalogs.load(name).compile();
        final SplittableRandom random = new SplittableRandom(SEED);
        final long[] limits = catalog.distinctTokenLimits();
        final long largest = limits[limits.length - 1];
        for (int i = 0; i < REQUESTS; i++)
        {
            complexities[i] = Complexity.values()[random.nextInt(3)];
            tokens[i] = random.nextInt(10) < 6 ?
                Math.max(0, catalog.tokenLimit(random.nextInt(catalog.tieredCount())) + random.nextInt(3) - 1) :
                random.nextLong(largest + largest / 10 + 1);
        }
        if (name.equals(BenchmarkCatalogs.SEED))
        {
            down.add("gpt-4-turbo-preview");
            cooling.put("claude-instant-1.2", NOW_MS + 60_000);
        }
        else
        {
            for (int m = 0; m < catalog.tieredCount(); m++)
            {
                final int roll = random.nextInt(20);
                if (roll == 0)
                {
                    down.add(catalog.id(m));
                }
                else if (roll == 1)
                {
                    cooling.put(catalog.id(m), NOW_MS + 60_000);
                }
            }
        }
    }

    void applyTo(final AvailabilityTable table)
    {
        down.forEach(table::setDown);
        cooling.forEach(table::setRateLimited);
    }
}
