package dev.modelsel.benchmarks.regression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * noise; an object per call would show 16 B/op or more).
 */
public final class RegressionRun
{
    static final double TOLERANCE = 0.25;
    static final double ALLOCATION_LIMIT = 0.01;
    static final double SMOKE_ALLOCATION_LIMIT = 0.1;
    static final List<String> CATALOGS = List.of("seed", "litellm");
    private static final String BENCHMARK = "dev.modelsel.benchmarks.SelectBenchmark.";
    private static final List<String> METHODS = List.of("modelsel", "naive", "floor", "sharedTable");
    private static final List<String> ZERO_ALLOCATION = List.of("modelsel", "floor", "sharedTable");

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

    /** @return the exit code: 0 passed (or baseline written), 1 regressed, 2 bad arguments. */
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
                    baselinePath = Path.of(args[++i]);
                    break;
                default:
                    System.err.println("regression: unknown option \"" + args[i] + "\" (--update-baseline, --smoke, " +
                        "--baseline PATH)");
                    return 2;
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
            (smoke ? 1 : 3) * METHODS.size() * CATALOGS.size() * (smoke ? 4 : 10) + " s");
        final Map<String, Measured> measured = measure(smoke);
        if (update)
        {
            writeBaseline(baselinePath, measured);
            print(System.out, measured, null, smoke);
            System.out.println("wrote " + baselinePath);
            return 0;
        }
        final JsonNode baseline = new ObjectMapper().readTree(baselinePath.toFile());
        final boolean passed = print(System.out, measured, baseline, smoke);
        System.out.println(passed ? "no regression" : "REGRESSION: see the rows marked above");
        return passed ? 0 : 1;
    }

    private static Map<String, Measured> measure(final boolean smoke) throws RunnerException
    {
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include(BENCHMARK.replace(".", "\\.") + "(" + String.join("|", METHODS) + ")$")
            .param("catalog", CATALOGS.toArray(String[]::new))
            .addProfiler(GCProfiler.class)
            .forks(1)
            .warmupIterations(smoke ? 1 : 3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(smoke ? 1 : 5)
            .measurementTime(TimeValue.seconds(1))
            .verbosity(VerboseMode.SILENT);
        final Collection<RunResult> results = new Runner(options.build()).run();
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
