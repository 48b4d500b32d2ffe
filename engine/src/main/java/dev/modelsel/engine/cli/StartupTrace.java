package dev.modelsel.engine.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Where a command's start-up time goes, for {@code -Dmodelsel.trace.startup=true}: each {@link #lap} marks the end
 * of a step, and {@link #print} writes one line per step to stderr. Off by default, and then a lap is one branch on
 * a constant, so that the laps can stay in the code that they measure.
 * <p>
 * Used from the main thread only.
 */
final class StartupTrace
{
    static final String PROPERTY = "modelsel.trace.startup";

    private static final boolean ON = Boolean.getBoolean(PROPERTY);
    private static final int MAX_LAPS = 16;
    private static final String[] STEPS = new String[MAX_LAPS];
    private static final long[] NANOS = new long[MAX_LAPS];
    private static long startNanos;
    private static long startMs;
    private static int laps;

    private StartupTrace()
    {
    }

    /** Marks {@code main}'s entry, where the steps start. */
    static void begin()
    {
        startNanos = System.nanoTime();
        startMs = System.currentTimeMillis();
    }

    static void lap(final String step)
    {
        if (ON && laps < MAX_LAPS)
        {
            STEPS[laps] = step;
            NANOS[laps++] = System.nanoTime();
        }
    }

    /**
     * Prints the steps since {@code main} was entered, after the time from the JVM's start to {@code main} (in
     * whole ms; the launcher before the JVM and the exit after the last step are the whole process's wall time,
     * measured outside, less these). Loads the management classes only now, when the laps are taken.
     */
    static void print(final PrintStream err)
    {
        if (!ON)
        {
            return;
        }
        final long sinceMainNs = System.nanoTime() - startNanos;
        err.println(String.format(Locale.ROOT, "startup: %-40s %6d   ms", "JVM start to main",
            startMs - ManagementFactory.getRuntimeMXBean().getStartTime()));
        long previous = startNanos;
        for (int i = 0; i < laps; i++)
        {
            err.println(String.format(Locale.ROOT, "startup: %-40s %8.1f ms", STEPS[i], (NANOS[i] - previous) / 1e6));
            previous = NANOS[i];
        }
        err.println(String.format(Locale.ROOT, "startup: %-40s %8.1f ms", "main to here", sinceMainNs / 1e6));
        err.flush();
    }
}
