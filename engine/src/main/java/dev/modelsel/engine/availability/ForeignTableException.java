package dev.modelsel.engine.availability;

import dev.modelsel.engine.mapped.ForeignFileException;

/**
 * A file at the table's path that is not one of our availability tables (junk, truncated, another map, another
 * layout version). It is refused and left exactly as it is; the message says what it is and where.
 */
public final class ForeignTableException extends ForeignFileException
{
    private static final long serialVersionUID = 1L;

    public ForeignTableException(final String message)
    {
        super(message);
    }
}
