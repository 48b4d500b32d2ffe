package dev.modelsel.benchmarks;

import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
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
 * Selects per second from one shared {@link Selector}, with one thread and with two (each with its own
 * {@link Selection} and its own place in the request stream): the read path takes no lock, so two threads on two
 * cores should come near twice one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SelectThroughputBenchmark extends BenchmarkDefaults
{
    @Param({BenchmarkCatalogs.SEED, BenchmarkCatalogs.LITELLM})
    public String catalog;

    Workload workload;
    Selector selector;

    @Setup
    public void setUp()
    {
        workload = new Workload(catalog);
        final InMemoryAvailabilityTable table = new InMemoryAvailabilityTable();
        workload.applyTo(table);
        selector = Selector.create(workload.catalog, table);
    }

    /** What each thread owns. */
    @State(Scope.Thread)
    public static class PerThread
    {
        final Selection selection = new Selection();
        int next = (int)(Thread.currentThread().getId() * 389);
    }

    @Benchmark
    @Threads(1)
    public Selection oneThread(final PerThread mine)
    {
        return select(mine);
    }

    @Benchmark
    @Threads(2)
    public Selection twoThreads(final PerThread mine)
    {
        return select(mine);
    }

    private Selection select(final PerThread mine)
    {
        final int i = mine.next++ & Workload.MASK;
        return selector.select(workload.complexities[i], workload.tokens[i], Workload.NOW_MS, mine.selection);
    }
}
