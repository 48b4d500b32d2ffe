package dev.modelsel.catalog;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A month's number and bounds come from arithmetic (the selector asks for them on every reservation, and java.time
 * allocates): compared with java.time's calendar over seeded random times from 1970 to the year 9999 and on every
 * month's first and last millisecond.
 */
class BudgetPeriodTest
{
    private static final long LATEST_MS = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    @Test
    void shouldNumberAndBoundMonthsAsJavaTimesCalendarDoes()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++)
        {
            check(random.nextLong(1, LATEST_MS + 1), seed);
        }
        for (ZonedDateTime month = ZonedDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC); month.getYear() <= 9999;
            month = month.plusMonths(1))
        {
            final long start = month.toInstant().toEpochMilli();
            check(Math.max(1, start), seed);
            check(start + 1, seed);
            if (start > 0)
            {
                check(start - 1, seed);
            }
        }
        assertEquals(0, BudgetPeriod.MONTH.index(-5));
        assertEquals(BudgetPeriod.MONTH.index(LATEST_MS), BudgetPeriod.MONTH.index(Long.MAX_VALUE), "year 9999");
    }

    private static void check(final long epochMs, final long seed)
    {
        final ZonedDateTime at = Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC);
        final long index = (at.getYear() - 1970) * 12L + at.getMonthValue() - 1;
        final long start = at.toLocalDate().withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        final long end = at.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant()
            .toEpochMilli();
        final String why = "at " + epochMs + " (" + at + "), seed " + seed;
        assertEquals(index, BudgetPeriod.MONTH.index(epochMs), why);
        assertEquals(start, BudgetPeriod.MONTH.startMs(epochMs), why);
        assertEquals(end, BudgetPeriod.MONTH.endMs(epochMs), why);
        assertEquals(end, BudgetPeriod.MONTH.endOfIndex(index), why);
    }
}
