package dev.modelsel.engine.availability;

import dev.modelsel.engine.mapped.ForeignFileException;

/**
 * A file at the table's path that is not one of our availability tables (junk, truncated, another map, another
 * layout version), or one of ours whose structure is damaged, or that Chronicle cannot open or recover. It is refused
 * and left exactly as it is; the message says what it is, where, and the way on where there is one ({@code reset}
 * deletes one of ours, of this layout or an older one, damaged or not).
 */
public final class ForeignTableException extends ForeignFileException
{
    private static final long serialVersionUID = 1L;

    public ForeignTableException(final String message)
    {
        super(message);
    }
}
