package dev.modelsel.benchmarks;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.engine.Answer;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.AvailabilityRecord;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
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
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One select, five ways, on the same {@link Workload} (irregular requests cycled by index, no RNG per call; JMH
 * samples 11 and 36):
 * <ul>
 *   <li>{@code modelsel}: the production {@link Selector} with the in-memory table;</li>
 *   <li>{@code naive}: the guide ported plainly ({@link NaiveSelector}); the same answers, checked at setup;</li>
 *   <li>{@code floor}: the physical floor, the AND of the answering tier's, the fit row's and the availability
 *       words and a trailing-zero count, indexes precomputed: what no selector can beat;</li>
 *   <li>{@code sharedTable}: the production selector with availability from the shared Chronicle-backed table;</li>
 *   <li>{@code chronicleLookup}: one Chronicle Map read of one model's record: why the fast path must not do that
 *       per model.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SelectBenchmark extends BenchmarkDefaults
{
    @Param({BenchmarkCatalogs.SEED, BenchmarkCatalogs.LITELLM})
    public String catalog;

    Workload workload;
    private Selector selector;
    private NaiveSelector naive;
    private final Selection selection = new Selection();
    private String[] complexityNames;
    private int words;
    private int[] floorTierBase;
    private int[] floorFitBase;
    private long[] tierFloorWords;
    private long[] fitWords;
    private long[] availableWords;
    private int next;

    @Setup
    public void setUp()
    {
        workload = new Workload(catalog);
        final CompiledCatalog compiled = workload.catalog;
        final InMemoryAvailabilityTable table = new InMemoryAvailabilityTable();
        workload.applyTo(table);
        selector = Selector.create(compiled, table);
        naive = new NaiveSelector(compiled.definition());
        workload.down.forEach(naive::setDown);
        workload.cooling.forEach(naive::setRateLimited);
        complexityNames = new String[Workload.REQUESTS];
        for (int i = 0; i < Workload.REQUESTS; i++)
        {
            complexityNames[i] = workload.complexities[i].wireName();
        }
        checkTheNaivePortAgrees();
        prepareFloor(compiled, table);
    }

    /** The baseline must answer what the product answers, or the ratio means nothing. */
    private void checkTheNaivePortAgrees()
    {
        for (int i = 0; i < Workload.REQUESTS; i++)
        {
            final Answer fast = Answer.of(selector.select(workload.complexities[i], workload.tokens[i], Workload.NOW_MS,
                selection));
            final NaiveSelector.Result slow = naive.select(complexityNames[i], workload.tokens[i], Workload.NOW_MS);
            if (!fast.status().name().equals(slow.status()) || !Objects.equals(fast.model(), slow.model()) ||
                !Objects.equals(fast.tier(), slow.tier()) || fast.initialTier() != slow.initialTier() ||
                !Objects.equals(fast.fallback() == null ? null : fast.fallback().name(), slow.fallback()) ||
                !Objects.equals(fast.retryAtMs(), slow.retryAtMs()))
            {
                throw new IllegalStateException("naive and modelsel disagree on request " + i + " (" + complexityNames[i] +
                    ", " + workload.tokens[i] + " tokens): " + slow + " vs " + fast);
            }
        }
    }

    /** Everything the floor needs, as flat arrays: no objects, no search, no view to check. */
    private void prepareFloor(final CompiledCatalog compiled, final InMemoryAvailabilityTable table)
    {
        words = compiled.words();
        final int rows = compiled.distinctTokenLimits().length + 1;
        fitWords = new long[rows * words];
        for (int row = 0; row < rows; row++)
        {
            compiled.fitSet(row, fitWords, row * words);
        }
        tierFloorWords = new long[(compiled.tierCount() + 1) * words];
        for (int tier = 1; tier <= compiled.tierCount(); tier++)
        {
            for (int w = 0; w < words; w++)
            {
                tierFloorWords[tier * words + w] = compiled.tierFloorWord(tier, w);
            }
        }
        availableWords = new long[words];
        final AvailabilityRecord record = new AvailabilityRecord();
        for (int m = 0; m < compiled.tieredCount(); m++)
        {
            table.read(compiled.id(m), record);
            if (record.isAvailable(Workload.NOW_MS))
            {
                availableWords[m >>> 6] |= 1L << m;
            }
        }
        floorTierBase = new int[Workload.REQUESTS];
        floorFitBase = new int[Workload.REQUESTS];
        for (int i = 0; i < Workload.REQUESTS; i++)
        {
            final int initialTier = compiled.initialTier(workload.complexities[i]);
            final int row = compiled.fitRow(workload.tokens[i]);
            final long choice = compiled.primaryChoice(initialTier, row);
            final int tier = choice == CompiledCatalog.NO_CHOICE ? initialTier : CompiledCatalog.choiceTier(choice);
            floorTierBase[i] = tier * words;
            floorFitBase[i] = row * words;
        }
    }

    @Benchmark
    public Selection modelsel()
    {
        final int i = next++ & Workload.MASK;
        return selector.select(workload.complexities[i], workload.tokens[i], Workload.NOW_MS, selection);
    }

    @Benchmark
    public NaiveSelector.Result naive()
    {
        final int i = next++ & Workload.MASK;
        return naive.select(complexityNames[i], workload.tokens[i], Workload.NOW_MS);
    }

    @Benchmark
    public int floor()
    {
        final int i = next++ & Workload.MASK;
        final int tierBase = floorTierBase[i];
        final int fitBase = floorFitBase[i];
        for (int w = 0; w < words; w++)
        {
            final long set = tierFloorWords[tierBase + w] & fitWords[fitBase + w] & availableWords[w];
            if (set != 0)
            {
                return (w << 6) + Long.numberOfTrailingZeros(set);
            }
        }
        return -1;
    }

    @Benchmark
    public Selection sharedTable(final SharedTable shared)
    {
        final int i = next++ & Workload.MASK;
        return shared.selector.select(workload.complexities[i], workload.tokens[i], Workload.NOW_MS, selection);
    }

    @Benchmark
    public boolean chronicleLookup(final SharedTable shared)
    {
        final int i = next++ & Workload.MASK;
        return shared.table.read(shared.ids[i], shared.record);
    }

    /** The shared table, made only for the methods that use it (Chronicle's start-up costs seconds). */
    @State(Scope.Thread)
    public static class SharedTable
    {
        Path directory;
        SharedAvailabilityTable table;
        Selector selector;
        final AvailabilityRecord record = new AvailabilityRecord();
        final String[] ids = new String[Workload.REQUESTS];

        @Setup
        public void setUp(final SelectBenchmark benchmark) throws IOException
        {
            final Workload workload = benchmark.workload;
            directory = Files.createTempDirectory("modelsel-bench");
            table = SharedAvailabilityTable.open(directory.resolve("availability.table"));
            workload.applyTo(table);
            selector = Selector.create(workload.catalog, table);
            for (int i = 0; i < Workload.REQUESTS; i++)
            {
                ids[i] = workload.catalog.id(Math.floorMod(i * 7919, workload.catalog.tieredCount()));
            }
        }

        @TearDown
        public void tearDown() throws IOException
        {
            table.close();
            SharedAvailabilityTable.reset(table.path());
            Files.deleteIfExists(directory);
        }
    }
}
