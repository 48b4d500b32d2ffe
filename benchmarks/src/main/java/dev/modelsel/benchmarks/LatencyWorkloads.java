package dev.modelsel.benchmarks;

import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;

import java.util.List;

/** The JMH {@link Workload}s, handed to the latency harnesses of {@code dev.modelsel.benchmarks.latency}. */
public final class LatencyWorkloads
{
    /** The catalogs a workload can run on, by name. */
    public static final List<String> CATALOGS = List.of(BenchmarkCatalogs.SEED, BenchmarkCatalogs.LITELLM);

    private LatencyWorkloads()
    {
    }

    /** A selector over a catalog's workload and availability scenario, and the requests to cycle through. */
    public record Select(Selector selector, Complexity[] complexities, long[] tokens, long nowMs)
    {
    }

    public static Select select(final String catalog)
    {
        final Workload workload = new Workload(catalog);
        final InMemoryAvailabilityTable table = new InMemoryAvailabilityTable();
        workload.applyTo(table);
        return new Select(Selector.create(workload.catalog, table), workload.complexities, workload.tokens,
            Workload.NOW_MS);
    }
}
