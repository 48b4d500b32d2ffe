package dev.modelsel.benchmarks.latency;

import dev.modelsel.benchmarks.BenchmarkDefaults;
import dev.modelsel.benchmarks.BenchmarksMain;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.jvm.TimerSlack;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One measured propagation: a {@link PropagationWriter} JVM toggles the model through some target (a table, Redis),
 * and the calling thread, the reader, looks at a {@link Probe} (a select that reads what the writer wrote, wherever
 * that lands) over and over, recording the delay from each write's stamp to the probe's answer changing. The writer
 * makes each change only once the reader has seen the one before, so a change delayed past the next one's due time
 * holds that one back: each delay is recorded with {@code recordValueWithExpectedInterval} at the writer's interval
 * (coordinated omission).
 * <p>
 * The reader spins ({@code pollNs} 0), or parks that long between looks: on two cores a spinning reader takes one
 * of them from the processes whose work it waits for (three hosts' replicators). A parking reader lowers its timer
 * slack to {@link #READER_TIMER_SLACK_NS}, as the replicators do theirs, so that its look interval is close to
 * {@code pollNs} rather than Linux's 50 µs default slack later.
 * <p>
 * Not thread-safe: one run at a time, on the reader's thread.
 */
final class PropagationRun
{
    /** The model the writer toggles, and whose presence in the select's answer the probe reports. */
    static final String MODEL = "claude-3-sonnet-20240229";

    /**
     * How many changes to record, how many to make first unrecorded (as fast as possible: the writer's and reader's
     * code gets compiled), how many to make then at the rate, each awaited, still unrecorded ({@code pacedWarmup}: the
     * replicators' code gets compiled too, which a burst of writes, coalesced, does not do), at what rate, and how
     * long the reader parks between looks (0: it spins).
     */
    record Pace(long changes, long warmup, long pacedWarmup, long rate, long pollNs)
    {
        long intervalNs()
        {
            return 1_000_000_000L / rate;
        }

        String describe()
        {
            return String.format(Locale.ROOT, "%,d changes at %,d/s (after %,d to warm up%s)", changes, rate, warmup,
                pacedWarmup == 0 ? "" : String.format(Locale.ROOT, ", then %,d at that rate", pacedWarmup));
        }
    }

    /** The delays (ns), and how often the reader looked while it recorded them. */
    record Measured(Histogram delays, long looks, long lookingNs)
    {
        /** The mean time between the reader's looks: what a delay cannot be told more finely than. */
        double lookIntervalNs()
        {
            return looks == 0 ? 0 : (double)lookingNs / looks;
        }
    }

    /** What the reader looks at. */
    interface Probe
    {
        /** @return whether a select answers {@link #MODEL} now (it is up where this probe reads). */
        boolean up() throws IOException;

        /**
         * @return whether what this probe reads has taken in the writer's last warm-up write for good: a copy of a
         *         table that has it up now may still be reached by an older write in flight.
         */
        default boolean settled()
        {
            return true;
        }
    }

    /** A probe that answers with {@code select(high, 145,000 tokens)} on {@code selector}'s table. */
    static Probe selecting(final Selector selector)
    {
        final Selection selection = new Selection();
        final long nowMs = System.currentTimeMillis();
        return () -> MODEL.equals(selector.select(Complexity.HIGH, TOKENS, nowMs, selection).modelId());
    }

    /** The select's tokens: the default catalog answers claude-3-sonnet while it is up and claude-3-opus when not. */
    static final long TOKENS = 145_000;

    static final long READER_TIMER_SLACK_NS = 1_000;
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long SETTLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private PropagationRun()
    {
    }

    /**
     * @param writerTarget the writer's options that name where it writes: {@code --table PATH} or
     *                     {@code --redis-port PORT}.
     * @param directory    where the stamps file goes (deleted at the end).
     * @return the delays; fewer than {@code pace.changes()} if the writer ended or the time ran out (said).
     */
    static Measured measure(final String name, final List<String> writerTarget, final Probe probe, final Pace pace,
        final Path directory) throws Exception
    {
        final Path stampPath = directory.resolve("stamps-" + name.replaceAll("[^A-Za-z0-9]+", "-"));
        final UnsafeBuffer stamps = PropagationFiles.create(stampPath);
        final String slackRefused = TimerSlack.setForThisThread(READER_TIMER_SLACK_NS);
        if (slackRefused != null && pace.pollNs() > 0)
        {
            System.out.println(name + ": the reader's looks may come up to 50 µs late: " + slackRefused);
        }
        final Histogram delays = SelectLatencyHarness.histogram();
        final Process writer = startWriter(writerTarget, stampPath, pace);
        try
        {
            final long[] looks = new long[2];
            final long flips = read(probe, stamps, pace, delays, writer, looks);
            if (flips < pace.pacedWarmup() + pace.changes())
            {
                System.out.printf(Locale.ROOT, "%s: saw %,d of %,d changes (the writer ended or the time ran out)%n",
                    name, Math.max(0, flips - pace.pacedWarmup()), pace.changes());
            }
            return new Measured(delays, looks[0], looks[1]);
        }
        finally
        {
            writer.destroy();
            writer.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(stampPath);
        }
    }

    /** @param looks set to how many looks the reader took while recording, and over how long (ns). */
    private static long read(final Probe probe, final UnsafeBuffer stamps, final Pace pace, final Histogram delays,
        final Process writer, final long[] looks) throws IOException
    {
        stamps.putLongVolatile(PropagationFiles.READER_SEEN_OFFSET, -1);
        stamps.putLongVolatile(PropagationFiles.READY_OFFSET, 1);
        while (stamps.getLongVolatile(PropagationFiles.PHASE_OFFSET) == 0 && writer.isAlive())
        {
            pause(pace.pollNs());
            probe.up(); // warming up with the writer
        }
        final long settleBy = System.nanoTime() + SETTLE_TIMEOUT_NS;
        while (!(probe.up() && probe.settled()))
        {
            if (System.nanoTime() > settleBy || !writer.isAlive())
            {
                throw new IOException("the model never read as up, as the writer left it after warming up");
            }
            pause(pace.pollNs());
        }
        boolean up = true;
        stamps.putLongVolatile(PropagationFiles.READER_SEEN_OFFSET, 0);
        final long intervalNs = pace.intervalNs();
        final long pollNs = pace.pollNs();
        final long startNs = System.nanoTime();
        final long total = pace.pacedWarmup() + pace.changes();
        final long giveUpAt = startNs + TimeUnit.SECONDS.toNanos(60 + total / 100);
        long flips = 0;
        long spins = 0;
        long recordingSpins = 0;
        long recordingStartNs = startNs;
        for (; flips < total; spins++)
        {
            if ((spins & 0xFFF) == 0 && (System.nanoTime() > giveUpAt || !writer.isAlive()))
            {
                break; // checked now and then
            }
            pause(pollNs);
            final boolean nowUp = probe.up();
            if (nowUp != up)
            {
                final long detected = System.nanoTime();
                final long began = stamps.getLongVolatile(PropagationFiles.WRITE_BEGAN_NS_OFFSET);
                if (flips >= pace.pacedWarmup())
                {
                    delays.recordValueWithExpectedInterval(Math.min(HIGHEST_NS, Math.max(0, detected - began)),
                        intervalNs);
                }
                stamps.putLongVolatile(PropagationFiles.READER_SEEN_OFFSET, ++flips);
                up = nowUp;
                if (flips == pace.pacedWarmup())
                {
                    recordingSpins = spins;
                    recordingStartNs = System.nanoTime();
                }
            }
        }
        looks[0] = spins - recordingSpins;
        looks[1] = System.nanoTime() - recordingStartNs;
        return flips;
    }

    private static void pause(final long pollNs)
    {
        if (pollNs > 0)
        {
            LockSupport.parkNanos(pollNs);
        }
    }

    private static Process startWriter(final List<String> target, final Path stamps, final Pace pace) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(BenchmarkDefaults.JVM_FLAGS));
        command.add("-cp");
        command.add(classPath());
        command.add(BenchmarksMain.class.getName());
        command.add(PropagationWriter.COMMAND);
        command.addAll(target);
        command.addAll(List.of("--stamps", stamps.toString(), "--model", MODEL, "--changes",
            String.valueOf(pace.pacedWarmup() + pace.changes()), "--warmup-changes", String.valueOf(pace.warmup()), "--rate",
            String.valueOf(pace.rate())));
        return new ProcessBuilder(command).inheritIO().start();
    }

    /**
     * This JVM's class path, each entry absolute: the benchmarks jar, or in tests the classes and every dependency
     * (the engine's test-jar too), for the processes the harness starts (writers, relays in namespaces).
     */
    static String classPath()
    {
        final List<String> entries = new ArrayList<>();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            entries.add(Path.of(entry).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
