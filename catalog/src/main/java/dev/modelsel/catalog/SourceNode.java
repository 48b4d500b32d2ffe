package dev.modelsel.catalog;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value read from a YAML or JSON input (a catalog, a capabilities file, a probe configuration) together with the
 * line it starts on, so that every problem found in it can name its line. Jackson's own tree forgets locations, hence this small one.
 * <p>
 * Immutable once {@link SourceReader} has built it.
 */
public final class SourceNode
{
    public enum Kind
    {
        MAPPING("a mapping"),
        LIST("a list"),
        STRING("a string"),
        INTEGER("an integer"),
        DECIMAL("a decimal number"),
        BOOLEAN("a boolean"),
        NULL("nothing (null)");

        final String description;

        Kind(final String description)
        {
            this.description = description;
        }
    }

    /** A mapping entry: the key's own line is where an unknown or misspelt key is reported. */
    public record Entry(String key, int keyLine, SourceNode value)
    {
    }

    private final Kind kind;
    private final int line;
    private final Object value;
    /** A scalar as the file writes it ({@code no}, {@code 0x10}, {@code .inf}), for messages; else {@code null}. */
    private final String asWritten;

    private SourceNode(final Kind kind, final int line, final Object value, final String asWritten)
    {
        this.kind = kind;
        this.line = line;
        this.value = value;
        this.asWritten = asWritten;
    }

    static SourceNode mapping(final int line, final LinkedHashMap<String, Entry> entries)
    {
        return new SourceNode(Kind.MAPPING, line, Collections.unmodifiableMap(entries), null);
    }

    static SourceNode list(final int line, final List<SourceNode> items)
    {
        return new SourceNode(Kind.LIST, line, List.copyOf(items), null);
    }

    static SourceNode string(final int line, final String text)
    {
        return new SourceNode(Kind.STRING, line, text, null);
    }

    static SourceNode integer(final int line, final BigInteger number, final String asWritten)
    {
        return new SourceNode(Kind.INTEGER, line, number, asWritten);
    }

    static SourceNode decimal(final int line, final double number, final String asWritten)
    {
        return new SourceNode(Kind.DECIMAL, line, number, asWritten);
    }

    static SourceNode bool(final int line, final boolean flag, final String asWritten)
    {
        return new SourceNode(Kind.BOOLEAN, line, flag, asWritten);
    }

    static SourceNode nothing(final int line)
    {
        return new SourceNode(Kind.NULL, line, null, null);
    }

    public Kind kind()
    {
        return kind;
    }

    public int line()
    {
        return line;
    }

    public boolean is(final Kind expected)
    {
        return kind == expected;
    }

    public boolean isNumber()
    {
        return kind == Kind.INTEGER || kind == Kind.DECIMAL;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Entry> entries()
    {
        return (Map<String, Entry>)value;
    }

    @SuppressWarnings("unchecked")
    public List<SourceNode> items()
    {
        return (List<SourceNode>)value;
    }

    public String text()
    {
        return (String)value;
    }

    public BigInteger integerValue()
    {
        return (BigInteger)value;
    }

    /** The value as a double; integers convert the way a JSON reader would. */
    public double doubleValue()
    {
        return kind == Kind.INTEGER ? ((BigInteger)value).doubleValue() : (Double)value;
    }

    /** How the value reads in a message: a scalar as written, or what kind of thing it is. */
    public String describe()
    {
        switch (kind)
        {
            case STRING:
                return "\"" + value + "\"";
            case INTEGER:
            case DECIMAL:
            case BOOLEAN:
                return asWritten;
            default:
                return kind.description;
        }
    }
}
