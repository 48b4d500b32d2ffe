package dev.modelsel.benchmarks.latency;

import dev.modelsel.benchmarks.LatencyWorkloads;
import dev.modelsel.benchmarks.UsageError;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Select latency at a fixed request rate, into HdrHistograms (1 ns to 10 s, 3 significant digits, pre-sized).
 * <p>
 * Requests are issued on a fixed schedule (one every {@code 1e9 / rate} ns, busy-waiting for each due time). Each
 * select is timed with a {@code System.nanoTime()} pair and recorded with
 * {@code recordValueWithExpectedInterval(latency, interval)}, which back-fills the samples a stall would have
 * hidden (coordinated omission). A second histogram records the response time from each request's <em>due</em>
 * time, which counts time spent behind schedule by construction (so it is recorded plainly: back-filling it too
 * would count a stall twice).
 * <p>
 * <b>Timer cost.</b> A select costs less than the two clock reads that time it. So every request also records an
 * <em>empty probe</em>, two consecutive clock reads recorded the same way; its histogram is reported beside the
 * select's, and the select's own cost is the difference (the summary prints select − probe at each percentile).
 * <p>
 * Writes {@code select-<catalog>.hgrm}, {@code response-<catalog>.hgrm}, {@code probe-<catalog>.hgrm} (µs) and
 * {@code select-latency-<catalog>.html} (the plot) under {@code --out}.
 */
public final class SelectLatencyHarness
{
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(10);

    private SelectLatencyHarness()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final HarnessOptions options = HarnessOptions.parse(
            "java -jar benchmarks/target/benchmarks.jar latency [--catalog seed|litellm] [--rate N] [--seconds N] " +
                "[--warmup-seconds N] [--out DIR]" + System.lineSeparator() +
                "Select latency percentiles at a fixed request rate (HdrHistogram, coordinated omission corrected), " +
                "with a plot.", args, List.of(
                new HarnessOptions.Option("catalog", "seed", "the catalog: seed (the default catalog) or litellm"),
                new HarnessOptions.Option("rate", "200000", "requests per second, at most 1_000_000_000"),
                new HarnessOptions.Option("seconds", "10", "how long to record"),
                new HarnessOptions.Option("warmup-seconds", "5", "how long to run first, unrecorded"),
                new HarnessOptions.Option("out", "benchmarks/results", "where the .hgrm files and the plot go")),
            System.out);
        if (options == null)
        {
            return;
        }
        final String catalog = options.oneOf("catalog", LatencyWorkloads.CATALOGS);
        final long rate = options.number("rate", 1);
        if (rate > 1_000_000_000L)
        {
            throw new UsageError("--rate must be at most 1_000_000_000 (one request a nanosecond), not " + rate);
        }
        final long seconds = options.number("seconds", 1);
        final long warmupSeconds = options.number("warmup-seconds", 0);
        final Path out = Files.createDirectories(Path.of(options.text("out")));
        final LatencyWorkloads.Select workload = LatencyWorkloads.select(catalog);
        final long intervalNs = 1_000_000_000L / rate;

        System.out.printf(Locale.ROOT, "select latency, catalog %s, %,d requests/s for %d s (after %d s of warm-up)%n",
            catalog, rate, seconds, warmupSeconds);
        run(workload, intervalNs, TimeUnit.SECONDS.toNanos(warmupSeconds), null, null, null);
        final Histogram select = histogram();
        final Histogram response = histogram();
        final Histogram probe = histogram();
        run(workload, intervalNs, TimeUnit.SECONDS.toNanos(seconds), select, response, probe);

        write(out.resolve("select-" + catalog + ".hgrm"), select);
        write(out.resolve("response-" + catalog + ".hgrm"), response);
        write(out.resolve("probe-" + catalog + ".hgrm"), probe);
        new PercentilePlot("modelsel select latency, catalog " + catalog + ", " + rate + " requests/s",
            "Service time of one select (two nanoTime reads around it), the same for an empty probe (timer cost), " +
            "and response time from each request's scheduled start. Coordinated omission corrected with " +
            "recordValueWithExpectedInterval(" + intervalNs + " ns). Machine: " + Machine.describe() + ".")
            .add("select", select).add("empty probe (timer)", probe).add("response from schedule", response)
            .write(out.resolve("select-latency-" + catalog + ".html"));
        summary(System.out, select, probe, response);
        System.out.println("wrote " + out.resolve("select-latency-" + catalog + ".html") + " and the .hgrm files");
    }

    private static void run(
        final LatencyWorkloads.Select workload,
        final long intervalNs,
        final long durationNs,
        final Histogram select,
        final Histogram response,
        final Histogram probe)
    {
        final Selector selector = workload.selector();
        final Selection selection = new Selection();
        final Complexity[] complexities = workload.complexities();
        final long[] tokens = workload.tokens();
        final long nowMs = workload.nowMs();
        final int mask = complexities.length - 1;
        final long start = System.nanoTime();
        long due = start;
        long blackhole = 0;
        for (int i = 0; due - start < durationNs; i++, due += intervalNs)
        {
            while (System.nanoTime() < due)
            {
                Thread.onSpinWait();
            }
            final long p0 = System.nanoTime();
            final long p1 = System.nanoTime();
            final long t0 = System.nanoTime();
            selector.select(complexities[i & mask], tokens[i & mask], nowMs, selection);
            final long t1 = System.nanoTime();
            blackhole += selection.model();
            if (select != null)
            {
                select.recordValueWithExpectedInterval(t1 - t0, intervalNs);
                probe.recordValueWithExpectedInterval(p1 - p0, intervalNs);
                response.recordValue(Math.min(t1 - due, HIGHEST_NS)); // measured from the schedule: already corrected
            }
        }
        if (blackhole == 42)
        {
            System.out.print(""); // keeps the selects from being optimised away
        }
    }

    static Histogram histogram()
    {
        return new Histogram(1, HIGHEST_NS, 3);
    }

    static void write(final Path file, final Histogram histogram) throws Exception
    {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), true, "UTF-8"))
        {
            histogram.outputPercentileDistribution(out, 1000.0); // in µs
        }
    }

    static void summary(final PrintStream out, final Histogram select, final Histogram probe, final Histogram response)
    {
        out.println("             p50       p90       p99     p99.9    p99.99       max   (ns)");
        row(out, "select", select);
        row(out, "probe", probe);
        row(out, "response", response);
        final StringBuilder own = new StringBuilder(String.format(Locale.ROOT, "%-9s", "select-probe"));
        for (final double p : new double[] {50, 90, 99, 99.9, 99.99})
        {
            own.append(String.format(Locale.ROOT, " %9d", select.getValueAtPercentile(p) - probe.getValueAtPercentile(p)));
        }
        out.println(own);
    }

    private static void row(final PrintStream out, final String name, final Histogram h)
    {
        out.printf(Locale.ROOT, "%-9s %9d %9d %9d %9d %9d %9d%n", name, h.getValueAtPercentile(50),
            h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
            h.getValueAtPercentile(99.99), h.getMaxValue());
    }
}
