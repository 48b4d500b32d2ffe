package dev.modelsel.engine.mapped;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Keeps a long-running process on the shared file at a path, as {@code tail -F} follows a log: when the file it opened
 * is deleted or replaced, it closes it and opens the one now at the path (creating it, as any first open does), so
 * that the process never goes on writing and reading a file no other process sees. A file cut short in place counts
 * as replaced ({@link FileIdentity}): its mapping is never touched again, and opening it again refuses it.
 * <p>
 * It looks only when asked ({@link #current()}), and then at most once per {@link #CHECK_EVERY_MS}: a look is a
 * {@code stat} or two, microseconds, which a {@code run} request line (two microseconds) could not carry each time.
 * So a process may go on with the old file for up to that long after it was deleted, and the look itself races with
 * whoever deletes the file next: the check and the write after it are not one step (docs/shared-table.md, "Files
 * deleted under running processes"). Each move is said once through {@code notes}, as is a file that cannot be opened
 * again; then every {@link #current()} fails until an open succeeds, tried again at most once per interval.
 * <p>
 * Not thread-safe, but {@link #due()}: its owner calls it from one thread or under its own lock.
 *
 * @param <T> what is opened: a shared table or counters file.
 */
public final class FileFollower<T extends AutoCloseable>
{
    /** The longest a follower goes on with a deleted or replaced file before it looks, while it is asked. */
    public static final long CHECK_EVERY_MS = 10;

    /** Opens the file at a path. */
    @FunctionalInterface
    public interface Opener<T>
    {
        T open(Path path) throws IOException;
    }

    private final String what;
    private final Path path;
    private final Opener<T> opener;
    private final Function<T, String> staleness;
    private final Consumer<String> notes;
    private final long checkEveryNs;
    private T current;
    /** What became of the file last followed away from; the reason {@link #current()} fails with, while it does. */
    private String lost;
    private String unavailable;
    private boolean closed;
    private volatile long nextCheckNs;

    /**
     * @param what      what the file is, for the notes: {@code "availability table"}.
     * @param opened    the instance opened at the path, which the follower now owns and closes.
     * @param staleness {@code null} while an instance's file stands, else what became of it (a sentence that starts
     *                  with the path).
     * @param notes     receives one line for each move and each failure to reopen (the command prints it on stderr).
     */
    public FileFollower(
        final String what,
        final Path path,
        final T opened,
        final Opener<T> opener,
        final Function<T, String> staleness,
        final Consumer<String> notes)
    {
        this(what, path, opened, opener, staleness, notes, CHECK_EVERY_MS);
    }

    /** @param checkEveryMs the shortest time between two looks; 0 to look each time asked. */
    public FileFollower(
        final String what,
        final Path path,
        final T opened,
        final Opener<T> opener,
        final Function<T, String> staleness,
        final Consumer<String> notes,
        final long checkEveryMs)
    {
        this.what = what;
        this.path = path;
        this.current = opened;
        this.opener = opener;
        this.staleness = staleness;
        this.notes = notes;
        this.checkEveryNs = TimeUnit.MILLISECONDS.toNanos(checkEveryMs);
        this.nextCheckNs = System.nanoTime() + checkEveryNs;
    }

    public Path path()
    {
        return path;
    }

    /**
     * Whether the next {@link #current()} would look at the file: a clock read, safe from any thread (read without the
     * owner's lock, it can be a moment out of date). Lets the owner skip its lock between looks.
     */
    public boolean due()
    {
        return System.nanoTime() - nextCheckNs >= 0;
    }

    /**
     * The instance to use now: the one opened before while its file stands (or while the last look is recent), else
     * the file now at the path, newly opened; the old instance is closed first.
     *
     * @throws FileUnavailableException when the file was deleted or replaced and the one at the path cannot be
     *                                   opened (yet).
     */
    public T current()
    {
        final long nowNs = System.nanoTime();
        if (nowNs - nextCheckNs < 0 || closed)
        {
            if (current == null)
            {
                throw new FileUnavailableException(unavailable);
            }
            return current;
        }
        nextCheckNs = nowNs + checkEveryNs;
        if (current != null)
        {
            final String change = staleness.apply(current);
            if (change == null)
            {
                return current;
            }
            closeQuietly(current);
            current = null;
            lost = change;
            unavailable = null;
        }
        return reopen();
    }

    /** Opens the file now at the path, after {@link #lost} said what became of the last one. */
    private T reopen()
    {
        try
        {
            current = opener.open(path);
        }
        catch (final IOException | RuntimeException failed)
        {
            final boolean first = unavailable == null;
            unavailable = lost + "; opening the " + what + " now at " + path + " failed: " +
                (failed.getMessage() != null ? failed.getMessage() : failed.toString());
            if (first)
            {
                notes.accept("modelsel: " + unavailable + "; what needs it is refused until it opens (tried again " +
                    "at most every " + TimeUnit.NANOSECONDS.toMillis(checkEveryNs) + " ms)");
            }
            throw new FileUnavailableException(unavailable);
        }
        notes.accept("modelsel: " + lost + "; opened the " + what + " now at " + path + " and went on with it");
        unavailable = null;
        return current;
    }

    /** Closes the instance it has, if any. */
    public void close()
    {
        closed = true;
        unavailable = "the " + what + " at " + path + " is closed";
        if (current != null)
        {
            closeQuietly(current);
            current = null;
        }
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final Exception | InternalError ignored)
        {
            // the file is gone, replaced or cut short (a fault in its memory): nothing of it is needed any more
        }
    }
}
