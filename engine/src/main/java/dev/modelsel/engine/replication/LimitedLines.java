package dev.modelsel.engine.replication;

import java.util.function.Consumer;

/**
 * Log lines of one kind, at most so many a minute: the rest are counted, and the count is told with the next line
 * let through. For what a stranger can cause (streams set up on the replicator's port, errors they provoke), so
 * that the log stays readable and bounded whatever arrives.
 * <p>
 * Thread-safe: Aeron may call from its own threads.
 */
final class LimitedLines
{
    private static final long MINUTE_MS = 60_000;

    private final Consumer<String> log;
    private final int perMinute;
    private final String what;
    private long minuteStartMs = Long.MIN_VALUE;
    private int lines;
    private long suppressed;

    LimitedLines(final Consumer<String> log, final int perMinute, final String what)
    {
        this.log = log;
        this.perMinute = perMinute;
        this.what = what;
    }

    synchronized void line(final String line)
    {
        final long nowMs = System.currentTimeMillis();
        if (nowMs - minuteStartMs >= MINUTE_MS)
        {
            minuteStartMs = nowMs;
            lines = 0;
        }
        if (lines == perMinute)
        {
            suppressed++;
            return;
        }
        lines++;
        if (suppressed > 0)
        {
            log.accept(suppressed + " " + what + " not logged (at most " + perMinute + " a minute)");
            suppressed = 0;
        }
        log.accept(line);
    }
}
