package dev.modelsel.benchmarks.regression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsel.benchmarks.LatencyWorkloads;
import dev.modelsel.benchmarks.UsageError;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The regression run: a short fixed suite of {@code SelectBenchmark} ({@code modelsel}, {@code naive},
 * {@code floor}, {@code sharedTable} on {@code seed} and {@code litellm}, with {@code -prof gc}), each benchmark's
 * ratio to its in-run baseline compared with {@code benchmarks/baseline.json}, and its allocation with a limit.
 * Absolute times never gate: only ratios measured in the same run, which survive a noisy machine far better.
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar regression                    compare; exit 1 on a regression
 *   java -jar benchmarks/target/benchmarks.jar regression --update-baseline  rewrite the baseline from this run
 *   java -jar benchmarks/target/benchmarks.jar regression --smoke            one short iteration each: proves the
 *                                                                           benchmarks run and allocation stays
 *                                                                           zero; ratios are shown, not gated (CI)
 * </pre>
 * A ratio regresses when it moves more than 25% the wrong way: {@code naive / modelsel} (how many times faster)
 * falls below 75% of its baseline, or {@code modelsel / floor} or {@code sharedTable / modelsel} (overheads) rise
 * above 125%. Allocation appears when {@code gc.alloc.rate.norm} of {@code modelsel}, {@code floor} or
 * {@code sharedTable} reaches 0.01 B/op (0.1 in a smoke run, whose one short iteration leaves more of JMH's own
 * noise; an object per call would show 16 B/op or more). A smoke run goes ahead while another JMH run holds JMH's
 * machine-wide lock; a full run does not (see {@link #runJmh}). The run prints how long it should take and, at the
 * end, how long it took.
 */
public final class RegressionRun
{
    static final double TOLERANCE = 0.25;
    static final double ALLOCATION_LIMIT = 0.01;
    static final double SMOKE_ALLOCATION_LIMIT = 0.1;
    static final List<String> CATALOGS = LatencyWorkloads.CATALOGS;
    private static final String BENCHMARK = "dev.modelsel.benchmarks.SelectBenchmark.";
    private static final List<String> METHODS = List.of("modelsel", "naive", "floor", "sharedTable");
    private static final List<String> ZERO_ALLOCATION = List.of("modelsel", "floor", "sharedTable");
    static final String IGNORE_LOCK_PROPERTY = "jmh.ignoreLock";
    private static final int WARMUPS = 3;
    private static final int MEASUREMENTS = 5;
    private static final int SMOKE_WARMUPS = 1;
    private static final int SMOKE_MEASUREMENTS = 1;
    /**
     * A benchmark's fork beyond its iterations: the JVM, JMH's set-up, the catalog (litellm's import), the GC
     * profiler. Measured 2.5 s (full run, 84 s in all) and 2.75 s (smoke, 38 s) on the 2-core VM, under load.
     */
    private static final int FORK_SECONDS = 3;
    private static final String USAGE = String.join(System.lineSeparator(),
        "Usage: java -jar benchmarks/target/benchmarks.jar regression [--smoke] [--update-baseline] [--baseline PATH]",
        "The short suite: SelectBenchmark modelsel, naive, floor and sharedTable on the seed and litellm catalogs,",
        "with -prof gc; each ratio to its in-run baseline is compared with benchmarks/baseline.json.",
        "  --smoke            one 1 s iteration each: allocation is gated, ratios are shown (CI)",
        "  --update-baseline  rewrite the baseline from this run",
        "  --baseline PATH    the baseline to compare with (default: benchmarks/baseline.json)");

    /** A ratio the run checks: {@code numerator / denominator}, and which way is better. */
    record Ratio(String name, String numerator, String denominator, boolean higherIsBetter)
    {
    }

    static final List<Ratio> RATIOS = List.of(
        new Ratio("naive / modelsel", "naive", "modelsel", true),
        new Ratio("modelsel / floor", "modelsel", "floor", false),
        new Ratio("sharedTable / modelsel", "sharedTable", "modelsel", false));

    /** One measured benchmark: time per op and allocation per op. */
    record Measured(double nanosPerOp, double bytesPerOp)
    {
    }

    private RegressionRun()
    {
    }

    /**
     * @return the exit code: 0 passed (or baseline written, or help printed), 1 regressed.
     * @throws UsageError for a bad argument (exit code 2).
     */
    public static int run(final String[] args) throws IOException, RunnerException
    {
        boolean update = false;
        boolean smoke = false;
        Path baselinePath = Path.of("benchmarks", "baseline.json");
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--update-baseline":
                    update = true;
                    break;
                case "--smoke":
                    smoke = true;
                    break;
                case "--baseline":
                    if (i + 1 == args.length)
                    {
                        throw new UsageError("--baseline needs a file");
                    }
                    baselinePath = Path.of(args[++i]);
                    break;
                case "--help":
                case "-h":
                    System.out.println(USAGE);
                    return 0;
                default:
                    throw new UsageError("unknown option \"" + args[i] + "\"; the options are --update-baseline, " +
                        "--smoke, --baseline PATH");
            }
        }
        if (!update && !Files.exists(baselinePath))
        {
            System.err.println("regression: no baseline at " + baselinePath + " (run from the repository root, or " +
                "write one with --update-baseline)");
            return 1;
        }
        System.out.println("regression run: SelectBenchmark " + String.join(", ", METHODS) + " on " +
            String.join(", ", CATALOGS) + (smoke ? " (smoke: one short iteration each)" : "") + "; about " +
            estimatedSeconds(smoke) + " s");
        final long startNs = System.nanoTime();
        final Map<String, Measured> measured = measure(smoke);
        final String took = "took " + Math.round((System.nanoTime() - startNs) / 1e9) + " s";
        if (update)
        {
            writeBaseline(baselinePath, measured);
            print(System.out, measured, null, smoke);
            System.out.println("wrote " + baselinePath + "; " + took);
            return 0;
        }
        final JsonNode baseline = new ObjectMapper().readTree(baselinePath.toFile());
        final boolean passed = print(System.out, measured, baseline, smoke);
        System.out.println((passed ? "no regression" : "REGRESSION: see the rows marked above") + "; " + took);
        return passed ? 0 : 1;
    }

    /**
     * What the run should take: each benchmark's fork (a JVM start and its catalog, about {@link #FORK_SECONDS}),
     * then its warm-up and measurement iterations of a second each; measured, see docs/performance.md.
     */
    static long estimatedSeconds(final boolean smoke)
    {
        final int iterations = smoke ? SMOKE_WARMUPS + SMOKE_MEASUREMENTS : WARMUPS + MEASUREMENTS;
        return (long)METHODS.size() * CATALOGS.size() * (FORK_SECONDS + iterations);
    }

    private static Map<String, Measured> measure(final boolean smoke) throws RunnerException
    {
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include(BENCHMARK.replace(".", "\\.") + "(" + String.join("|", METHODS) + ")$")
            .param("catalog", CATALOGS.toArray(String[]::new))
            .addProfiler(GCProfiler.class)
            .forks(1)
            .warmupIterations(smoke ? SMOKE_WARMUPS : WARMUPS)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(smoke ? SMOKE_MEASUREMENTS : MEASUREMENTS)
            .measurementTime(TimeValue.seconds(1))
            .verbosity(VerboseMode.SILENT);
        final Collection<RunResult> results = runJmh(options, smoke);
        final Map<String, Measured> measured = new HashMap<>();
        for (final RunResult result : results)
        {
            final String method = result.getParams().getBenchmark().substring(BENCHMARK.length());
            final Result<?> allocation = result.getSecondaryResults().get("gc.alloc.rate.norm");
            measured.put(key(method, result.getParams().getParam("catalog")), new Measured(
                result.getPrimaryResult().getScore(), allocation == null ? Double.NaN : allocation.getScore()));
        }
        return measured;
    }

    /**
     * Runs JMH in this JVM. JMH takes a machine-wide lock, {@code java.io.tmpdir/jmh.lock}, so that two runs do not
     * disturb each other's timings, and without {@code -Djmh.ignoreLock=true} stops when another run holds it. A
     * smoke run gates only allocation, which another run cannot change, so it ignores the lock (CI on a shared
     * machine must not fail because someone benchmarks); a full run gates ratios, so it keeps the lock and says so.
     * JMH reads the property once, when its runner is first loaded: this must come first.
     */
    static Collection<RunResult> runJmh(final ChainedOptionsBuilder options, final boolean smoke) throws RunnerException
    {
        if (smoke)
        {
            System.setProperty(IGNORE_LOCK_PROPERTY, "true");
        }
        try
        {
            return new Runner(options.build()).run();
        }
        catch (final RunnerException ex)
        {
            if (ex.getMessage() != null && ex.getMessage().contains("JMH lock"))
            {
                throw new RunnerException("another JMH run holds " + System.getProperty("java.io.tmpdir") +
                    "/jmh.lock, and its load would skew the ratios this run gates; run again when it is done, or " +
                    "measure anyway with java -D" + IGNORE_LOCK_PROPERTY + "=true -jar ...; a --smoke run does " +
                    "not use the lock");
            }
            throw ex;
        }
    }

    static String key(final String method, final String catalog)
    {
        return method + "@" + catalog;
    }

    static double ratio(final Map<String, Measured> measured, final Ratio ratio, final String catalog)
    {
        return measured.get(key(ratio.numerator(), catalog)).nanosPerOp() /
            measured.get(key(ratio.denominator(), catalog)).nanosPerOp();
    }

    /** Prints the readable table; @return whether nothing regressed (a {@code null} baseline gates nothing). */
    static boolean print(
        final PrintStream out, final Map<String, Measured> measured, final JsonNode baseline, final boolean smoke)
    {
        boolean passed = true;
        out.println();
        out.printf(Locale.ROOT, "%-36s %-8s %12s %12s %8s  %s%n", "check", "catalog", "now", "baseline", "change",
            "verdict");
        for (final String catalog : CATALOGS)
        {
            for (final Ratio ratio : RATIOS)
            {
                final double now = ratio(measured, ratio, catalog);
                final JsonNode saved = baseline == null ? null : baseline.path("ratios").path(catalog).get(ratio.name());
                String verdict = "-";
                String before = "-";
                String change = "-";
                if (saved != null)
                {
                    final double was = saved.asDouble();
                    final boolean regressed = ratio.higherIsBetter() ? now < was * (1 - TOLERANCE) :
                        now > was * (1 + TOLERANCE);
                    before = String.format(Locale.ROOT, "%.2f", was);
                    change = String.format(Locale.ROOT, "%+.0f%%", 100 * (now / was - 1));
                    verdict = !regressed ? "ok" : smoke ? "worse (not gated in a smoke run)" : "REGRESSED";
                    passed &= smoke || !regressed;
                }
                out.printf(Locale.ROOT, "%-36s %-8s %12.2f %12s %8s  %s%n",
                    ratio.name() + (ratio.higherIsBetter() ? " (x faster)" : " (x)"), catalog, now, before, change, verdict);
            }
            for (final String method : ZERO_ALLOCATION)
            {
                final double bytes = measured.get(key(method, catalog)).bytesPerOp();
                final double limit = smoke ? SMOKE_ALLOCATION_LIMIT : ALLOCATION_LIMIT;
                final boolean allocates = !(bytes < limit);
                passed &= !allocates || baseline == null;
                out.printf(Locale.ROOT, "%-36s %-8s %12.4f %12s %8s  %s%n", method + " allocation (B/op)", catalog, bytes,
                    "< " + limit, "", allocates ? "ALLOCATES" : "ok");
            }
        }
        out.println();
        out.printf(Locale.ROOT, "%-36s %-8s %12s %12s%n", "benchmark", "catalog", "ns/op", "B/op");
        for (final String catalog : CATALOGS)
        {
            for (final String method : METHODS)
            {
                final Measured m = measured.get(key(method, catalog));
                out.printf(Locale.ROOT, "%-36s %-8s %12.1f %12.4f%n", method, catalog, m.nanosPerOp(), m.bytesPerOp());
            }
        }
        out.println("(absolute times are reported, never gated)");
        return passed;
    }

    private static void writeBaseline(final Path file, final Map<String, Measured> measured) throws IOException
    {
        final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        final ObjectNode root = json.createObjectNode();
        root.put("about", "Ratios of SelectBenchmark methods measured in one run, for the regression run " +
            "(java -jar benchmarks/target/benchmarks.jar regression). Rewrite with --update-baseline.");
        root.put("written", LocalDate.now().toString());
        root.put("machine", System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() +
            " cores, Java " + System.getProperty("java.version"));
        final ObjectNode ratios = root.putObject("ratios");
        for (final String catalog : CATALOGS)
        {
            final ObjectNode perCatalog = ratios.putObject(catalog);
            for (final Ratio ratio : RATIOS)
            {
                perCatalog.put(ratio.name(), Math.round(ratio(measured, ratio, catalog) * 100) / 100.0);
            }
        }
        final List<String> lines = new ArrayList<>(List.of(json.writeValueAsString(root).split("\n")));
        Files.write(file, lines);
    }
}
