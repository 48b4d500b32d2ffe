package dev.modelsel.engine.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as people write them: {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 250ms}, or ISO {@code PT30S}. */
final class Durations
{
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations()
    {
    }

    /** @throws IllegalArgumentException naming the accepted forms. */
    static long parseMs(final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("pt") || value.startsWith("p"))
        {
            try
            {
                return Duration.parse(text.trim()).toMillis();
            }
            catch (final DateTimeParseException | ArithmeticException ex)
            {
                throw invalid(text);
            }
        }
        final Matcher part = PART.matcher(value);
        long totalMs = 0;
        int end = 0;
        while (part.find() && part.start() == end)
        {
            final long amount = Long.parseLong(part.group(1));
            totalMs = Math.addExact(totalMs, Math.multiplyExact(amount, unitMs(part.group(2))));
            end = part.end();
        }
        if (end == 0 || end != value.length())
        {
            throw invalid(text);
        }
        return totalMs;
    }

    private static long unitMs(final String unit)
    {
        switch (unit)
        {
            case "ms":
                return 1;
            case "s":
                return 1_000;
            case "m":
                return 60_000;
            case "h":
                return 3_600_000;
            default:
                return 86_400_000;
        }
    }

    private static IllegalArgumentException invalid(final String text)
    {
        return new IllegalArgumentException("not a duration: \"" + text + "\" (write e.g. 30s, 5m, 1h30m, 250ms or PT30S)");
    }
}
