package dev.modelsel.benchmarks;

import dev.modelsel.benchmarks.latency.PropagationHarness;
import dev.modelsel.benchmarks.latency.PropagationWriter;
import dev.modelsel.benchmarks.latency.SelectLatencyHarness;
import dev.modelsel.benchmarks.regression.RegressionRun;
import org.openjdk.jmh.runner.RunnerException;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The benchmarks jar's entry point: {@code java -jar benchmarks/target/benchmarks.jar} runs JMH with whatever
 * arguments JMH takes, except for these first words, which run the harnesses (with the jar's JVM flags, from its
 * manifest):
 * <pre>
 *   latency      select latency percentiles at a fixed rate (HdrHistogram), see {@link SelectLatencyHarness}
 *   propagation  cross-process propagation of availability changes (--hosts: across hosts, beside Redis), see
 *                {@link PropagationHarness}
 *   regression   the short suite compared with benchmarks/baseline.json, see {@link RegressionRun}
 *   help         these words; JMH's own options are under -h
 * </pre>
 * A mistake on a harness's command line is one line and exit code 2, a failed run one line and exit code 1: a
 * stack trace only for a bug.
 */
public final class BenchmarksMain
{
    private static final String JAR = "java -jar benchmarks/target/benchmarks.jar";

    private BenchmarksMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String command = args.length == 0 ? "" : args[0];
        final String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        try
        {
            switch (command)
            {
                case "latency":
                    SelectLatencyHarness.main(rest);
                    break;
                case "propagation":
                    PropagationHarness.main(rest);
                    break;
                case PropagationWriter.COMMAND:
                    PropagationWriter.main(rest);
                    break;
                case LimitsContention.COMMAND:
                    LimitsContention.main(rest);
                    break;
                case LimitsContention.WORKER:
                    LimitsContention.worker(rest);
                    break;
                case "regression":
                    System.exit(RegressionRun.run(rest));
                    break;
                case "help":
                case "--help":
                    help();
                    break;
                default:
                    org.openjdk.jmh.Main.main(args);
            }
        }
        catch (final UsageError ex)
        {
            System.err.println(command + ": " + ex.getMessage() + " (see " + JAR + " " + command + " --help)");
            System.exit(2);
        }
        catch (final IOException | RunnerException ex)
        {
            System.err.println(command + ": " + describe(ex));
            System.exit(1);
        }
    }

    /** A file system's exception names only the file; say what went wrong with it too. */
    private static String describe(final Exception ex)
    {
        if (ex instanceof FileSystemException)
        {
            final FileSystemException fs = (FileSystemException)ex;
            final String reason = fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName()
                .replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
            return fs.getFile() + ": " + reason;
        }
        return ex.getMessage();
    }

    private static void help()
    {
        System.out.println(String.join(System.lineSeparator(),
            "Usage: " + JAR + " COMMAND [OPTIONS]   or   " + JAR + " [JMH's arguments]",
            "  latency      select latency percentiles at a fixed request rate, with a plot",
            "  propagation  how long a write in one JVM takes to reach selections in another (--hosts: on " +
                "another host, beside one host and Redis; needs root)",
            "  regression   the short suite's ratios against benchmarks/baseline.json (--smoke: one short iteration)",
            "  limits-contention  SPEC section 7's reservations from separate processes on one counters file",
            "Each takes --help. Anything else is JMH's: a benchmark regex and its options (-h lists them), e.g.",
            "  " + JAR + " 'SelectBenchmark\\.(modelsel|naive)$' -p catalog=seed,litellm -prof gc"));
    }
}
