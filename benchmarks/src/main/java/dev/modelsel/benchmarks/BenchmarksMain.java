package dev.modelsel.benchmarks;

import dev.modelsel.benchmarks.latency.PropagationHarness;
import dev.modelsel.benchmarks.latency.PropagationWriter;
import dev.modelsel.benchmarks.latency.SelectLatencyHarness;
import dev.modelsel.benchmarks.regression.RegressionRun;

import java.util.Arrays;

/**
 * The benchmarks jar's entry point: {@code java -jar benchmarks/target/benchmarks.jar} runs JMH with whatever
 * arguments JMH takes, except for these first words, which run the harnesses (with the jar's JVM flags, from its
 * manifest):
 * <pre>
 *   latency      select latency percentiles at a fixed rate (HdrHistogram), see {@link SelectLatencyHarness}
 *   propagation  cross-process propagation of availability changes, see {@link PropagationHarness}
 *   regression   the short suite compared with benchmarks/baseline.json, see {@link RegressionRun}
 * </pre>
 */
public final class BenchmarksMain
{
    private BenchmarksMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (args.length == 0 ? "" : args[0])
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
            case "regression":
                System.exit(RegressionRun.run(rest));
                break;
            default:
                org.openjdk.jmh.Main.main(args);
        }
    }
}
