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
 * <b>State.</b> SPEC's bucket is a level {@code S} at a time {@code last}. Two words could not change together
 * atomically, so the level is folded into one: {@code drawn = full + refill × last − S}, with times in ms after the
 * bucket file's base time. Then the level at any {@code t >= last} is {@code min(full, full + refill × t − drawn)},
 * a take is one compare-and-set of {@code drawn}, and a bucket of zeros is full (never taken from). {@code last}
 * is kept beside it, raised after each take, for SPEC's rule that a time before {@code last} sees the level of
 * {@code last} (no refill backwards): a reader that finds it not yet raised computes a lower level, so it may
 * refuse what it could admit, never the reverse.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  drawn (long, units)                          |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  last (long, ms after the base time)          |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * <b>Range.</b> {@code refill × t} must stay inside a long: with {@code C} at most 10^9 and {@code g} at least 1,
 * for 106 days after the base time at worst (a limit sharing no factor with 60,000); for a round limit such as
 * 30,000,000 tokens a minute ({@code g} = 60,000), for 10^7 years. Past that horizon a bucket admits everything:
 * see {@link #pastHorizon}.
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
    /** {@code refill × t} is kept below this: the level and the debt a take may leave stay inside a long. */
    private static final long PRODUCT_LIMIT = 1L << 61;

    /** A bucket's units: see the class comment. */
    public record Scale(long refillPerMs, long full, long unitsPerCount)
    {
        /** @param perMinute the limit, 1 to 10^9. */
        public static Scale of(final long perMinute)
        {
            final long g = gcd(perMinute, 60_000);
            return new Scale(perMinute / g, perMinute * (60_000 / g), 60_000 / g);
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

    /** Whether {@code t} is past the range in which this bucket counts exactly (it then admits everything). */
    public static boolean pastHorizon(final Scale scale, final long t)
    {
        return t > 0 && t >= PRODUCT_LIMIT / scale.refillPerMs;
    }

    /** The level at {@code now} (ms after the base time), in units; looking changes nothing. */
    public static long level(final AtomicBuffer buffer, final int offset, final Scale scale, final long now)
    {
        final long drawn = buffer.getLongVolatile(offset + DRAWN_OFFSET);
        final long t = Math.max(now, buffer.getLongVolatile(offset + LAST_OFFSET));
        return pastHorizon(scale, t) ? scale.full : levelAt(scale, drawn, t);
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
        final long t = Math.max(now, buffer.getLongVolatile(offset + LAST_OFFSET));
        if (pastHorizon(scale, t))
        {
            return now;
        }
        final long level = levelAt(scale, drawn, t);
        if (level >= units)
        {
            return now;
        }
        return t + ceilDiv(units - level, scale.refillPerMs); // refilling only, from the level at max(now, last)
    }

    private static boolean take(final AtomicBuffer buffer, final int offset, final Scale scale, final long now,
        final long units, final boolean admitOnly)
    {
        while (true)
        {
            final long drawn = buffer.getLongVolatile(offset + DRAWN_OFFSET);
            final long last = buffer.getLongVolatile(offset + LAST_OFFSET);
            final long t = Math.max(now, last);
            if (pastHorizon(scale, t))
            {
                return true;
            }
            final long level = levelAt(scale, drawn, t);
            if (admitOnly && level < units)
            {
                return false;
            }
            // S' = level - units at time t: drawn' = full + refill × t - S'
            final long next = scale.full + scale.refillPerMs * t - (level - units);
            if (buffer.compareAndSetLong(offset + DRAWN_OFFSET, drawn, next))
            {
                raiseLast(buffer, offset, t);
                return true;
            }
        }
    }

    private static void raiseLast(final AtomicBuffer buffer, final int offset, final long t)
    {
        long last = buffer.getLongVolatile(offset + LAST_OFFSET);
        while (last < t && !buffer.compareAndSetLong(offset + LAST_OFFSET, last, t))
        {
            last = buffer.getLongVolatile(offset + LAST_OFFSET);
        }
    }

    private static long levelAt(final Scale scale, final long drawn, final long t)
    {
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
