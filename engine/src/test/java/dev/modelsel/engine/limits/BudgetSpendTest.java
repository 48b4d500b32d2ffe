package dev.modelsel.engine.limits;

import dev.modelsel.catalog.BudgetPeriod;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BudgetSpendTest
{
    /**
     * Against a map of period to spend: exact for the last eight periods; a period whose word a later one took is no
     * longer counted.
     */
    @Test
    void shouldCountTheLatestPeriodsSpendOnly()
    {
        final long seed = Long.getLong("modelsel.seed", System.nanoTime());
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 500; trial++)
        {
            final UnsafeBuffer word = new UnsafeBuffer(ByteBuffer.allocateDirect(BudgetSpend.LENGTH));
            final Map<Long, Long> spentByPeriod = new HashMap<>();
            long latest = -1;
            final long[] slotPeriods = new long[BudgetSpend.PERIODS];
            for (int op = 0; op < 60; op++)
            {
                final long period = 400_000 + random.nextInt(random.nextBoolean() ? 5 : 20);
                final long micros = random.nextInt(8) == 0 ? BudgetSpend.MAX_SPENT / 3 : random.nextLong(1_000_000);
                final long after = BudgetSpend.add(word, 0, period, micros);
                final String where = "seed " + seed + " (-Dmodelsel.seed), trial " + trial + ", op " + op;
                final int slot = (int)(period % BudgetSpend.PERIODS);
                if (slotPeriods[slot] > period)
                {
                    assertEquals(-1, after, where + ": its word counts a later period: it is no longer counted");
                    continue;
                }
                slotPeriods[slot] = period;
                latest = Math.max(latest, period);
                final long expected = Math.min(BudgetSpend.MAX_SPENT, spentByPeriod.merge(period, micros, Long::sum));
                assertEquals(expected, after, where);
                for (long p = latest - BudgetSpend.PERIODS + 1; p <= latest; p++)
                {
                    assertEquals(Math.min(BudgetSpend.MAX_SPENT, spentByPeriod.getOrDefault(p, 0L)),
                        BudgetSpend.spent(word, 0, p), where + ", period " + p);
                }
                assertEquals(0, BudgetSpend.spent(word, 0, latest + 1), where + ": nothing yet in the next period");
            }
        }
    }

    @Test
    void shouldNumberUtcPeriodsAndEndThem()
    {
        final long at = Instant.parse("2026-11-30T21:46:16.123Z").toEpochMilli();
        assertEquals(at / 3_600_000, BudgetPeriod.HOUR.index(at));
        assertEquals(Instant.parse("2026-11-30T22:00:00Z").toEpochMilli(),
            BudgetPeriod.HOUR.endOfIndex(BudgetPeriod.HOUR.index(at)));
        assertEquals(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli(),
            BudgetPeriod.DAY.endOfIndex(BudgetPeriod.DAY.index(at)));
        assertEquals((2026 - 1970) * 12 + 10, BudgetPeriod.MONTH.index(at));
        assertEquals(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli(),
            BudgetPeriod.MONTH.endOfIndex(BudgetPeriod.MONTH.index(at)));
        assertEquals(Instant.parse("2027-01-01T00:00:00Z").toEpochMilli(),
            BudgetPeriod.MONTH.endOfIndex(BudgetPeriod.MONTH.index(Instant.parse("2026-12-31T23:59:59.999Z")
            .toEpochMilli())));
        for (final BudgetPeriod period : BudgetPeriod.values())
        {
            assertEquals(period.endMs(at), period.endOfIndex(period.index(at)), period.key());
            assertEquals(period.index(at) + 1, period.index(period.endMs(at)), period.key() + ": the end begins the next");
            assertEquals(period.index(at), period.index(period.endMs(at) - 1), period.key());
        }
        assertEquals(0, BudgetPeriod.DAY.index(-5));
    }
}
