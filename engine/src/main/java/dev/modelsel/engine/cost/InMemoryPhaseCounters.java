package dev.modelsel.engine.cost;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/** Counters private to one process: {@code modelsel run} without {@code --counters}, and tests. Thread-safe. */
public final class InMemoryPhaseCounters implements PhaseCounters
{
    private static final int MODEL_COUNTERS = 8;
    private static final int CATEGORY_COUNTERS = 2;

    private final ConcurrentHashMap<String, AtomicLongArray> models = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLongArray> categories = new ConcurrentHashMap<>();

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
        final AtomicLongArray counts = counters(models, model, MODEL_COUNTERS);
        add(counts, 0, 1);
        add(counts, 1, failed ? 1 : 0);
        add(counts, 2, escalated ? 1 : 0);
        add(counts, 3, inputTokens);
        add(counts, 4, outputTokens);
        add(counts, 5, spendMicros);
        add(counts, 6, pricedByDefaults ? 1 : 0);
        add(counts, 7, outputUnpriced ? 1 : 0);
    }

    @Override
    public void addPhase(final String category, final boolean escalated)
    {
        final AtomicLongArray counts = counters(categories, category, CATEGORY_COUNTERS);
        add(counts, 0, 1);
        add(counts, 1, escalated ? 1 : 0);
    }

    @Override
    public void forEachModel(final Visitor<ModelCounts> visitor)
    {
        models.forEach((name, c) -> visitor.accept(name, new ModelCounts(c.get(0), c.get(1), c.get(2), c.get(3), c.get(4),
            c.get(5), c.get(6), c.get(7))));
    }

    @Override
    public void forEachCategory(final Visitor<CategoryCounts> visitor)
    {
        categories.forEach((name, c) -> visitor.accept(name, new CategoryCounts(c.get(0), c.get(1))));
    }

    /** As the shared counters add: saturating at {@code Long.MAX_VALUE}, never wrapping negative. */
    private static void add(final AtomicLongArray counts, final int index, final long delta)
    {
        if (delta != 0)
        {
            counts.accumulateAndGet(index, delta, Saturating::add); // a method reference capturing nothing: no garbage
        }
    }

    private static AtomicLongArray counters(
        final ConcurrentHashMap<String, AtomicLongArray> byName, final String name, final int size)
    {
        final AtomicLongArray counts = byName.get(name);
        return counts != null ? counts : byName.computeIfAbsent(name, ignored -> new AtomicLongArray(size));
    }
}
