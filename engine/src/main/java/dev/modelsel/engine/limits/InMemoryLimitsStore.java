package dev.modelsel.engine.limits;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Buckets and spend in this process's memory: what one process shares between its threads (tests, a library user
 * with no shared file). Each name gets words of its own, made on first use.
 * <p>
 * Thread-safe.
 */
public final class InMemoryLimitsStore implements LimitsStore
{
    private final ConcurrentHashMap<String, Slot> buckets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Slot> budgets = new ConcurrentHashMap<>();

    @Override
    public Slot buckets(final String modelId)
    {
        return buckets.computeIfAbsent(modelId, id -> words(BUCKETS_LENGTH));
    }

    @Override
    public Slot budget(final String budgetName)
    {
        return budgets.computeIfAbsent(budgetName, name -> words(BudgetSpend.LENGTH));
    }

    private static Slot words(final int length)
    {
        return new Slot(new UnsafeBuffer(ByteBuffer.allocateDirect(length)), 0); // direct: aligned for atomics
    }
}
