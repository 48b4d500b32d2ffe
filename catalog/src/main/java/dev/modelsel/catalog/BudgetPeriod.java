package dev.modelsel.catalog;

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
     * compare as their numbers; 0 for any time before 1970. Arithmetic only, no allocation: the selector asks it on
     * every reservation from a model a budget covers.
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
        return monthOfDay(epochMs / DAY_MS);
    }

    /** The end (exclusive), in epoch ms, of the period numbered {@code index} (see {@link #index}). */
    public long endOfIndex(final long index)
    {
        if (this != MONTH)
        {
            return (index + 1) * unit.getDuration().toMillis();
        }
        return firstDayOfMonth(index + 1) * DAY_MS;
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
        return firstDayOfMonth(index(epochMs)) * DAY_MS;
    }

    /** The end (exclusive), in epoch ms, of the period that contains {@code time} (see {@link #index}). */
    public long endMs(final long time)
    {
        final long epochMs = Math.max(0, Math.min(time, LATEST_MS));
        if (this != MONTH)
        {
            return startMs(epochMs) + unit.getDuration().toMillis();
        }
        return endOfIndex(index(epochMs));
    }

    private static final long DAY_MS = 86_400_000L;

    /**
     * The month (since January 1970) of a day (since 1970-01-01, not negative), by the proleptic Gregorian calendar:
     * H. Hinnant's civil-from-days, whose eras of 400 years (146,097 days) start on 1 March so that the leap day is
     * the last of its year.
     */
    private static long monthOfDay(final long day)
    {
        final long shifted = day + 719_468; // days from 0000-03-01
        final long era = shifted / 146_097;
        final long dayOfEra = shifted - era * 146_097;
        final long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        final long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        final long marchMonth = (5 * dayOfYear + 2) / 153; // 0 is March
        final long month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9; // 1..12
        final long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return (year - 1970) * 12 + month - 1;
    }

    /** The first day (since 1970-01-01) of a month numbered since January 1970: days-from-civil, as above. */
    private static long firstDayOfMonth(final long monthIndex)
    {
        final long month = Math.floorMod(monthIndex, 12) + 1;
        final long year = 1970 + Math.floorDiv(monthIndex, 12) - (month <= 2 ? 1 : 0);
        final long era = Math.floorDiv(year, 400);
        final long yearOfEra = year - era * 400;
        final long dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5;
        final long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }
}
