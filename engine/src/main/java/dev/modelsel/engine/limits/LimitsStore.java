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
    /** A model's buckets: the rpm bucket at {@code offset}, the tpm bucket at {@code offset + RateBucket.LENGTH}. */
    int BUCKETS_LENGTH = 2 * RateBucket.LENGTH;

    /** Words in a buffer. */
    record Slot(AtomicBuffer buffer, int offset)
    {
    }

    /** The model's buckets, made full if new. */
    Slot buckets(String modelId);

    /** The budget's spend word, made empty if new. */
    Slot budget(String budgetName);
}
