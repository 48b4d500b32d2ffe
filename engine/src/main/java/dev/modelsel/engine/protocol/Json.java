package dev.modelsel.engine.protocol;

/** Writing JSON by hand, for answers that must cost next to nothing to print. */
public final class Json
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json()
    {
    }

    /** Appends {@code text} as a JSON string, quoted and escaped, or {@code null}. */
    public static StringBuilder appendString(final StringBuilder out, final String text)
    {
        if (text == null)
        {
            return out.append("null");
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        return out.append('"');
    }
}
