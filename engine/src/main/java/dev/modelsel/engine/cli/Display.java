package dev.modelsel.engine.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Locale;

/** How numbers, times and user text read in the command's human output. Stateless and thread-safe. */
final class Display
{
    private static final MathContext DOUBLE_DIGITS = new MathContext(15, RoundingMode.HALF_EVEN);

    private Display()
    {
    }

    /**
     * A catalog number (a price, a capability, a margin) as written: 0.25, 15, 1e-7 as 0.0000001. At most 15
     * significant digits, the most a double keeps of any decimal: so every number written with 15 digits or fewer
     * prints exactly as written, and a 16th or 17th digit, which only binary arithmetic makes (LiteLLM's
     * 0.070 x 3.571e-6 is 0.24997000000000006), is not shown as though someone had priced in it. Java 17's
     * {@code Double.toString} is no help: it prints that value as 0.24997000000000005, and some others with a digit
     * more than they need.
     */
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
        return decimal(new BigDecimal(value));
    }

    /** An amount of dollars computed from catalog prices, as {@link #number} shows the prices themselves. */
    static String money(final BigDecimal usd)
    {
        return decimal(usd);
    }

    private static String decimal(final BigDecimal value)
    {
        return value.signum() == 0 ? "0" :
            value.round(DOUBLE_DIGITS).stripTrailingZeros().toPlainString();
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

    /**
     * User text (a model id, a category, a key, a line of a file) as it may go to a terminal: control characters,
     * line and paragraph separators and bidirectional overrides are shown escaped ({@code \n}, {@code \r},
     * {@code \t}, else {@code \u0000}), never sent raw, where they would end a table's row, move the cursor or
     * reorder what follows. Backslashes are left as they are: ids are copied from this output far more often than a
     * backslash stands before an {@code n}.
     */
    static String printable(final String text)
    {
        int i = 0;
        while (i < text.length() && !escaped(text.charAt(i)))
        {
            i++;
        }
        if (i == text.length())
        {
            return text;
        }
        final StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (!escaped(c))
            {
                sb.append(c);
            }
            else if (c == '\n')
            {
                sb.append("\\n");
            }
            else if (c == '\r')
            {
                sb.append("\\r");
            }
            else if (c == '\t')
            {
                sb.append("\\t");
            }
            else
            {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
            }
        }
        return sb.toString();
    }

    /** The widest {@link #printable} form of {@code texts}, and at least {@code min}: a table column's width. */
    static int printableWidth(final java.util.Collection<String> texts, final int min)
    {
        int width = min;
        for (final String text : texts)
        {
            width = Math.max(width, printable(text).length());
        }
        return width;
    }

    /** Each line of a message made of lines, {@link #printable}: its own line breaks stay, any other is escaped. */
    static String printableLines(final String message)
    {
        final String[] lines = message.split(System.lineSeparator(), -1);
        for (int i = 0; i < lines.length; i++)
        {
            lines[i] = printable(lines[i]);
        }
        return String.join(System.lineSeparator(), lines);
    }

    private static boolean escaped(final char c)
    {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c >= '\u202a' && c <= '\u202e' ||
            c >= '\u2066' && c <= '\u2069';
    }
}
