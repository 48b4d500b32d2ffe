package dev.modelsel.benchmarks.latency;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code propagation --hosts} prints and writes: the three latency rows side by side (µs), their ratios to the
 * single-host baseline measured in the same run, the issue's targets for the row across hosts (reported, never
 * gated on), the lines about convergence and a quiet cluster, and under {@code --out} one {@code .hgrm} per row and
 * one plot of all three.
 */
final class ClusterReport
{
    /** The issue's targets across hosts, on a 2-core machine. */
    static final long TARGET_P50_NS = 200_000;
    static final long TARGET_P99_NS = 2_000_000;
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private final ClusterPropagation.Settings settings;
    private final Map<String, Histogram> rows = new LinkedHashMap<>();
    private final Map<String, Double> lookIntervalsNs = new LinkedHashMap<>();
    private final Map<String, String> files = new LinkedHashMap<>();
    private final List<String> notes;

    ClusterReport(final ClusterPropagation.Settings settings, final PropagationRun.Measured single,
        final PropagationRun.Measured across, final PropagationRun.Measured redis, final List<String> notes)
    {
        this.settings = settings;
        this.notes = notes;
        add("single host (baseline)", "single", single);
        add("across hosts (Aeron)", "across", across);
        add("Redis (LiteLLM's design)", "redis", redis);
    }

    private void add(final String name, final String file, final PropagationRun.Measured measured)
    {
        if (measured != null)
        {
            rows.put(name, measured.delays());
            lookIntervalsNs.put(name, measured.lookIntervalNs());
            files.put(name, "propagation-hosts-" + file + ".hgrm");
        }
    }

    void print(final PrintStream out) throws Exception
    {
        final List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-26s %9s %9s %9s %9s %9s %7s %9s", "µs, write -> select", "p50",
            "p90", "p99", "p99.9", "max", "values", "look µs"));
        rows.forEach((name, h) -> lines.add(String.format(Locale.ROOT, "%-26s %9s %9s %9s %9s %9s %7d %9s", name,
            us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(90)), us(h.getValueAtPercentile(99)),
            us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()), h.getTotalCount(),
            PercentilePlot.trim(lookIntervalsNs.get(name) / 1000.0))));
        final Histogram single = rows.get("single host (baseline)");
        rows.forEach((name, h) ->
        {
            if (h != single)
            {
                lines.add(ratios(name.replaceAll(" \\(.*", "") + " / single host", h, single));
            }
        });
        final Histogram across = rows.get("across hosts (Aeron)");
        final Histogram redis = rows.get("Redis (LiteLLM's design)");
        if (redis != null)
        {
            lines.add(ratios("Redis / across hosts", redis, across));
        }
        lines.add(String.format(Locale.ROOT, "target across hosts (2-core machine): p50 <= %s µs: %s (%s); " +
            "p99 <= %s µs: %s (%s)", us(TARGET_P50_NS), verdict(across.getValueAtPercentile(50), TARGET_P50_NS),
            us(across.getValueAtPercentile(50)), us(TARGET_P99_NS),
            verdict(across.getValueAtPercentile(99), TARGET_P99_NS), us(across.getValueAtPercentile(99))));
        lines.add(readerNote(settings) + "; look µs: its mean time between selects; values: with coordinated " +
            "omission's corrections");
        notes.forEach(lines::add);
        lines.forEach(out::println);

        for (final Map.Entry<String, Histogram> row : rows.entrySet())
        {
            SelectLatencyHarness.write(settings.out().resolve(files.get(row.getKey())), row.getValue());
        }
        final PercentilePlot plot = new PercentilePlot("modelsel propagation: a write on one host to a select on " +
            "another, beside one host and Redis", "From System.nanoTime() just before the write to the moment a " +
            "select answers differently, " + settings.pace().describe() + " each, coordinated omission corrected; " +
            readerNote(settings) + ". " +
            String.join(". ", notes) + ". Machine: " + Machine.describe() + ".");
        rows.forEach(plot::add);
        plot.write(settings.out().resolve("propagation-hosts.html"));
        out.println("wrote " + settings.out().resolve("propagation-hosts.html") + " and " +
            String.join(", ", files.values()));
    }

    private static String readerNote(final ClusterPropagation.Settings settings)
    {
        return settings.pace().pollNs() == 0 ? "the reader spins on its select" : "the reader parks " +
            us(settings.pace().pollNs()) + " µs between selects, at 1 µs timer slack (a spinning one would take a core from the replicators)";
    }

    private static String ratios(final String name, final Histogram h, final Histogram base)
    {
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-26s", name));
        for (final double p : PERCENTILES)
        {
            line.append(String.format(Locale.ROOT, " %8s×", ratio(h.getValueAtPercentile(p),
                base.getValueAtPercentile(p))));
        }
        return line.append(String.format(Locale.ROOT, " %8s×", ratio(h.getMaxValue(), base.getMaxValue())))
            .toString();
    }

    private static String ratio(final long value, final long base)
    {
        return base == 0 ? "-" : PercentilePlot.trim((double)value / base);
    }

    private static String verdict(final long value, final long target)
    {
        return value <= target ? "met" : "NOT met";
    }

    static String us(final long ns)
    {
        return PercentilePlot.trim(ns / 1000.0);
    }

    /** The line about a quiet cluster's traffic, at two table sizes. */
    static String quiet(final long[] fewBytesPerSecond, final int few, final long[] manyBytesPerSecond, final int many,
        final ClusterPropagation.Settings settings)
    {
        final long fewSum = Arrays.stream(fewBytesPerSecond).sum();
        final long manySum = Arrays.stream(manyBytesPerSecond).sum();
        return String.format(Locale.ROOT, "quiet cluster of %d hosts, snapshot every %,d ms: %,d bytes/s sent in " +
            "all with %d records a table (each host %s), %,d bytes/s with %d (each host %s): about %,d bytes/s more a " +
            "record; counted on each host's link over %d s (Aeron's and UDP/IP/Ethernet headers included)",
            fewBytesPerSecond.length, settings.snapshotIntervalMs(), fewSum, few, each(fewBytesPerSecond), manySum,
            many, each(manyBytesPerSecond), Math.round((double)(manySum - fewSum) / (many - few)),
            settings.quietSeconds());
    }

    private static String each(final long[] values)
    {
        final List<String> each = new ArrayList<>();
        for (final long value : values)
        {
            each.add(String.format(Locale.ROOT, "%,d", value));
        }
        return String.join(", ", each);
    }

    /** The line about convergence under loss; {@code relayed} as {@link NamespaceCluster#stopRelays()} sums it. */
    static String loss(final Histogram times, final long[] relayed, final long seed, final long gapMs)
    {
        return String.format(Locale.ROOT, "under %d%% loss on every link each way: %d changes, one every %d ms " +
            "from the hosts in turn, on every host after p50 %s ms, p90 %s ms, max %s ms; the relays dropped %,d of " +
            "%,d datagrams (%.1f%%, seed %d)", ClusterPropagation.LOSS_PERCENT, times.getTotalCount(), gapMs,
            ClusterConvergence.ms(times.getValueAtPercentile(50)), ClusterConvergence.ms(times.getValueAtPercentile(90)),
            ClusterConvergence.ms(times.getMaxValue()), relayed[1], relayed[0],
            relayed[0] == 0 ? 0.0 : 100.0 * relayed[1] / relayed[0], seed);
    }
}
