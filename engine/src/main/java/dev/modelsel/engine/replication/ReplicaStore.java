package dev.modelsel.engine.replication;

import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * A host's copy of the records, as the replicator sees it: the shared availability table in production, a map in
 * tests. Local writers change it on their own; the replicator reads what changed and merges what peers sent.
 */
public interface ReplicaStore
{
    /** Moves with every change, local or merged (see {@code AvailabilityTable#changeSequence}). */
    long changeSequence();

    /**
     * Tells the {@link String#hashCode()} of the model id of each record changed between two sequence values.
     *
     * @return false when it cannot tell (too many): the caller reads everything.
     */
    boolean changes(long fromSequence, long toSequence, IntConsumer changed);

    /** Every record; {@code visitor} gets a reused holder. */
    void forEach(BiConsumer<String, ReplicatedRecord> visitor);

    /** @return whether the store holds a record for the id; {@code into} is filled, or cleared when not. */
    boolean read(String modelId, ReplicatedRecord into);

    /**
     * Merges a record received from a peer into the local one, atomically, and moves the host's clock to at least
     * the record's versions; announces the change when there is one.
     *
     * @param merged   filled with the record as the merge left it, atomically with it (a read afterwards could see a
     *                 local write made since, which the replicator would then take for the peer's and not send).
     * @return {@link ReplicatedRecord#FLAG_CHANGED} and/or {@link ReplicatedRecord#COOLDOWN_CHANGED}, or 0.
     */
    int merge(String modelId, ReplicatedRecord received, ReplicatedRecord merged);

    /** @return null, or why the store is no longer the one at its path (deleted or replaced since it was opened). */
    default String staleReason()
    {
        return null;
    }
}
