package dev.modelsel.engine.replication;

import dev.modelsel.engine.cost.CounterSlots;
import dev.modelsel.engine.cost.CountersChanges;
import dev.modelsel.engine.cost.CountersDescriptor;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import dev.modelsel.engine.limits.OtherHostsTakes;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Spend across hosts (issue 13), as one host's {@link Replicator} sees it: the host's own counters file, whose
 * records it sends (each host only its own), and the other hosts' slots ({@link CounterSlots}), into which it takes
 * theirs. See docs/costs.md, "Spend across hosts". SPEC §7's limits ride along (issue 14): opening the file marks it,
 * so that the host's processes count their own takes, which are sent the same way, and what the other hosts took is
 * applied to this host's own buckets and budgets as it arrives (docs/limits.md, "Across hosts").
 * <p>
 * The own file is followed: deleted and made again (to count afresh) or replaced, the replicator moves to the file
 * now at the path (making one if there is none), sends it whole, and its new incarnation replaces this host's slot
 * on every other host.
 * <p>
 * One replicator per counters file, as per table: it holds a lock on {@code PATH.replicator} until {@link #close}
 * (or its death), so that one process alone writes the slots and the file is sent under one host id.
 * <p>
 * Not thread-safe: the replicator's thread ({@link #close} from any, once the replicator has stopped).
 */
public final class ClusterCounters implements AutoCloseable
{
    private final Path path;
    private final ReplicatorLock lock;
    private final CounterSlots slots;
    private CountersChanges local;

    private ClusterCounters(final Path path, final ReplicatorLock lock, final SharedPhaseCounters local)
    {
        this.path = path;
        this.lock = lock;
        this.slots = CounterSlots.forWriting(path);
        this.local = new CountersChanges(local);
        local.assignIncarnation();
        local.markLimitsReplicated(System.currentTimeMillis());
    }

    /**
     * Opens this host's counters file (making it if there is none, as {@code run --counters} would) and takes the
     * lock beside it; the other hosts' slots are made in {@code PATH.hosts/} as their counters arrive.
     *
     * @throws dev.modelsel.engine.mapped.ForeignFileException when a file there is not a counters file.
     * @throws IllegalStateException naming the pid of another replicator that serves this counters file.
     */
    public static ClusterCounters open(final Path countersFile) throws IOException
    {
        final SharedPhaseCounters local = SharedPhaseCounters.open(countersFile);
        final ReplicatorLock lock = ReplicatorLock.acquire(local.path(), "counters file");
        try
        {
            return new ClusterCounters(local.path(), lock, local);
        }
        catch (final RuntimeException ex)
        {
            lock.close();
            throw ex;
        }
    }

    /** Releases the lock: another replicator may serve the counters file. */
    @Override
    public void close() throws IOException
    {
        lock.close();
    }

    /** This host's counters file. */
    public Path path()
    {
        return path;
    }

    /** Where the other hosts' slots are. */
    public Path slotsDirectory()
    {
        return slots.directory();
    }

    SharedPhaseCounters local()
    {
        return local.counters();
    }

    long incarnation()
    {
        return local.counters().incarnation();
    }

    /**
     * Moves to the file now at the path if the one open was deleted or replaced (one {@code stat}).
     *
     * @return what became of the old one when it moved, else null.
     * @throws IOException when the file at the path cannot be opened; the old one stays.
     */
    String follow() throws IOException
    {
        final String change = local.counters().staleReason();
        if (change == null)
        {
            return null;
        }
        final SharedPhaseCounters now = SharedPhaseCounters.open(path);
        now.assignIncarnationAbove(local.counters().incarnation()); // no higher, the others would ignore it
        now.markLimitsReplicated(System.currentTimeMillis());
        local = new CountersChanges(now);
        return change;
    }

    /** See {@link CountersChanges#collect}. */
    int collect(final boolean all, final boolean limits, final CountersChanges.Entry entry)
    {
        return local.collect(all, limits, entry);
    }

    /** See {@link CounterSlots#begin}. */
    CounterSlots.Arrival begin(final String host, final long incarnation, final long nowMs) throws IOException
    {
        return slots.begin(host, incarnation, nowMs);
    }

    /**
     * See {@link CounterSlots#raise}; for SPEC §7's limits, {@link CounterSlots#raiseTakes}, applying what the host
     * took to this host's own buckets and budgets ({@link OtherHostsTakes}).
     */
    boolean raise(final String host, final int kind, final String name, final long[] counters, final long nowMs)
    {
        if (kind == CountersDescriptor.KIND_BUCKETS)
        {
            return slots.raiseTakes(host, kind, name, counters,
                (before, after) -> OtherHostsTakes.applyBuckets(local(), name, before, after, nowMs));
        }
        if (kind == CountersDescriptor.KIND_BUDGET_HERE)
        {
            return slots.raiseTakes(host, kind, name, counters,
                (before, after) -> OtherHostsTakes.applyBudget(local(), name, before, after));
        }
        return slots.raise(host, kind, name, counters);
    }
}
