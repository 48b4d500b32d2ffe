package dev.modelsel.engine.jvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Linux's timer slack for the calling thread: how late the kernel may wake a sleeping thread, to group wake-ups. It
 * is 50 µs by default, so {@code LockSupport.parkNanos(1_000)} sleeps 60–80 µs, and a loop that parks when idle
 * notices work that late. A latency-sensitive thread lowers its own slack; nothing else changes.
 * <p>
 * Done without native code: a thread may write its own {@code /proc/TID/timerslack_ns} (Linux 4.6 and later, no
 * privilege needed for itself), and {@code /proc/thread-self} names the calling thread's id. Elsewhere (another
 * kernel, another OS, a locked-down {@code /proc}) it does nothing and says why.
 * <p>
 * Stateless and thread-safe: each call acts on the calling thread.
 */
public final class TimerSlack
{
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    private TimerSlack()
    {
    }

    /**
     * Sets the calling thread's timer slack.
     *
     * @return null when set, else why not (one line).
     */
    public static String setForThisThread(final long slackNs)
    {
        try
        {
            final Path slack = slackFile();
            Files.writeString(slack, Long.toString(slackNs));
            final long now = Long.parseLong(Files.readString(slack).strip());
            return now == slackNs ? null : "the kernel kept " + now + " ns";
        }
        catch (final IOException | UnsupportedOperationException | NumberFormatException | SecurityException ex)
        {
            return "cannot set the timer slack here (" + ex + ")";
        }
    }

    /** The calling thread's own file: {@code /proc/thread-self} links to "PID/task/TID", and /proc/TID is the thread. */
    private static Path slackFile() throws IOException
    {
        return Path.of("/proc", Files.readSymbolicLink(THREAD_SELF).getFileName().toString(), "timerslack_ns");
    }

    /** @return the calling thread's timer slack in ns, or -1 where it cannot be read. */
    public static long ofThisThread()
    {
        try
        {
            return Long.parseLong(Files.readString(slackFile()).strip());
        }
        catch (final IOException | UnsupportedOperationException | NumberFormatException | SecurityException ex)
        {
            return -1;
        }
    }
}
