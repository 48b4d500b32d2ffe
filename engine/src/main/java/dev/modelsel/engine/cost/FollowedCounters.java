package dev.modelsel.engine.cost;

import dev.modelsel.engine.limits.LimitsStore;
import dev.modelsel.engine.mapped.FileFollower;
import dev.modelsel.engine.mapped.FileUnavailableException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The shared counters file at a path, followed across deletions: when someone deletes or replaces it under a
 * long-running process ({@code run --counters}), {@link #follow()} opens the file now at the path (creating it),
 * instead of going on counting into a file no other process reads. See {@link FileFollower} for when it looks, and
 * docs/costs.md.
 * <p>
 * While the file cannot be opened again, adding fails with {@link FileUnavailableException} and reading sees nothing.
 * Thread-safe: a move swaps a reference; an old file's mapping stays valid until it is garbage collected, so an add
 * racing with a move lands in the old file, as one just before it would.
 */
public final class FollowedCounters implements PhaseCounters, LimitsStore
{
    private static final PhaseCounters NONE = new InMemoryPhaseCounters();

    private final FileFollower<SharedPhaseCounters> follower;
    private volatile PhaseCounters counting;
    private volatile String unavailable;
    /** Moves on with every move to another file: the limits' words (SPEC §7) must be looked up again. */
    private volatile long generation;

    private FollowedCounters(final FileFollower<SharedPhaseCounters> follower, final SharedPhaseCounters opened)
    {
        this.follower = follower;
        this.counting = opened;
    }

    /**
     * Opens the counters file at {@code path} as {@link SharedPhaseCounters#open} does.
     *
     * @param notes receives one line for each move and each failure to reopen.
     */
    public static FollowedCounters open(final Path path, final Consumer<String> notes) throws IOException
    {
        final SharedPhaseCounters opened = SharedPhaseCounters.open(path);
        return new FollowedCounters(new FileFollower<>("counters file", opened.path(), opened,
            SharedPhaseCounters::open, SharedPhaseCounters::staleReason, notes), opened);
    }

    /**
     * Looks whether the file was deleted or replaced (at most once per {@link FileFollower#CHECK_EVERY_MS}), and if
     * so moves to the file now at the path.
     *
     * @throws FileUnavailableException when it was deleted or replaced and the file at the path cannot be opened now.
     */
    public void follow()
    {
        if (counting != NONE && !follower.due())
        {
            return; // between looks: no lock
        }
        followNow();
    }

    private synchronized void followNow()
    {
        try
        {
            final PhaseCounters current = follower.current();
            if (current != counting)
            {
                counting = current;
                generation++;
            }
            unavailable = null;
        }
        catch (final FileUnavailableException ex)
        {
            counting = NONE;
            unavailable = ex.getMessage();
            throw ex;
        }
    }

    public Path path()
    {
        return follower.path();
    }

    /** Moves on whenever {@link #follow} moved to another file. */
    public long generation()
    {
        return generation;
    }

    /** SPEC §7's words, in the file followed now. @throws FileUnavailableException while there is none. */
    @Override
    public Slot buckets(final String modelId)
    {
        return ((SharedPhaseCounters)adding()).buckets(modelId);
    }

    @Override
    public Slot budget(final String budgetName)
    {
        return ((SharedPhaseCounters)adding()).budget(budgetName);
    }

    @Override
    public Slot budgetHere(final String budgetName)
    {
        return ((SharedPhaseCounters)adding()).budgetHere(budgetName);
    }

    @Override
    public Slot limitsReplicated()
    {
        return ((SharedPhaseCounters)adding()).limitsReplicated();
    }

    private PhaseCounters adding()
    {
        final PhaseCounters counters = counting;
        if (counters == NONE)
        {
            throw new FileUnavailableException(unavailable);
        }
        return counters;
    }

    @Override
    public void reserve(final String model, final String category)
    {
        adding().reserve(model, category);
    }

    @Override
    public void addAttempt(
        final String model,
        final boolean failed,
        final boolean escalated,
        final long inputTokens,
        final long outputTokens,
        final long spendMicros,
        final boolean pricedByDefaults,
        final boolean outputUnpriced)
    {
        adding().addAttempt(model, failed, escalated, inputTokens, outputTokens, spendMicros, pricedByDefaults,
            outputUnpriced);
    }

    @Override
    public void addPhase(final String category, final boolean escalated)
    {
        adding().addPhase(category, escalated);
    }

    @Override
    public void forEachModel(final Visitor<ModelCounts> visitor)
    {
        counting.forEachModel(visitor);
    }

    @Override
    public void forEachCategory(final Visitor<CategoryCounts> visitor)
    {
        counting.forEachCategory(visitor);
    }

    @Override
    public synchronized void close()
    {
        unavailable = "the counters file at " + path() + " is closed";
        counting = NONE;
        follower.close();
    }
}
