package dev.modelsel.engine.replication;

/**
 * The clock part of a write's version (SPEC §6): a hybrid logical clock packed into one {@code long}, wall-clock
 * milliseconds in the high 48 bits (the sign bit always 0) and a counter in the low 16, so that comparing two values
 * as longs compares them by milliseconds, then counter. 47 bits of milliseconds last until the year 6429.
 * <p>
 * The functions are pure; where the clock's state lives (one host-wide word in shared memory, a field in a test)
 * is the caller's business. Thread-safe.
 */
public final class HybridClock
{
    /** The clock of no write at all: below every real version. */
    public static final long ZERO = 0;

    private static final int COUNTER_BITS = 16;
    private static final long COUNTER_MASK = (1L << COUNTER_BITS) - 1;
    private static final long MAX_MS = (1L << (Long.SIZE - 1 - COUNTER_BITS)) - 1;

    /** The last clock value: the last millisecond of the range, its last counter ({@link Long#MAX_VALUE}). */
    public static final long MAX = (MAX_MS << COUNTER_BITS) | COUNTER_MASK;

    private HybridClock()
    {
    }

    /** The clock value of {@code wallMs} with counter 0; a wall clock before 1970 counts as 0, past the range as its end. */
    public static long at(final long wallMs)
    {
        return Math.max(0, Math.min(wallMs, MAX_MS)) << COUNTER_BITS;
    }

    /**
     * The clock of a new local write: above {@code last} (every version this host made or received) and at least
     * the wall clock. When the counter of a millisecond runs out, the next value borrows the next millisecond: the
     * clock stays ahead of the wall by at most that, and still never decreases. At {@link #MAX} it stays there:
     * {@code last + 1} would wrap below every clock, and the host's clock would go back and never meet its peers'.
     */
    public static long tick(final long last, final long wallMs)
    {
        return Math.max(last >= MAX ? last : last + 1, at(wallMs));
    }

    /** The host's clock after it receives a version made elsewhere: never below either. */
    public static long observe(final long last, final long received)
    {
        return Math.max(last, received);
    }

    /** The wall-clock milliseconds of a clock value: when the write was made, as its host saw it. */
    public static long wallMs(final long clock)
    {
        return clock >>> COUNTER_BITS;
    }

    /** The counter of a clock value. */
    public static int counter(final long clock)
    {
        return (int)(clock & ((1 << COUNTER_BITS) - 1));
    }

    public static String toString(final long clock)
    {
        return wallMs(clock) + "." + counter(clock);
    }
}
