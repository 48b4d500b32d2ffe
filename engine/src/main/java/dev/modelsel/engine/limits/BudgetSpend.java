package dev.modelsel.engine.limits;

import org.agrona.concurrent.AtomicBuffer;

/**
 * One budget's spend in its current period (SPEC §7), as one word any number of threads and processes add to with
 * compare-and-set: the period's number ({@code BudgetPeriod#index}) and the micro-dollars spent in it.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------------------+-------------------+
 *  |  period number (22 bits)                  |  spent, micro-    |  0
 *  +-------------------------------------------+                   |
 *  |  dollars (42 bits, saturating)                                |
 *  +---------------------------------------------------------------+
 * </pre>
 * An outcome of a later period starts the word afresh at its cost; one of an earlier period than the word's is no
 * longer counted anywhere (its period has ended, and only the current period's spend steers). 22 bits number hours
 * until the year 2448; 42 bits of micro-dollars hold $4.39 million, above any budget a catalog may give
 * ({@link #MAX_SPENT}), so a saturated word still reads as exhausted.
 * <p>
 * Stateless and thread-safe.
 */
public final class BudgetSpend
{
    public static final int LENGTH = 8;
    static final int SPENT_BITS = 42;
    public static final long MAX_SPENT = (1L << SPENT_BITS) - 1;
    public static final long MAX_PERIOD = (1L << (Long.SIZE - SPENT_BITS)) - 1;

    private BudgetSpend()
    {
    }

    /**
     * Adds {@code micros} to the spend of period {@code period}.
     *
     * @return the period's spend after the addition, or -1 when the word already counts a later period.
     */
    public static long add(final AtomicBuffer buffer, final int offset, final long period, final long micros)
    {
        final long p = Math.min(period, MAX_PERIOD);
        while (true)
        {
            final long word = buffer.getLongVolatile(offset);
            final long wordPeriod = word >>> SPENT_BITS;
            if (wordPeriod > p)
            {
                return -1;
            }
            final long spent = wordPeriod == p ? Math.min(MAX_SPENT, (word & MAX_SPENT) + Math.min(micros, MAX_SPENT)) :
                Math.min(micros, MAX_SPENT);
            if (buffer.compareAndSetLong(offset, word, (p << SPENT_BITS) | spent))
            {
                return spent;
            }
        }
    }

    /** The spend of period {@code period}: 0 when the word counts an earlier one (nothing yet) or a later one. */
    public static long spent(final AtomicBuffer buffer, final int offset, final long period)
    {
        final long word = buffer.getLongVolatile(offset);
        return (word >>> SPENT_BITS) == Math.min(period, MAX_PERIOD) ? word & MAX_SPENT : 0;
    }
}
