package dev.modelsel.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

import java.util.regex.Pattern;

/**
 * Numbers on the command line, read with messages in this command's words ({@code --tokens must be a whole number,
 * not "1e5"}) rather than picocli's ({@code '1e5' is not a long}); {@link UsageErrors} puts the option's name in
 * front. Registered for every numeric type an option can have, so that a new option gets them without a thought.
 * <p>
 * Stateless and thread-safe.
 */
final class Numbers
{
    /** Plain decimal notation, as catalogs write numbers: no hex, no {@code NaN}, no {@code Infinity}, no {@code 1d}. */
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern DIGITS = Pattern.compile("[-+]?\\d+");

    private Numbers()
    {
    }

    /** Registers the converters on {@code commandLine} and every subcommand it has now. */
    static void registerConverters(final CommandLine commandLine)
    {
        commandLine.registerConverter(long.class, Numbers::wholeNumber);
        commandLine.registerConverter(Long.class, Numbers::wholeNumber);
        commandLine.registerConverter(int.class, Numbers::smallWholeNumber);
        commandLine.registerConverter(Integer.class, Numbers::smallWholeNumber);
        commandLine.registerConverter(double.class, Numbers::decimal);
        commandLine.registerConverter(Double.class, Numbers::decimal);
    }

    static long wholeNumber(final String text)
    {
        final String value = text.trim();
        if (!DIGITS.matcher(value).matches())
        {
            throw notA("a whole number", text);
        }
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw outOfRange(value.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE, text);
        }
    }

    static int smallWholeNumber(final String text)
    {
        final long value = wholeNumber(text);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)
        {
            throw outOfRange(value < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE, text);
        }
        return (int)value;
    }

    static double decimal(final String text)
    {
        final String value = text.trim();
        if (!DECIMAL.matcher(value).matches())
        {
            throw notA("a number such as 0.85", text);
        }
        final double parsed = Double.parseDouble(value);
        if (Double.isInfinite(parsed))
        {
            throw new TypeConversionException("must be a finite number, not \"" + text + "\"");
        }
        return parsed;
    }

    private static TypeConversionException outOfRange(final long limit, final String text)
    {
        return new TypeConversionException("must be a whole number " + (limit < 0 ? "of at least " : "of at most ") +
            limit + ", not \"" + text + "\"");
    }

    private static TypeConversionException notA(final String what, final String text)
    {
        return new TypeConversionException("must be " + what + ", not \"" + Display.printable(text) + "\"");
    }
}
