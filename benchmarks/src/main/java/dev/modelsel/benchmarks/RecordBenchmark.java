package dev.modelsel.benchmarks;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.cost.CostTracker;
import dev.modelsel.engine.cost.InMemoryPhaseCounters;
import dev.modelsel.engine.cost.PhaseOutcome;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Recording a phase outcome ({@link CostTracker#record}): priced by the default catalog, counted per model and per
 * category, into counters private to the process ({@code inMemory}) or shared through a mapped file
 * ({@code shared}). Eight models and four categories in turn, all seen before: the steady state, which should
 * allocate nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RecordBenchmark extends BenchmarkDefaults
{
    private static final String[] MODELS = {"claude-3-opus-20240229", "claude-3-sonnet-20240229", "gpt-4-turbo-preview",
        "claude-3-haiku-20240307", "gpt-3.5-turbo-16k", "gpt-4-1106-preview", "claude-instant-1.2", "not-in-catalog"};
    private static final String[] CATEGORIES = {"docs", "refactor", "tests", "feature"};

    private final PhaseOutcome[] outcomes = new PhaseOutcome[64];
    private CostTracker inMemory;
    private CostTracker shared;
    private SharedPhaseCounters counters;
    private Path file;
    private int next;

    @Setup
    public void setUp() throws IOException
    {
        final CompiledCatalog catalog = CatalogLoader.loadDefault().compile();
        inMemory = CostTracker.create(catalog, new InMemoryPhaseCounters());
        file = Files.createTempFile("modelsel-counters", ".bench");
        Files.delete(file);
        counters = SharedPhaseCounters.open(file);
        shared = CostTracker.create(catalog, counters);
        for (int i = 0; i < outcomes.length; i++)
        {
            outcomes[i] = new PhaseOutcome().set(CATEGORIES[i % CATEGORIES.length], Complexity.MEDIUM, 2, 1 + i % 2,
                MODELS[i % MODELS.length], 1000L * i, 100L * i, i % 3 != 0);
        }
    }

    @TearDown
    public void tearDown() throws IOException
    {
        counters.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public long inMemory()
    {
        return inMemory.record(outcomes[next++ & 63]);
    }

    @Benchmark
    public long shared()
    {
        return shared.record(outcomes[next++ & 63]);
    }
}
