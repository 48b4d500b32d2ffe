package dev.modelsel.engine.availability;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An availability table private to one process: the default of {@code modelsel run} without
 * {@code --availability}, and of tests. Records are immutable values swapped atomically in a concurrent map; the
 * change sequence is bumped (a volatile write) after each swap, which gives {@link AvailabilityTable}'s ordering.
 * <p>
 * Thread-safe.
 */
public final class InMemoryAvailabilityTable implements AvailabilityTable
{
    private record State(boolean down, long cooldownUntilMs)
    {
    }

    private static final State UP = new State(false, AvailabilityRecord.NO_COOLDOWN);

    private final ConcurrentHashMap<String, State> records = new ConcurrentHashMap<>();
    private final AtomicLong changeSequence = new AtomicLong();

    @Override
    public long changeSequence()
    {
        return changeSequence.get();
    }

    @Override
    public boolean read(final String modelId, final AvailabilityRecord into)
    {
        final State state = records.get(modelId);
        if (state == null)
        {
            into.clear();
            return false;
        }
        into.set(state.down, state.cooldownUntilMs);
        return true;
    }

    @Override
    public void setDown(final String modelId)
    {
        records.merge(AvailabilityTable.requireModelId(modelId), new State(true, AvailabilityRecord.NO_COOLDOWN),
            (old, ignored) -> new State(true, old.cooldownUntilMs));
        changeSequence.incrementAndGet();
    }

    @Override
    public void setUp(final String modelId)
    {
        records.put(AvailabilityTable.requireModelId(modelId), UP);
        changeSequence.incrementAndGet();
    }

    @Override
    public long setRateLimited(final String modelId, final long untilMs)
    {
        final State merged = records.merge(AvailabilityTable.requireModelId(modelId), new State(false, untilMs),
            (old, ignored) -> new State(old.down, Math.max(old.cooldownUntilMs, untilMs)));
        changeSequence.incrementAndGet();
        return merged.cooldownUntilMs;
    }

    @Override
    public void forEach(final RecordVisitor visitor)
    {
        final AvailabilityRecord record = new AvailabilityRecord();
        records.forEach((id, state) -> visitor.accept(id, record.set(state.down, state.cooldownUntilMs)));
    }
}
