package dev.modelsel.engine.limits;

import org.agrona.concurrent.AtomicBuffer;

/**
 * SPEC §7's continuously refilling bucket, in exact integers, as two words any number of threads and processes
 * update with compare-and-set: no lock, so a process killed mid-update leaves the bucket as before or after.
 * <p>
 * <b>Units.</b> SPEC counts a bucket of capacity {@code C} a minute in units of 1/60,000, so that it refills by
 * exactly {@code C} units a millisecond. Here the unit is {@code g}/60,000 with {@code g = gcd(C, 60000)}, which
 * changes no answer (every quantity SPEC compares is a multiple of it) and keeps the numbers small: refill
 * {@code C/g} a millisecond, full {@code C × 60000/g}, one request or token {@code 60000/g}. ({@link Scale})
 * <p>
 * <b>State.</b> SPEC's bucket is a level {@code S} at a time {@code last} (epoch ms). Two words could not change
 * together atomically, so the level is folded into one: {@code drawn = full + refill × last − S}. Then the level at
 * any {@code t >= last} is {@code min(full, full + refill × t − drawn)}, a take is one compare-and-set of
 * {@code drawn}, and a bucket of zeros is full (never taken from). {@code refill × t} does not fit a long for a
 * large limit, so {@code drawn} is kept modulo 2^64: the difference is still exact while the true level,
 * {@code S + refill × (t − last)}, is within ±2^62 units, which holds unless the bucket was left untouched for
 * {@code 2^61 / refill} ms or more (26 days for a limit of 10^9 sharing no factor with 60,000; millennia for round
 * limits), and then it is full whatever it owed. {@code last} is kept beside it, raised after each take, for that
 * test and for SPEC's rule that a time before {@code last} sees the level of {@code last} (no refill backwards):
 * a reader that finds it not yet raised computes a lower level, so it may refuse what it could admit, never the
 * reverse (except in the one take that follows an idle spell past that bound, raced by another: it may find the
 * bucket full).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  drawn (long, units)                          |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  last (long, epoch ms of the latest take)     |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Times before 1970 count as 1970 ({@code last} starts at 0 and a time is never taken below it).
 * <p>
 * Stateless and thread-safe.
 */
public final class RateBucket
{
    public static final int DRAWN_OFFSET = 0;
    public static final int LAST_OFFSET = 8;
    public static final int LENGTH = 16;
    /** Never: a request larger than the bucket holds when full (SPEC's fit rule keeps it from being asked). */
    public static final long NEVER = Long.MAX_VALUE;
    /** The most requests or tokens one take counts: SPEC's token counts stop at 10^12, so units stay below 2^56. */
    public static final long MAX_COUNT = 1_000_000_000_000L;
    /** The lowest level a take leaves: see the class comment's range. */
    private static final long MIN_LEVEL = -(1L << 62);
    /** A bucket untouched while it refills this many units or more is full, whatever it owed (see the class comment). */
    private static final long IDLE_REFILL = 1L << 61;

    /**
     * A bucket's units (see the class comment), and {@code idleMs}, how long untouched it is full whatever it owed
     * (kept here: a division on every look would cost more than the rest of the look).
     */
    public record Scale(long refillPerMs, long full, long unitsPerCount, long idleMs)
    {
        /** @param perMinute the limit, 1 to 10^9. */
        public static Scale of(final long perMinute)
        {
            final long g = gcd(perMinute, 60_000);
            return new Scale(perMinute / g, perMinute * (60_000 / g), 60_000 / g, IDLE_REFILL / (perMinute / g));
        }

        /** The units of {@code count} requests or tokens (count at most 10^12, so that it cannot overflow). */
        public long units(final long count)
        {
            return count * unitsPerCount;
        }
    }

    private RateBucket()
    {
    }

    /** The level at {@code now} (epoch ms), in units; looking changes nothing. */
    public static long level(final AtomicBuffer buffer, final int offset, final Scale scale, final long now)
    {
        final long drawn = buffer.getLongVolatile(offset + DRAWN_OFFSET);
        final long last = buffer.getLongVolatile(offset + LAST_OFFSET);
        return levelAt(scale, drawn, last, Math.max(now, last));
    }

    /**
     * Takes {@code units} at {@code now} if the level there is at least that: SPEC's admission and reservation in
     * one step. @return whether taken.
     */
    public static boolean tryTake(final AtomicBuffer buffer, final int offset, final Scale scale, final long now,
        final long units)
    {
        return take(buffer, offset, scale, now, units, true);
    }

    /** Takes {@code units} at {@code now} whatever the level: it may go below zero (a recorded outcome's tokens). */
    public static void forceTake(final AtomicBuffer buffer, final int offset, final Scale scale, final long now,
        final long units)
    {
        take(buffer, offset, scale, now, units, false);
    }

    /**
     * The earliest time, from {@code now}, at which the bucket would hold {@code units} with no other take: now if
     * it does, {@link #NEVER} if it never can (more than full).
     */
    public static long admitsAt(final AtomicBuffer buffer, final int offset, final Scale scale, final long now,
        final long units)
    {
        if (units > scale.full)
        {
            return NEVER;
        }
        final long drawn = buffer.getLongVolatile(offset + DRAWN_OFFSET);
        final long last = buffer.getLongVolatile(offset + LAST_OFFSET);
        final long t = Math.max(now, last);
        final long level = levelAt(scale, drawn, last, t);
        if (level >= units)
        {
            return now;
        }
        final long wait = ceilDiv(units - level, scale.refillPerMs); // refilling only, from the level at max(now, last)
        return t > NEVER - wait ? NEVER : t + wait;
    }

    private static boolean take(final AtomicBuffer buffer, final int offset, final Scale scale, final long now,
        final long units, final boolean admitOnly)
    {
        while (true)
        {
            final long drawn = buffer.getLongVolatile(offset + DRAWN_OFFSET);
            final long last = buffer.getLongVolatile(offset + LAST_OFFSET);
            final long t = Math.max(now, last);
            final long level = levelAt(scale, drawn, last, t);
            if (admitOnly && level < units)
            {
                return false;
            }
            // S' = level - units at time t: drawn' = full + refill × t - S'; a debt is kept above -2^62, where the
            // modular arithmetic stays exact (only absurd recorded outcomes could reach it)
            final long next = scale.full + scale.refillPerMs * t - Math.max(level - units, MIN_LEVEL);
            if (buffer.compareAndSetLong(offset + DRAWN_OFFSET, drawn, next))
            {
                raiseLast(buffer, offset, t);
                return true;
            }
        }
    }

    /**
     * A plain ordered store, not a compare-and-set: two takers racing may leave the earlier of their times, which
     * only makes later readers compute a lower level (they count refill from a later point than they could), never
     * a higher one, and saves the reservation a second atomic instruction per bucket.
     */
    private static void raiseLast(final AtomicBuffer buffer, final int offset, final long t)
    {
        if (buffer.getLong(offset + LAST_OFFSET) < t)
        {
            buffer.putLongRelease(offset + LAST_OFFSET, t);
        }
    }

    /** The level at {@code t >= last}; the products wrap, and their difference is exact (see the class comment). */
    private static long levelAt(final Scale scale, final long drawn, final long last, final long t)
    {
        if (t - last >= scale.idleMs)
        {
            return scale.full;
        }
        return Math.min(scale.full, scale.full + scale.refillPerMs * t - drawn);
    }

    private static long ceilDiv(final long a, final long b)
    {
        return -Math.floorDiv(-a, b);
    }

    private static long gcd(final long a, final long b)
    {
        return b == 0 ? a : gcd(b, a % b);
    }
}
