package dev.modelsel.engine.cost;

/**
 * Running totals of recorded phases: per model and per category. Adding is lock-free and, once a name has been
 * seen by this process, allocation-free; each counter is added atomically, a record's several counters one after
 * another (a reader may see a record half-added, never a count lost). A counter that would pass {@code Long.MAX_VALUE}
 * stays there: saturated, never wrapped negative. Deltas are never negative.
 * <p>
 * Implementations are thread-safe.
 */
public interface PhaseCounters extends AutoCloseable
{
    /** The counters of one model. {@code spendMicros} is whole micro-dollars. */
    record ModelCounts(
        long attempts,
        long failures,
        long escalations,
        long inputTokens,
        long outputTokens,
        long spendMicros,
        long pricedByDefaults,
        long outputUnpriced)
    {
    }

    /** The counters of one category. */
    record CategoryCounts(long phases, long escalations)
    {
    }

    /**
     * Makes room for a model's and a category's counters before a record adds to either, so that a record is added
     * whole or not at all: a file without room for one of them refuses the record before anything is counted.
     *
     * @throws CountersFullException when there is no room; nothing has been added.
     */
    default void reserve(final String model, final String category)
    {
    }

    /**
     * Adds one attempt of a model.
     *
     * @param pricedByDefaults the catalog lacks the model: priced with its defaults.
     * @param outputUnpriced   the model has no output price: the output part counted 0.
     */
    void addAttempt(
        String model,
        boolean failed,
        boolean escalated,
        long inputTokens,
        long outputTokens,
        long spendMicros,
        boolean pricedByDefaults,
        boolean outputUnpriced);

    /** Adds one phase of a category. */
    void addPhase(String category, boolean escalated);

    /** Calls the visitor for each model, a snapshot counter by counter; in no particular order. */
    void forEachModel(Visitor<ModelCounts> visitor);

    void forEachCategory(Visitor<CategoryCounts> visitor);

    @FunctionalInterface
    interface Visitor<T>
    {
        void accept(String name, T counts);
    }

    @Override
    default void close()
    {
    }
}
