package dev.modelsel.engine.limits;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copies of another store's words, taken when first asked for: a selection over it sees the buckets and spend as
 * they were, and what it reserves changes only the copies. For what must look without consuming
 * ({@code select --explain}: SPEC §7 says an explanation takes nothing).
 * <p>
 * Thread-safe.
 */
public final class SnapshotLimitsStore implements LimitsStore
{
    private final LimitsStore source;
    private final ConcurrentHashMap<String, Slot> buckets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Slot> budgets = new ConcurrentHashMap<>();

    public SnapshotLimitsStore(final LimitsStore source)
    {
        this.source = source;
    }

    @Override
    public Slot buckets(final String name)
    {
        return buckets.computeIfAbsent(name, key -> copy(source.buckets(key), BUCKETS_LENGTH));
    }

    @Override
    public Slot budget(final String name)
    {
        return budgets.computeIfAbsent(name, key -> copy(source.budget(key), BudgetSpend.LENGTH));
    }

    private static Slot copy(final Slot from, final int length)
    {
        final UnsafeBuffer words = new UnsafeBuffer(ByteBuffer.allocateDirect(length));
        for (int i = 0; i < length; i += Long.BYTES)
        {
            words.putLong(i, from.buffer().getLongVolatile(from.offset() + i));
        }
        return new Slot(words, 0);
    }
}
