package dev.modelsel.engine.availability;

import dev.modelsel.engine.mapped.ForeignFileException;

/**
 * A file at the table's path that is not one of our availability tables (junk, truncated, another map, another
 * layout version), or one of ours whose structure is damaged, or that Chronicle cannot open or recover. It is refused;
 * the message says what it is, where, and the way on where there is one ({@code reset} deletes one of ours, of this
 * layout or an older one, damaged or not). A file that is not one of ours is left exactly as it is. One of ours is
 * left as it is too, unless a recovery was due when it was opened: the recovery runs before the whole structure is
 * checked, so a table refused after it, or whose recovery failed part-way, has been changed by it (the message says
 * so).
 */
public final class ForeignTableException extends ForeignFileException
{
    private static final long serialVersionUID = 1L;

    public ForeignTableException(final String message)
    {
        super(message);
    }
}
