package dev.modelsel.benchmarks.latency;

import dev.modelsel.benchmarks.BenchmarkDefaults;
import dev.modelsel.benchmarks.BenchmarksMain;
import dev.modelsel.benchmarks.UsageError;
import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * from that stamp to the flip is recorded: it includes the write itself, the reader noticing the new sequence,
 * and its re-read of the one changed record.
 * <p>
 * Writes {@code propagation.hgrm} (µs) and {@code propagation.html} under {@code --out}.
 */
public final class PropagationHarness
{
    private static final String MODEL = "claude-3-sonnet-20240229";

    private PropagationHarness()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final HarnessOptions options = HarnessOptions.parse(
            "java -jar benchmarks/target/benchmarks.jar propagation [--changes N] [--warmup-changes N] [--rate N] " +
                "[--out DIR]" + System.lineSeparator() +
                "How long a write to the shared table in one JVM takes to reach selections in another (HdrHistogram), " +
                "with a plot.", args, List.of(
                new HarnessOptions.Option("changes", "10000", "availability changes to record"),
                new HarnessOptions.Option("warmup-changes", "50000", "changes made first, as fast as possible, unrecorded"),
                new HarnessOptions.Option("rate", "1000", "recorded changes per second, at most 1_000_000_000"),
                new HarnessOptions.Option("out", "benchmarks/results", "where the .hgrm file and the plot go")),
            System.out);
        if (options == null)
        {
            return;
        }
        final long warmup = options.number("warmup-changes", 0);
        final long changes = options.number("changes", 1);
        final long rate = options.number("rate", 1);
        if (rate > 1_000_000_000L)
        {
            throw new UsageError("--rate must be at most 1_000_000_000 (one change a nanosecond), not " + rate);
        }
        final Path out = Files.createDirectories(Path.of(options.text("out")));
        final Path directory = Files.createTempDirectory("modelsel-propagation");
        final Path tablePath = directory.resolve("availability.table");
        final Path stampPath = directory.resolve("stamps");
        System.out.printf(Locale.ROOT, "propagation: %,d changes at %,d/s (after %,d to warm up), table %s%n",
            changes, rate, warmup, tablePath);

        final Histogram delays = SelectLatencyHarness.histogram();
        final UnsafeBuffer stamps = PropagationFiles.create(stampPath);
        Process writer = null;
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(tablePath))
        {
            table.setUp(MODEL);
            final Selector selector = Selector.create(CatalogLoader.loadDefault().compile(), table);
            writer = startWriter(tablePath, stampPath, changes, warmup, rate);
            final long flips = read(selector, stamps, changes, delays, writer);
            if (flips < changes)
            {
                System.out.printf(Locale.ROOT, "saw %,d of %,d changes (the writer ended or the time ran out)%n",
                    flips, changes);
            }
        }
        finally
        {
            if (writer != null)
            {
                writer.destroy();
                writer.waitFor(10, TimeUnit.SECONDS);
            }
            SharedAvailabilityTable.reset(tablePath);
            Files.deleteIfExists(stampPath);
            Files.deleteIfExists(directory);
        }

        SelectLatencyHarness.write(out.resolve("propagation.hgrm"), delays);
        new PercentilePlot("modelsel cross-process propagation: write in one JVM to select in another",
            "From System.nanoTime() just before the writer's table write to the moment the reader's select answers " +
            "differently; " + delays.getTotalCount() + " changes at " + rate + "/s. Machine: " + Machine.describe() + ".")
            .add("propagation", delays).write(out.resolve("propagation.html"));
        System.out.println("             p50       p90       p99     p99.9    p99.99       max   (ns)");
        System.out.printf(Locale.ROOT, "%-9s %9d %9d %9d %9d %9d %9d%n", "delay", delays.getValueAtPercentile(50),
            delays.getValueAtPercentile(90), delays.getValueAtPercentile(99), delays.getValueAtPercentile(99.9),
            delays.getValueAtPercentile(99.99), delays.getMaxValue());
        System.out.println("wrote " + out.resolve("propagation.html") + " and propagation.hgrm");
    }

    private static long read(
        final Selector selector, final UnsafeBuffer stamps, final long changes, final Histogram delays, final Process writer)
    {
        final Selection selection = new Selection();
        final long nowMs = System.currentTimeMillis();
        stamps.putLongVolatile(PropagationFiles.READER_SEEN_OFFSET, -1);
        stamps.putLongVolatile(PropagationFiles.READY_OFFSET, 1);
        while (stamps.getLongVolatile(PropagationFiles.PHASE_OFFSET) == 0 && writer.isAlive())
        {
            selector.select(Complexity.HIGH, 145_000, nowMs, selection); // warming up with the writer
        }
        boolean up = isUp(selector, nowMs, selection);
        stamps.putLongVolatile(PropagationFiles.READER_SEEN_OFFSET, 0);
        final long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + changes / 100);
        long flips = 0;
        for (long spins = 0; flips < changes; spins++)
        {
            if ((spins & 0xFFFF) == 0 && (System.nanoTime() > giveUpAt || !writer.isAlive()))
            {
                break; // checked now and then: asking after the writer costs a system call
            }
            final boolean nowUp = isUp(selector, nowMs, selection);
            if (nowUp != up)
            {
                final long detected = System.nanoTime();
                final long began = stamps.getLongVolatile(PropagationFiles.WRITE_BEGAN_NS_OFFSET);
                delays.recordValue(Math.max(0, detected - began));
                stamps.putLongVolatile(PropagationFiles.READER_SEEN_OFFSET, ++flips);
                up = nowUp;
            }
        }
        return flips;
    }

    private static boolean isUp(final Selector selector, final long nowMs, final Selection selection)
    {
        return MODEL.equals(selector.select(Complexity.HIGH, 145_000, nowMs, selection).modelId());
    }

    private static Process startWriter(
        final Path table, final Path stamps, final long changes, final long warmup, final long rate) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(BenchmarkDefaults.JVM_FLAGS));
        command.add("-cp");
        command.add(new File(BenchmarksMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath());
        command.add(BenchmarksMain.class.getName());
        command.addAll(List.of(PropagationWriter.COMMAND, "--table", table.toString(), "--stamps", stamps.toString(),
            "--model", MODEL, "--changes", String.valueOf(changes), "--warmup-changes", String.valueOf(warmup),
            "--rate", String.valueOf(rate)));
        return new ProcessBuilder(command).inheritIO().start();
    }
}
