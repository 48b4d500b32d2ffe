package dev.modelsel.engine.availability;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;

/**
 * An availability table private to one process: the default of {@code modelsel run} without
 * {@code --availability}, and of tests. Records are immutable values swapped atomically in a concurrent map; the
 * change sequence is bumped (a volatile write) after every write, changed or not: a write that changed nothing may
 * have raced with one that did and has not yet bumped, and must not return before a bump that covers both.
 * <p>
 * Thread-safe.
 */
public final class InMemoryAvailabilityTable implements AvailabilityTable
{
    private record State(boolean down, long cooldownUntilMs, long changes, long changedAtMs)
    {
        static final State UNKNOWN = new State(false, AvailabilityRecord.NO_COOLDOWN, 0, 0);

        State with(final boolean down, final long cooldownUntilMs)
        {
            return down == this.down && cooldownUntilMs == this.cooldownUntilMs ? this :
                new State(down, cooldownUntilMs, changes + 1, System.currentTimeMillis());
        }
    }

    private static final long PID = ProcessHandle.current().pid();

    private final ConcurrentHashMap<String, State> records = new ConcurrentHashMap<>();
    private final AtomicLong changeSequence = new AtomicLong();
    private final AtomicLongArray ringSlots = new AtomicLongArray(2 * ChangeRing.SLOTS);
    private final ChangeRing ring = new ChangeRing(new ChangeRing.Slots()
    {
        @Override
        public long get(final int index)
        {
            return ringSlots.get(index);
        }

        @Override
        public void put(final int index, final long value)
        {
            ringSlots.set(index, value);
        }
    });

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
        into.set(state.down, state.cooldownUntilMs, state.changes, PID, state.changedAtMs);
        return true;
    }

    @Override
    public void setDown(final String modelId)
    {
        update(modelId, state -> state.with(true, state.cooldownUntilMs));
    }

    @Override
    public void setUp(final String modelId)
    {
        update(modelId, state -> state.with(false, AvailabilityRecord.NO_COOLDOWN));
    }

    @Override
    public void clearDown(final String modelId)
    {
        update(modelId, state -> state.with(false, state.cooldownUntilMs));
    }

    @Override
    public long setRateLimited(final String modelId, final long untilMs)
    {
        return update(modelId, state -> state.with(state.down, Math.max(state.cooldownUntilMs, untilMs))).cooldownUntilMs;
    }

    @Override
    public boolean changes(final long fromSequence, final long toSequence, final IntConsumer changed)
    {
        return ring.changes(fromSequence, toSequence, changed);
    }

    @Override
    public List<String> forEach(final RecordVisitor visitor)
    {
        final AvailabilityRecord record = new AvailabilityRecord();
        records.forEach((id, state) ->
            visitor.accept(id, record.set(state.down, state.cooldownUntilMs, state.changes, PID, state.changedAtMs)));
        return List.of();
    }

    private State update(final String modelId, final UnaryOperator<State> change)
    {
        final State after = records.compute(AvailabilityTable.requireModelId(modelId),
            (id, old) -> change.apply(old == null ? State.UNKNOWN : old));
        ring.note(changeSequence.incrementAndGet(), modelId.hashCode());
        return after;
    }
}
