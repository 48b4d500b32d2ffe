package dev.modelsel.benchmarks;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.RateLimits;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.limits.InMemoryLimitsStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * SPEC §7's cost on the select path (issue 14): the production selector on the {@link Workload}, {@code limits}
 * {@code none} (the catalog as it is), {@code tpm} (every model given a tpm limit of 10^9 a minute: each OK answer
 * reserves with one compare-and-set) or {@code every} (rpm and tpm limits: two, one per bucket), the buckets in an
 * {@link InMemoryLimitsStore}. The clock
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

    @Param({"none", "tpm", "every"})
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

    @Setup
    public void setUp()
    {
        workload = new Workload(catalog);
        final CompiledCatalog compiled = limits.equals("none") ? workload.catalog : BenchmarkCatalogs.withLimits(
            workload.catalog, new RateLimits(limits.equals("every") ? RateLimits.MAX : 0, RateLimits.MAX));
        final InMemoryAvailabilityTable table = new InMemoryAvailabilityTable();
        workload.applyTo(table);
        selector = Selector.create(compiled, table, limits.equals("none") ? null : new InMemoryLimitsStore());
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
