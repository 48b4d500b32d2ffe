package dev.modelsel.engine.limits;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bucket against SPEC §7's arithmetic written out plainly (units of 1/60,000, BigInteger), seeded. */
class RateBucketTest
{
    private static final long[] LIMITS = {1, 6, 7, 60, 500, 30_000, 59_999, 150_000_000, 999_999_937, 1_000_000_000};

    /** SPEC §7 as written: a level S in units of 1/60,000 at a time last; full when never taken from. */
    private static final class SpecBucket
    {
        final BigInteger capacity;
        final BigInteger full;
        BigInteger level;
        long last = Long.MIN_VALUE;

        SpecBucket(final long perMinute)
        {
            capacity = BigInteger.valueOf(perMinute);
            full = capacity.multiply(BigInteger.valueOf(60_000));
            level = full;
        }

        BigInteger levelAt(final long now)
        {
            if (last == Long.MIN_VALUE || now <= last)
            {
                return level;
            }
            return full.min(level.add(capacity.multiply(BigInteger.valueOf(now - last))));
        }

        boolean admits(final long count, final long now)
        {
            return levelAt(now).compareTo(BigInteger.valueOf(count).multiply(BigInteger.valueOf(60_000))) >= 0;
        }

        void take(final long count, final long now)
        {
            level = levelAt(now).subtract(BigInteger.valueOf(count).multiply(BigInteger.valueOf(60_000)));
            last = last == Long.MIN_VALUE ? now : Math.max(last, now);
        }

        /** Earliest t >= now with no take between at which it admits count; -1 for never. */
        long admitsAt(final long count, final long now)
        {
            final BigInteger need = BigInteger.valueOf(count).multiply(BigInteger.valueOf(60_000));
            if (need.compareTo(full) > 0)
            {
                return -1;
            }
            if (levelAt(now).compareTo(need) >= 0)
            {
                return now;
            }
            final long from = Math.max(now, last);
            final BigInteger missing = need.subtract(levelAt(from));
            final BigInteger[] qr = missing.divideAndRemainder(capacity);
            return from + qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
        }
    }

    @Test
    void shouldAnswerAsSpecsArithmeticWhateverTheOrderOfTimes()
    {
        final long seed = Long.getLong("modelsel.seed", System.nanoTime());
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 2_000; trial++)
        {
            final long perMinute = random.nextBoolean() ? LIMITS[random.nextInt(LIMITS.length)] :
                1 + random.nextLong(1_000_000);
            final RateBucket.Scale scale = RateBucket.Scale.of(perMinute);
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(RateBucket.LENGTH));
            final SpecBucket spec = new SpecBucket(perMinute);
            long now = random.nextBoolean() ? random.nextLong(1_000_000) : 1_700_000_000_000L +
                random.nextLong(100_000_000_000L); // epoch ms: products of large limits wrap
            final List<String> ops = new ArrayList<>();
            for (int op = 0; op < 60; op++)
            {
                now = Math.max(0, now + (random.nextInt(10) == 0 ? -random.nextLong(5_000) :
                    random.nextInt(50) == 0 ? 40L * 86_400_000 : // idle past the bound for the largest limits
                    random.nextLong(random.nextBoolean() ? 100 : 120_000)));
                final long count = random.nextInt(4) == 0 ? 1 : random.nextLong(Math.max(1, perMinute * 2));
                final String where = "seed " + seed + " (-Dmodelsel.seed), trial " + trial + ", limit " + perMinute +
                    ", ops " + ops + ", now " + now + ", count " + count;
                assertEquals(spec.levelAt(now), BigInteger.valueOf(RateBucket.level(buffer, 0, scale, now))
                    .multiply(BigInteger.valueOf(60_000 / scale.unitsPerCount())), where);
                final long expectedAt = spec.admitsAt(count, now);
                assertEquals(expectedAt < 0 ? RateBucket.NEVER : expectedAt,
                    RateBucket.admitsAt(buffer, 0, scale, now, scale.units(count)), where);
                switch (random.nextInt(3))
                {
                    case 0:
                    {
                        final boolean admitted = spec.admits(count, now);
                        if (admitted)
                        {
                            spec.take(count, now);
                        }
                        assertEquals(admitted, RateBucket.tryTake(buffer, 0, scale, now, scale.units(count)), where);
                        ops.add("try " + count + "@" + now);
                        break;
                    }
                    case 1:
                        spec.take(count, now);
                        RateBucket.forceTake(buffer, 0, scale, now, scale.units(count));
                        ops.add("force " + count + "@" + now);
                        break;
                    default:
                        ops.add("look@" + now);
                }
                if (ops.size() > 8)
                {
                    ops.remove(0);
                }
            }
        }
    }

    /** Threads racing on one bucket at one instant admit exactly what it holds: nothing twice, nothing lost. */
    @Test
    void shouldAdmitExactlyTheCapacityToRacingThreads() throws Exception
    {
        final long perMinute = 100_003;
        final RateBucket.Scale scale = RateBucket.Scale.of(perMinute);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(RateBucket.LENGTH));
        final AtomicLong admitted = new AtomicLong();
        final int threads = 4;
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> racers = new ArrayList<>();
        for (int i = 0; i < threads; i++)
        {
            final Thread racer = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                long mine = 0;
                while (RateBucket.tryTake(buffer, 0, scale, 1_000, scale.units(1)))
                {
                    mine++;
                }
                admitted.addAndGet(mine);
            });
            racer.start();
            racers.add(racer);
        }
        start.countDown();
        for (final Thread racer : racers)
        {
            racer.join();
        }
        assertEquals(perMinute, admitted.get(), "a full bucket holds one minute's requests, each admitted once");
        assertEquals(0, RateBucket.level(buffer, 0, scale, 1_000));
        assertEquals(scale.units(7), RateBucket.level(buffer, 0, scale, 1_000 + 60_000 * 7 / perMinute + 1) -
            RateBucket.level(buffer, 0, scale, 1_000) - (scale.refillPerMs() * (60_000 * 7 / perMinute + 1) -
            scale.units(7)), "then it refills at the limit's rate");
    }
}
