package dev.modelsel.engine.limits;

import org.agrona.concurrent.AtomicBuffer;

/**
 * Where SPEC §7's buckets and budget spend live, keyed by name so that processes with different catalogs share them:
 * for each model, its rpm and tpm buckets ({@link RateBucket}, one after the other); for each budget, its spend
 * ({@link BudgetSpend}). Every process of a host that shares a store draws from the same buckets.
 * <p>
 * Implementations are thread-safe; the words they hand out stay where they are for the store's life.
 */
public interface LimitsStore
{
    /**
     * A model's words: the rpm bucket at {@code offset}, the tpm bucket at {@code offset + RateBucket.LENGTH}, then
     * the requests ({@link #REQUESTS_TAKEN_HERE}) and tokens ({@link #TOKENS_TAKEN_HERE}) this host's processes
     * took, counted only while {@link #limitsReplicated} is set: what a replicator sends the other hosts.
     */
    int REQUESTS_TAKEN_HERE = 2 * RateBucket.LENGTH;
    int TOKENS_TAKEN_HERE = REQUESTS_TAKEN_HERE + Long.BYTES;
    int BUCKETS_LENGTH = TOKENS_TAKEN_HERE + Long.BYTES;

    /** Words in a buffer. */
    record Slot(AtomicBuffer buffer, int offset)
    {
    }

    /** The model's buckets, made full if new. */
    Slot buckets(String modelId);

    /** The budget's spend words ({@link BudgetSpend}), made empty if new. */
    Slot budget(String budgetName);

    /**
     * This host's own part of the budget's spend, in words of the same layout, which a replicator sends the other
     * hosts; written only while {@link #limitsReplicated} is set. Null: the store is never replicated.
     */
    default Slot budgetHere(final String budgetName)
    {
        return null;
    }

    /**
     * A word that is non-zero while a replicator sends this store to other hosts (issue 14): then a reservation
     * and a record also count what they took as this host's own. Null: never (a store of one process).
     */
    default Slot limitsReplicated()
    {
        return null;
    }
}
