package dev.modelsel.engine.limits;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.Status;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The select path with limits and budgets allocates nothing (issue 14), counted by the JVM for this thread, so that
 * it holds before any compilation too (the interpreter eliminates no allocation). The benchmarks show the same with
 * {@code -prof gc}; this test is what caught a monthly budget's period computed with java.time (125 bytes a
 * select).
 */
class LimitsAllocationTest
{
    private static final long AT = 1_764_540_000_000L;
    private static final int SELECTS = 20_000;

    @TempDir
    Path directory;

    @Test
    void shouldSelectAndReserveWithLimitsAndEveryKindOfBudgetWithoutAllocating() throws Exception
    {
        final CompiledCatalog catalog = CatalogLoader.parse("catalog.yaml", String.join("\n",
            "version: 1",
            "models:",
            "  m: {input_cost_per_mtok: 1, provider: p, limits: {rpm: 1000000000, tpm: 1000000000}}",
            "  n: {input_cost_per_mtok: 2, provider: p, limits: {rpm: 1000000000, tpm: 1000000000}}",
            "tiers:",
            "  - {tier: 1, models: [m, n]}",
            "budgets:",
            "  - {name: hourly, provider: p, usd: 1000, period: hour}",
            "  - {name: daily, model: m, usd: 1000, period: day}",
            "  - {name: monthly, provider: p, usd: 1000, period: month}",
            ""), false).compile();
        final SharedPhaseCounters counters = SharedPhaseCounters.open(directory.resolve("counters"));
        counters.markLimitsReplicated(AT); // the most the path does: it also counts the host's own takes
        final Selector selector = Selector.create(catalog, new InMemoryAvailabilityTable(), counters);
        final Selection selection = new Selection();
        selectAll(selector, selection, AT); // every record found, every class loaded
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        selectAll(selector, selection, AT + 60_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // a period that ends costs one small object (a new hour here), nothing else may be allocated
        assertTrue(allocated < 1_000, allocated + " bytes allocated by " + SELECTS + " selects");
    }

    private static void selectAll(final Selector selector, final Selection selection, final long startMs)
    {
        for (int i = 0; i < SELECTS; i++)
        {
            assertEquals(Status.OK, selector.select(Complexity.LOW, 1_000, startMs + i * 10L, selection).status());
        }
    }
}
