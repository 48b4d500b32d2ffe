package dev.modelsel.benchmarks;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.FollowedTable;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import dev.modelsel.engine.protocol.RunSession;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What looking for a deleted or replaced shared file costs, against what it guards: one {@code run} request line.
 * <ul>
 *   <li>{@code runSelectLine}: the baseline, one select line through {@link RunSession} (parse, select, answer), the
 *       in-memory table;</li>
 *   <li>{@code tableStaleReason}: {@link SharedAvailabilityTable#staleReason()}, a {@code stat} of {@code PATH} and
 *       one of {@code PATH.seq};</li>
 *   <li>{@code countersStaleReason}: {@link SharedPhaseCounters#staleReason()}, one {@code stat};</li>
 *   <li>{@code followBetweenLooks}: {@link FollowedTable#follow()} called back to back, what {@code run} pays
 *       per line that needs the table: a clock read, and one look per 10 ms amortised;</li>
 *   <li>{@code selectShared} / {@code selectFollowed}: a select over the shared table, opened plainly or through
 *       the {@link FollowedTable} that {@code run} uses: the select path gains one indirection, no look and no
 *       allocation.</li>
 * </ul>
 * The files live where the defaults put them: under {@code /dev/shm} where it exists.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FileCheckBenchmark extends BenchmarkDefaults
{
    private static final byte[] SELECT = "{\"op\": \"select\", \"complexity\": \"medium\", \"tokens\": 12000}"
        .getBytes(StandardCharsets.UTF_8);

    private Path directory;
    private SharedAvailabilityTable table;
    private SharedPhaseCounters counters;
    private FollowedTable followed;
    private RunSession run;
    private Selector overShared;
    private Selector overFollowed;
    private final Selection selection = new Selection();
    private long line;

    @Setup
    public void setUp() throws IOException
    {
        final Path shm = Path.of("/dev/shm");
        directory = Files.isDirectory(shm) && Files.isWritable(shm) ?
            Files.createTempDirectory(shm, "modelsel-check-bench") : Files.createTempDirectory("modelsel-check-bench");
        table = SharedAvailabilityTable.open(directory.resolve("table"));
        counters = SharedPhaseCounters.open(directory.resolve("counters"));
        followed = FollowedTable.open(directory.resolve("followed"), false, System.err::println);
        followed.follow();
        overShared = Selector.create(CatalogLoader.loadDefault().compile(), table);
        overFollowed = Selector.create(CatalogLoader.loadDefault().compile(), followed);
        run = new RunSession(Selector.create(CatalogLoader.loadDefault().compile(), new InMemoryAvailabilityTable()),
            () -> 1_700_000_000_000L);
    }

    @TearDown
    public void tearDown() throws IOException
    {
        table.close();
        followed.close();
        for (final String name : new String[] {"table", "followed"})
        {
            SharedAvailabilityTable.reset(directory.resolve(name));
        }
        Files.deleteIfExists(directory.resolve("counters"));
        Files.deleteIfExists(directory);
    }

    @Benchmark
    public int runSelectLine()
    {
        return run.handle(++line, SELECT, 0, SELECT.length).length();
    }

    @Benchmark
    public String tableStaleReason()
    {
        return table.staleReason();
    }

    @Benchmark
    public String countersStaleReason()
    {
        return counters.staleReason();
    }

    @Benchmark
    public boolean followBetweenLooks()
    {
        return followed.follow();
    }

    @Benchmark
    public Selection selectShared()
    {
        return overShared.select(Complexity.MEDIUM, 12_000, 1_700_000_000_000L, selection);
    }

    @Benchmark
    public Selection selectFollowed()
    {
        return overFollowed.select(Complexity.MEDIUM, 12_000, 1_700_000_000_000L, selection);
    }
}
