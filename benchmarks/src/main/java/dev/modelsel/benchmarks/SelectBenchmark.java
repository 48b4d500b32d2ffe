package dev.modelsel.benchmarks;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The production select on the default catalog over a pre-generated, irregular stream of requests (all
 * complexities, token counts on both sides of every limit, one model down), cycled by index so no RNG runs per
 * call (JMH samples 11 and 36): {@code modelsel} with the in-memory table, {@code sharedTable} with the shared
 * Chronicle-backed one (same requests, same model down). The benchmarks issue adds the baselines (naive port,
 * physical floor).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SelectBenchmark extends BenchmarkDefaults
{
    private static final int REQUESTS = 1024;
    private static final long NOW_MS = 1_700_000_000_000L;

    private final Complexity[] complexities = new Complexity[REQUESTS];
    private final long[] tokens = new long[REQUESTS];
    private final Selection selection = new Selection();
    private Selector selector;
    private Selector sharedSelector;
    private SharedAvailabilityTable sharedTable;
    private Path sharedDirectory;
    private int next;

    @Setup
    public void setUp() throws IOException
    {
        final CompiledCatalog catalog = CatalogLoader.loadDefault().compile();
        final InMemoryAvailabilityTable table = new InMemoryAvailabilityTable();
        table.setDown("gpt-4-turbo-preview");
        selector = Selector.create(catalog, table);
        sharedDirectory = Files.createTempDirectory("modelsel-bench");
        sharedTable = SharedAvailabilityTable.open(sharedDirectory.resolve("availability.table"));
        sharedTable.setDown("gpt-4-turbo-preview");
        sharedSelector = Selector.create(catalog, sharedTable);
        final long[] limits = catalog.distinctTokenLimits();
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < REQUESTS; i++)
        {
            complexities[i] = Complexity.values()[random.nextInt(3)];
            tokens[i] = Math.max(0, limits[random.nextInt(limits.length)] + random.nextInt(3) - 1 -
                random.nextInt(2) * random.nextInt(50_000));
        }
    }

    @TearDown
    public void tearDown() throws IOException
    {
        sharedTable.close();
        SharedAvailabilityTable.reset(sharedTable.path());
        Files.deleteIfExists(sharedDirectory);
    }

    @Benchmark
    public Selection modelsel()
    {
        final int i = next++ & (REQUESTS - 1);
        return selector.select(complexities[i], tokens[i], NOW_MS, selection);
    }

    @Benchmark
    public Selection sharedTable()
    {
        final int i = next++ & (REQUESTS - 1);
        return sharedSelector.select(complexities[i], tokens[i], NOW_MS, selection);
    }
}
