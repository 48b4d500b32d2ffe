package dev.modelsel.engine.limits;

import org.agrona.concurrent.AtomicBuffer;

/**
 * One budget's spend in its recent periods (SPEC §7): {@link #PERIODS} words, the period numbered {@code p}
 * ({@code BudgetPeriod#index}) in word {@code p mod PERIODS}, each word its period's number and the micro-dollars
 * spent in it, added to with compare-and-set by any number of threads and processes.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------------------+-------------------+
 *  |  period number (22 bits)                  |  spent, micro-    |  word p mod 8, at 8 × (p mod 8)
 *  +-------------------------------------------+                   |
 *  |  dollars (42 bits, saturating)                                |
 *  +---------------------------------------------------------------+
 * </pre>
 * An outcome of a later period than its word's starts the word afresh at its cost. SPEC counts every period for
 * ever; this keeps the last eight a word at a time: a time more than seven periods before the latest outcome's (a
 * clock far behind, or a script that goes back in time) finds its word taken by a later period, reads as nothing
 * spent, and an outcome that old is not counted. 22 bits number hours until the year 2448; 42 bits of
 * micro-dollars hold $4.39 million, above any budget a catalog may give ({@link #MAX_SPENT}), so a saturated word
 * still reads as exhausted.
 * <p>
 * Stateless and thread-safe.
 */
public final class BudgetSpend
{
    /** Periods kept: a power of two. */
    public static final int PERIODS = 8;
    public static final int LENGTH = PERIODS * 8;
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
        final int at = wordOffset(offset, p);
        while (true)
        {
            final long word = buffer.getLongVolatile(at);
            final long wordPeriod = word >>> SPENT_BITS;
            if (wordPeriod > p)
            {
                return -1;
            }
            final long spent = wordPeriod == p ? Math.min(MAX_SPENT, (word & MAX_SPENT) + Math.min(micros, MAX_SPENT)) :
                Math.min(micros, MAX_SPENT);
            if (buffer.compareAndSetLong(at, word, (p << SPENT_BITS) | spent))
            {
                return spent;
            }
        }
    }

    /** The spend of period {@code period}: 0 when its word counts an earlier one (nothing yet) or a later one. */
    public static long spent(final AtomicBuffer buffer, final int offset, final long period)
    {
        final long p = Math.min(period, MAX_PERIOD);
        final long word = buffer.getLongVolatile(wordOffset(offset, p));
        return (word >>> SPENT_BITS) == p ? word & MAX_SPENT : 0;
    }

    private static int wordOffset(final int offset, final long period)
    {
        return offset + 8 * (int)(period & (PERIODS - 1));
    }
}
