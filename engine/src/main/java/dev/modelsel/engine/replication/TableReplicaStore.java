package dev.modelsel.engine.replication;

import dev.modelsel.engine.availability.SharedAvailabilityTable;

import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * A host's shared availability table as the replicator sees it: the table keeps SPEC §6's versions itself, so every
 * local writer (the {@code availability} command, {@code run}, the prober, {@code OutcomeReporter}) stamps them, and a
 * replicator restarted after a crash resumes from what the table holds. Damage the table's listing reports is left
 * to {@code availability show}; corrupt records are not sent.
 * <p>
 * Thread-safe, as the table is.
 */
public final class TableReplicaStore implements ReplicaStore
{
    private final SharedAvailabilityTable table;

    public TableReplicaStore(final SharedAvailabilityTable table)
    {
        this.table = table;
    }

    @Override
    public long changeSequence()
    {
        return table.changeSequence();
    }

    @Override
    public boolean changes(final long fromSequence, final long toSequence, final IntConsumer changed)
    {
        return table.changes(fromSequence, toSequence, changed);
    }

    @Override
    public void forEach(final BiConsumer<String, ReplicatedRecord> visitor)
    {
        table.forEachReplicated(visitor);
    }

    @Override
    public boolean read(final String modelId, final ReplicatedRecord into)
    {
        return table.readReplicated(modelId, into);
    }

    @Override
    public int merge(final String modelId, final ReplicatedRecord received, final ReplicatedRecord merged)
    {
        return table.merge(modelId, received, merged);
    }

    @Override
    public String staleReason()
    {
        return table.staleReason();
    }
}
