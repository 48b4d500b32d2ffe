package dev.modelsel.benchmarks;

import dev.modelsel.catalog.BudgetPeriod;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.RateLimits;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import dev.modelsel.engine.limits.InMemoryLimitsStore;
import dev.modelsel.engine.limits.LimitsStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * SPEC §7's cost on the select path (issue 14): the production selector on the {@link Workload}, {@code limits}
 * {@code none} (the catalog as it is), {@code tpm} (every model given a tpm limit of 10^9 a minute: each OK answer
 * reserves with one compare-and-set) or {@code every} (rpm and tpm limits: two, one per bucket), the buckets in an
 * {@link InMemoryLimitsStore}; or {@code replicated} (the limits of {@code every}, in a counters file a replicator has
 * marked, as on a host of a cluster: each OK answer also counts its request and tokens as this host's own, two
 * atomic additions more; issue 14); or {@code budgets} (the limits of {@code every} and a monthly budget on every
 * model, never exhausted, so each reservation also reads the spend of its model's budget). The clock
 * moves 100 ms a call in both, so the buckets refill faster than any request drains them: what is measured is the
 * admission and the reservation, never a model refused. {@code twoThreads}: two threads on one selector and one
 * store, each reserving from the same buckets.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LimitsSelectBenchmark extends BenchmarkDefaults
{
    @Param({BenchmarkCatalogs.SEED, BenchmarkCatalogs.LITELLM})
    public String catalog;

    @Param({"none", "tpm", "every", "replicated", "budgets"})
    public String limits;

    Workload workload;
    Selector selector;

    /** Each thread's own answer holder, request index and clock. */
    @State(Scope.Thread)
    public static class Caller
    {
        final Selection selection = new Selection();
        int next;
        long nowMs = Workload.NOW_MS + 120_000; // past the workload's cooldowns: the view stays as it is
    }

    private Path countersDirectory;

    @Setup
    public void setUp() throws IOException
    {
        workload = new Workload(catalog);
        final CompiledCatalog limited = limits.equals("none") ? workload.catalog : BenchmarkCatalogs.withLimits(
            workload.catalog, new RateLimits(limits.equals("tpm") ? 0 : RateLimits.MAX, RateLimits.MAX));
        final CompiledCatalog compiled = limits.equals("budgets") ?
            BenchmarkCatalogs.withBudgets(limited, BudgetPeriod.MONTH) : limited;
        final InMemoryAvailabilityTable table = new InMemoryAvailabilityTable();
        workload.applyTo(table);
        selector = Selector.create(compiled, table, store());
    }

    private LimitsStore store() throws IOException
    {
        switch (limits)
        {
            case "none":
                return null;
            case "replicated":
                countersDirectory = Files.createTempDirectory("modelsel-limits-benchmark");
                final SharedPhaseCounters counters = SharedPhaseCounters.open(countersDirectory.resolve("counters"));
                counters.markLimitsReplicated(System.currentTimeMillis());
                return counters;
            default:
                return new InMemoryLimitsStore();
        }
    }

    @TearDown
    public void tearDown() throws IOException
    {
        if (countersDirectory != null)
        {
            Files.deleteIfExists(countersDirectory.resolve("counters"));
            Files.deleteIfExists(countersDirectory);
        }
    }

    @Benchmark
    public Selection select(final Caller caller)
    {
        final int i = caller.next++ & Workload.MASK;
        caller.nowMs += 100;
        return selector.select(workload.complexities[i], workload.tokens[i], caller.nowMs, caller.selection);
    }

    @Benchmark
    @Threads(2)
    public Selection twoThreads(final Caller caller)
    {
        final int i = caller.next++ & Workload.MASK;
        caller.nowMs += 100;
        return selector.select(workload.complexities[i], workload.tokens[i], caller.nowMs, caller.selection);
    }
}
