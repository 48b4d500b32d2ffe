package dev.modelsel.engine.availability;

import dev.modelsel.engine.mapped.FileFollower;
import dev.modelsel.engine.mapped.FileUnavailableException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The shared table at a path, followed across deletions: when someone deletes or replaces its files under a
 * long-running process ({@code run}, {@code probe}), {@link #follow()} closes the old table and opens the one now at
 * the path (creating it, as a first open does), instead of going on with a table no other process sees. See
 * {@link FileFollower} for when it looks, and docs/shared-table.md.
 * <p>
 * Readers build views labelled by {@link #changeSequence()}, and two tables' sequences have nothing to do with each
 * other: a reader re-reads everything when {@link #follow()} says it moved ({@code run} reloads its selector). While
 * the table cannot be opened again, reads see an empty table and writes fail with {@link FileUnavailableException}.
 * <p>
 * Thread-safe for writers: each write holds this object's lock, and so does a move, which closes the old table only
 * when no write is using it. Reads take no lock (the select path); they belong to the thread that calls
 * {@link #follow()}, or to a process whose writers never read (the prober).
 */
public final class FollowedTable implements AvailabilityTable
{
    private final FileFollower<SharedAvailabilityTable> follower;
    private final boolean followBeforeEachWrite;
    private final AvailabilityTable none = new InMemoryAvailabilityTable();
    private volatile AvailabilityTable reading;
    /** Why {@link #reading} is {@link #none}. */
    private String unavailable;

    private FollowedTable(final FileFollower<SharedAvailabilityTable> follower, final SharedAvailabilityTable opened,
        final boolean followBeforeEachWrite)
    {
        this.follower = follower;
        this.reading = opened;
        this.followBeforeEachWrite = followBeforeEachWrite;
    }

    /**
     * Opens the table at {@code path} as {@link SharedAvailabilityTable#open} does.
     *
     * @param followBeforeEachWrite whether every write calls {@link #follow()} first: for writers that never read;
     *                              a reader calls {@link #follow()} itself, before it reads, and re-reads after a move.
     * @param notes                 receives one line for each move and each failure to reopen.
     */
    public static FollowedTable open(final Path path, final boolean followBeforeEachWrite, final Consumer<String> notes)
        throws IOException
    {
        final SharedAvailabilityTable opened = SharedAvailabilityTable.open(path);
        return new FollowedTable(new FileFollower<>("availability table", opened.path(), opened,
            SharedAvailabilityTable::open, SharedAvailabilityTable::staleReason, notes), opened, followBeforeEachWrite);
    }

    /**
     * Looks whether the table's files were deleted or replaced (at most once per
     * {@link FileFollower#CHECK_EVERY_MS}), and if so moves to the table now at the path.
     *
     * @return whether this call moved to another table: what was read before is of the old one.
     * @throws FileUnavailableException when the files were deleted or replaced and the table at the path cannot be
     *                                  opened now.
     */
    public boolean follow()
    {
        if (reading != none && !follower.due())
        {
            return false; // between looks: no lock
        }
        return followNow();
    }

    private synchronized boolean followNow()
    {
        final AvailabilityTable before = reading;
        final AvailabilityTable now;
        try
        {
            now = follower.current();
        }
        catch (final FileUnavailableException ex)
        {
            reading = none;
            unavailable = ex.getMessage();
            throw ex;
        }
        reading = now;
        return now != before;
    }

    /** The table's path, its links resolved. */
    public Path path()
    {
        return follower.path();
    }

    /** Under the lock: the table to write to. */
    private AvailabilityTable writable()
    {
        if (followBeforeEachWrite)
        {
            follow();
        }
        else if (reading == none)
        {
            throw new FileUnavailableException(unavailable); // its reader follows, and re-reads when it opens again
        }
        return reading;
    }

    @Override
    public long changeSequence()
    {
        return reading.changeSequence();
    }

    @Override
    public boolean read(final String modelId, final AvailabilityRecord into)
    {
        return reading.read(modelId, into);
    }

    @Override
    public synchronized void setDown(final String modelId)
    {
        writable().setDown(modelId);
    }

    @Override
    public synchronized void setUp(final String modelId)
    {
        writable().setUp(modelId);
    }

    @Override
    public synchronized void clearDown(final String modelId)
    {
        writable().clearDown(modelId);
    }

    @Override
    public synchronized long setRateLimited(final String modelId, final long untilMs)
    {
        return writable().setRateLimited(modelId, untilMs);
    }

    @Override
    public boolean changes(final long fromSequence, final long toSequence, final IntConsumer changed)
    {
        return reading.changes(fromSequence, toSequence, changed);
    }

    @Override
    public List<String> forEach(final RecordVisitor visitor)
    {
        return reading.forEach(visitor);
    }

    /** Closes the table it has; writes fail from now on. */
    @Override
    public synchronized void close()
    {
        reading = none;
        unavailable = "the availability table at " + path() + " is closed";
        follower.close();
    }

    @Override
    public String toString()
    {
        return "FollowedTable{" + path() + '}';
    }
}
