package dev.modelsel.catalog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** A budget's period (SPEC §7): a UTC calendar hour, day or month, {@code [start, end)}. Thread-safe. */
public enum BudgetPeriod
{
    HOUR(ChronoUnit.HOURS),
    DAY(ChronoUnit.DAYS),
    MONTH(ChronoUnit.MONTHS);

    /** Times after the end of the year 9999 count as it: java.time's range, and no overflow below. */
    private static final long LATEST_MS = 253_402_300_799_999L;

    private final ChronoUnit unit;

    BudgetPeriod(final ChronoUnit unit)
    {
        this.unit = unit;
    }

    /** @return the period's name as a catalog writes it: hour, day or month. */
    public String key()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the period named so, or null. */
    public static BudgetPeriod of(final String key)
    {
        for (final BudgetPeriod period : values())
        {
            if (period.key().equals(key))
            {
                return period;
            }
        }
        return null;
    }

    /**
     * The period that contains {@code epochMs} as a number: hours, days or months since 1970 began (UTC). Periods
     * compare as their numbers; 0 for any time before 1970.
     */
    public long index(final long time)
    {
        if (time <= 0)
        {
            return 0;
        }
        final long epochMs = Math.min(time, LATEST_MS);
        if (this != MONTH)
        {
            return epochMs / unit.getDuration().toMillis();
        }
        final ZonedDateTime at = Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC);
        return (at.getYear() - 1970) * 12L + at.getMonthValue() - 1;
    }

    /** The end (exclusive), in epoch ms, of the period numbered {@code index} (see {@link #index}). */
    public long endOfIndex(final long index)
    {
        if (this != MONTH)
        {
            return (index + 1) * unit.getDuration().toMillis();
        }
        return ZonedDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusMonths(index + 1).toInstant()
            .toEpochMilli();
    }

    /** The start, in epoch ms, of the period that contains {@code time} (see {@link #index} for the range). */
    public long startMs(final long time)
    {
        final long epochMs = Math.max(0, Math.min(time, LATEST_MS));
        if (this != MONTH)
        {
            final long length = unit.getDuration().toMillis();
            return Math.floorDiv(epochMs, length) * length;
        }
        final ZonedDateTime at = Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC);
        return at.toLocalDate().withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** The end (exclusive), in epoch ms, of the period that contains {@code time} (see {@link #index}). */
    public long endMs(final long time)
    {
        final long epochMs = Math.max(0, Math.min(time, LATEST_MS));
        if (this != MONTH)
        {
            return startMs(epochMs) + unit.getDuration().toMillis();
        }
        return Instant.ofEpochMilli(startMs(epochMs)).atZone(ZoneOffset.UTC).plusMonths(1).toInstant().toEpochMilli();
    }
}
