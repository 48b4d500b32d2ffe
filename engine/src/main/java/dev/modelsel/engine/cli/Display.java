package dev.modelsel.engine.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;

/** How numbers and times read in the command's human output. */
final class Display
{
    private Display()
    {
    }

    /** A catalog number as written: 0.25, 15, 1e-7 as 0.0000001. */
    static String number(final double value)
    {
        if (Double.isNaN(value))
        {
            return "-";
        }
        if (Double.isInfinite(value))
        {
            return value > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    /** A score to four significant digits; a free model's is "inf". */
    static String score(final double value)
    {
        if (Double.isInfinite(value) || Double.isNaN(value))
        {
            return number(value);
        }
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Epoch ms with its UTC time: {@code 1700000000000 (2023-11-14T22:13:20Z)}. */
    static String time(final long epochMs)
    {
        try
        {
            return epochMs + " (" + Instant.ofEpochMilli(epochMs) + ")";
        }
        catch (final ArithmeticException | java.time.DateTimeException ex)
        {
            return String.valueOf(epochMs);
        }
    }

    /** "in 12.5 s" / "3 s ago" between a deadline and now. */
    static String relative(final long deadlineMs, final long nowMs)
    {
        final long delta = deadlineMs - nowMs;
        final String seconds = number(Math.abs(delta) / 1000.0) + " s";
        return delta >= 0 ? "in " + seconds : seconds + " ago";
    }
}
