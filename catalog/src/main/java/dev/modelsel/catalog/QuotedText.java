package dev.modelsel.catalog;

/**
 * Input quoted back in an error message, cut short: a request or a file may hold a value of megabytes, and an
 * error that echoes it whole is as large as the mistake and unreadable. The start of a value is enough to find it.
 * <p>
 * Stateless and thread-safe.
 */
public final class QuotedText
{
    /** The most characters of a value an error message shows. */
    public static final int MAX_CHARS = 64;

    private QuotedText()
    {
    }

    /** @return {@code text} in double quotes, its first {@link #MAX_CHARS} characters and "…" when it is longer. */
    public static String of(final String text)
    {
        return "\"" + excerpt(text) + "\"";
    }

    /** @return {@code text}, or its first {@link #MAX_CHARS} characters and "…" when it is longer. */
    public static String excerpt(final String text)
    {
        if (text.length() <= MAX_CHARS)
        {
            return text;
        }
        // never split a surrogate pair: half a character is not UTF-8 either
        final int end = Character.isHighSurrogate(text.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        return text.substring(0, end) + "…";
    }
}
