package dev.modelsel.engine.cli;

import dev.modelsel.engine.availability.FollowedTable;
import dev.modelsel.engine.probe.ProbeConfig;
import dev.modelsel.engine.probe.ProbeConfigException;
import dev.modelsel.engine.probe.ProbeConfigReader;
import dev.modelsel.engine.probe.ProbeListener;
import dev.modelsel.engine.probe.ProbeVerdict;
import dev.modelsel.engine.probe.Prober;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code modelsel probe}: the out-of-band writer of the shared availability table. Probes each model's endpoint and
 * writes what the answer means, so that no selection waits on a test request.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
    description = {
        "Probes each model's endpoint over HTTP and writes the result to the shared availability table.",
        "2xx clears down (a cooldown stays), 429 cools down for Retry-After (60 s when absent), 5xx, refused or "
            + "timed out marks down after failures_to_down in a row, other 4xx is a configuration problem (nothing "
            + "written).",
        "--once probes each model once, prints a summary and exits (1 if a probe is set up wrong); --interval "
            + "probes until SIGINT/SIGTERM and logs one line per state change."})
final class ProbeCommand implements Callable<Integer>
{
    /** The configuration file's own bound on interval_ms. */
    private static final long MAX_INTERVAL_MS = 86_400_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--table", paramLabel = "PATH", description = "The shared availability table. Default: see "
        + "modelsel availability --help.")
    Path table;

    @Option(names = "--config", required = true, paramLabel = "PROBES.yaml",
        description = "The probes: {\"probes\": [{\"model\": id, \"url\": ..., \"method\": \"GET\", \"headers\": "
            + "{...}, \"timeout_ms\": 2000}], \"interval_ms\": 10000, \"failures_to_down\": 1, \"max_concurrent\": 8}. "
            + "Header values may use ${ENV_VAR}; their values are never printed.")
    Path config;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode
    {
        @Option(names = "--once", required = true, description = "Probe each model once, write, summarize, exit.")
        boolean once;

        @Option(names = "--interval", required = true, arity = "0..1", fallbackValue = "", paramLabel = "DURATION",
            description = "Probe until stopped, each model every DURATION (30s, 5m, ...; alone: interval_ms), "
                + "jittered by 10%.")
        String interval;
    }

    @Override
    public Integer call() throws InterruptedException
    {
        final long intervalMs = intervalMs(); // a usage error before any file is read
        final ProbeConfig probes = intervalMs > 0 ? loadConfig().withIntervalMs(intervalMs) : loadConfig();
        final PrintWriter out = spec.commandLine().getOut();
        final FollowedTable shared = TableSource.openFollowed(table, true); // follows a table deleted under it
        if (mode.once)
        {
            try (Prober prober = new Prober(probes, shared, ProbeListener.IGNORE))
            {
                return summarize(prober.probeOnce(), probes.failuresToDown(), shared, out);
            }
            finally
            {
                shared.close();
            }
        }
        return probeUntilStopped(probes, shared, out);
    }

    private ProbeConfig loadConfig()
    {
        try
        {
            return ProbeConfigReader.load(config, System::getenv);
        }
        catch (final ProbeConfigException ex)
        {
            throw new UserError(UserError.FAILED, ex.getMessage() + System.lineSeparator() + "nothing probed");
        }
    }

    /** {@code --interval}'s value in ms, or 0 for {@code --once} or a bare {@code --interval} (the file's). */
    private long intervalMs()
    {
        if (mode.once || mode.interval.isEmpty())
        {
            return 0;
        }
        final long intervalMs;
        try
        {
            intervalMs = Durations.parseMs(mode.interval);
        }
        catch (final IllegalArgumentException | ArithmeticException ex)
        {
            throw new UserError(UserError.USAGE, "--interval: not a duration from 1ms to 1d: \"" + mode.interval + "\"");
        }
        if (intervalMs <= 0 || intervalMs > MAX_INTERVAL_MS)
        {
            throw new UserError(UserError.USAGE, "--interval: not a duration from 1ms to 1d: \"" + mode.interval + "\"");
        }
        return intervalMs;
    }

    private static int summarize(final List<ProbeVerdict> verdicts, final int failuresToDown,
        final FollowedTable shared, final PrintWriter out)
    {
        final Map<ProbeVerdict.State, Integer> counts = new EnumMap<>(ProbeVerdict.State.class);
        for (final ProbeVerdict verdict : verdicts)
        {
            out.println(verdict.describe(failuresToDown));
            counts.merge(verdict.state(), 1, Integer::sum);
        }
        out.println("Probed " + verdicts.size() + " models: " + counts.getOrDefault(ProbeVerdict.State.UP, 0) +
            " up, " + counts.getOrDefault(ProbeVerdict.State.COOLING, 0) + " cooling down, " +
            counts.getOrDefault(ProbeVerdict.State.DOWN, 0) + " down, " +
            counts.getOrDefault(ProbeVerdict.State.FAILING, 0) + " failing but not down yet, " +
            counts.getOrDefault(ProbeVerdict.State.MISCONFIGURED, 0) + " with a configuration problem; written to " +
            shared.path());
        out.flush();
        return counts.containsKey(ProbeVerdict.State.MISCONFIGURED) ? UserError.FAILED : 0;
    }

    /** Runs until SIGINT or SIGTERM; the shutdown hook stops probing, waits for probes in flight, closes the table. */
    private static int probeUntilStopped(final ProbeConfig probes, final FollowedTable shared,
        final PrintWriter out) throws InterruptedException
    {
        final Prober prober = new Prober(probes, shared, new ChangeLog(out, probes.failuresToDown()));
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            prober.close();
            shared.close();
            log(out, "stopped after " + prober.probesSent() + " probes");
            stopped.countDown();
        }, "modelsel-probe-shutdown"));
        log(out, "probing " + probes.probes().size() + " models every " + probes.intervalMs() + " ms (jittered by " +
            "10%), at most " + probes.maxConcurrent() + " at once, down after " + probes.failuresToDown() +
            " failed in a row, into " + shared.path() + "; stop with Ctrl-C or SIGTERM");
        prober.start();
        stopped.await();
        return 0;
    }

    private static void log(final PrintWriter out, final String line)
    {
        synchronized (out)
        {
            out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
            out.flush();
        }
    }

    /** One line per state change, never one per probe. */
    private static final class ChangeLog implements ProbeListener
    {
        private final PrintWriter out;
        private final int failuresToDown;

        ChangeLog(final PrintWriter out, final int failuresToDown)
        {
            this.out = out;
            this.failuresToDown = failuresToDown;
        }

        @Override
        public void onVerdict(final ProbeVerdict verdict)
        {
            if (verdict.changed())
            {
                log(out, verdict.describe(failuresToDown));
            }
        }

        @Override
        public void onError(final String model, final RuntimeException failure)
        {
            log(out, model + ": probe failed: " + failure.getMessage());
        }
    }
}
