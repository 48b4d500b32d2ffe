package dev.modelsel.benchmarks.latency;

import dev.modelsel.benchmarks.BenchmarksMain;
import dev.modelsel.benchmarks.UsageError;
import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How long one process's availability write takes to reach another process's selections, through the real path:
 * the shared table, the change sequence, and a {@link Selector}'s view.
 * <p>
 * This process (the reader) opens a shared table, starts {@link PropagationWriter} as a separate JVM on the same
 * table, and spins on {@code select(high, 145,000 tokens)} on the default catalog, whose answer is
 * claude-3-sonnet while it is up and claude-3-opus while the writer has it down. The writer first toggles sonnet
 * {@code --warmup-changes} times as fast as it can (both JVMs' code gets compiled; not recorded), then at a fixed
 * rate, each change only once the reader has seen the one before, stamping {@code System.nanoTime()} just before
 * each write (one monotonic clock for all processes on the host). Each time the reader's answer flips, the delay
 * from that stamp to the flip is recorded ({@link PropagationRun}): it includes the write itself, the reader noticing
 * the new sequence, and its re-read of the one changed record.
 * <p>
 * Writes {@code propagation.hgrm} (µs) and {@code propagation.html} under {@code --out}. With {@code --hosts}, the
 * write crosses hosts instead, beside this run and Redis: see {@link ClusterPropagation}.
 */
public final class PropagationHarness
{
    /** With --hosts: partitions healed, their length, changes under loss, seconds of quiet counted (twice). */
    private static final int PARTITIONS = 3;
    private static final long PARTITION_MS = 2_000;
    private static final int LOSS_CHANGES = 30;
    private static final long QUIET_SECONDS = 5;
    private static final long SMOKE_CHANGES = 300;
    private static final long SMOKE_WARMUP = 3_000;
    private static final int SMOKE_PARTITIONS = 1;
    private static final long SMOKE_PARTITION_MS = 1_000;
    private static final int SMOKE_LOSS_CHANGES = 10;
    private static final long SMOKE_QUIET_SECONDS = 2;
    /**
     * With --hosts, changes made at the rate before those recorded, in every row: the three replicators' JVMs compile
     * their send and merge paths only as changes reach them one by one, about 20 s at 1,000 a second on two cores.
     */
    private static final long HOSTS_PACED_WARMUP = 20_000;
    private static final long SMOKE_HOSTS_PACED_WARMUP = 1_000;
    /** With --hosts the reader parks between selects, so that it leaves the replicators a core. */
    private static final long HOSTS_POLL_US = 20;

    private PropagationHarness()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final HarnessOptions options = HarnessOptions.parse(
            "java -jar benchmarks/target/benchmarks.jar propagation [--changes N] [--warmup-changes N] [--rate N] " +
                "[--out DIR] [--smoke]" + System.lineSeparator() +
                "       java -jar benchmarks/target/benchmarks.jar propagation --hosts [those] [--modelsel-jar PATH] " +
                "[--snapshot-interval-ms N] [--poll-us N]" + System.lineSeparator() +
                "How long a write to the shared table in one JVM takes to reach selections in another (HdrHistogram), " +
                "with a plot." + System.lineSeparator() +
                "--hosts: from a write on one host to a select on another, through modelsel replicate on three " +
                "network namespaces (root and ip needed), beside one host and Redis (LiteLLM's way) in the same run; " +
                "then convergence after a partition and under 20% loss, and a quiet cluster's bytes a second.",
            args, List.of(
                new HarnessOptions.Option("changes", "10000", "availability changes to record"),
                new HarnessOptions.Option("warmup-changes", "50000", "changes made first, as fast as possible, unrecorded"),
                new HarnessOptions.Option("paced-warmup-changes", "0, or " + HOSTS_PACED_WARMUP + " with --hosts",
                    "changes made next at the rate, each awaited, unrecorded"),
                new HarnessOptions.Option("rate", "1000", "recorded changes per second, at most 1_000_000_000"),
                new HarnessOptions.Option("out", "benchmarks/results", "where the .hgrm files and the plot go"),
                HarnessOptions.Option.flag("smoke", "a quick check: " + SMOKE_CHANGES + " changes after " +
                    SMOKE_WARMUP + " unless given; with --hosts " + SMOKE_PARTITIONS + " partition of " +
                    SMOKE_PARTITION_MS + " ms (not " + PARTITIONS + " of " + PARTITION_MS + "), " + SMOKE_LOSS_CHANGES +
                    " changes under loss (not " + LOSS_CHANGES + "), " + SMOKE_QUIET_SECONDS + " s of quiet (not " +
                    QUIET_SECONDS + ")"),
                HarnessOptions.Option.flag("hosts", "across hosts, beside one host and Redis (see above)"),
                new HarnessOptions.Option("modelsel-jar", "", "with --hosts: the packaged modelsel command (default: " +
                    "engine/target/modelsel.jar beside this jar's benchmarks/target)"),
                new HarnessOptions.Option("snapshot-interval-ms", "1000", "with --hosts: the replicators' " +
                    "snapshot_interval_ms"),
                new HarnessOptions.Option("poll-us", "0, or " + HOSTS_POLL_US + " with --hosts", "how long the reader " +
                    "parks between selects (0: it spins)")),
            System.out);
        if (options == null)
        {
            return;
        }
        final boolean smoke = options.flag("smoke");
        final long warmup = smoke && !options.given("warmup-changes") ? SMOKE_WARMUP : options.number("warmup-changes", 0);
        final long changes = smoke && !options.given("changes") ? SMOKE_CHANGES : options.number("changes", 1);
        final long rate = options.number("rate", 1);
        if (rate > 1_000_000_000L)
        {
            throw new UsageError("--rate must be at most 1_000_000_000 (one change a nanosecond), not " + rate);
        }
        final long snapshotIntervalMs = options.number("snapshot-interval-ms", 50);
        final boolean hosts = options.flag("hosts");
        final long pollUs = options.given("poll-us") ? options.number("poll-us", 0) : hosts ? HOSTS_POLL_US : 0;
        final long pacedWarmup = options.given("paced-warmup-changes") ? options.number("paced-warmup-changes", 0) :
            !hosts ? 0 : smoke ? SMOKE_HOSTS_PACED_WARMUP : HOSTS_PACED_WARMUP;
        final PropagationRun.Pace pace = new PropagationRun.Pace(changes, warmup, pacedWarmup, rate,
            TimeUnit.MICROSECONDS.toNanos(pollUs));
        final Path modelselJar = options.text("modelsel-jar").isEmpty() ? defaultModelselJar() :
            Path.of(options.text("modelsel-jar"));
        final Path out = Files.createDirectories(Path.of(options.text("out")));
        if (hosts)
        {
            ClusterPropagation.run(new ClusterPropagation.Settings(pace, out, modelselJar, snapshotIntervalMs,
                smoke ? SMOKE_PARTITIONS : PARTITIONS, smoke ? SMOKE_PARTITION_MS : PARTITION_MS,
                smoke ? SMOKE_LOSS_CHANGES : LOSS_CHANGES, smoke ? SMOKE_QUIET_SECONDS : QUIET_SECONDS));
            return;
        }
        final Path directory = Files.createTempDirectory("modelsel-propagation");
        final Path tablePath = directory.resolve("availability.table");
        System.out.println("propagation: " + pace.describe() + ", table " + tablePath);

        final Histogram delays;
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(tablePath))
        {
            table.setUp(PropagationRun.MODEL);
            final Selector selector = Selector.create(CatalogLoader.loadDefault().compile(), table);
            delays = PropagationRun.measure("propagation", List.of("--table", tablePath.toString()),
                PropagationRun.selecting(selector), pace, directory).delays();
        }
        finally
        {
            SharedAvailabilityTable.reset(tablePath);
            Files.deleteIfExists(directory);
        }

        SelectLatencyHarness.write(out.resolve("propagation.hgrm"), delays);
        new PercentilePlot("modelsel cross-process propagation: write in one JVM to select in another",
            "From System.nanoTime() just before the writer's table write to the moment the reader's select answers " +
            "differently; " + pace.describe() + ", coordinated omission corrected. " +
            "Machine: " + Machine.describe() + ".")
            .add("propagation", delays).write(out.resolve("propagation.html"));
        System.out.println("             p50       p90       p99     p99.9    p99.99       max   (ns)");
        System.out.printf(Locale.ROOT, "%-9s %9d %9d %9d %9d %9d %9d%n", "delay", delays.getValueAtPercentile(50),
            delays.getValueAtPercentile(90), delays.getValueAtPercentile(99), delays.getValueAtPercentile(99.9),
            delays.getValueAtPercentile(99.99), delays.getMaxValue());
        System.out.println("wrote " + out.resolve("propagation.html") + " and propagation.hgrm");
    }

    /** From benchmarks/target/benchmarks.jar (or benchmarks/target/classes) to engine/target/modelsel.jar. */
    static Path defaultModelselJar() throws Exception
    {
        final Path here = Path.of(BenchmarksMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return here.toAbsolutePath().getParent().getParent().getParent().resolve("engine").resolve("target")
            .resolve("modelsel.jar");
    }
}
