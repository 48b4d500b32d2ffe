package dev.modelsel.engine.availability;

/**
 * The shared table cannot serve a read or write: an entry stayed locked past any real write (the process writing
 * it died, or the lock's bytes are damaged), the table is full, or Chronicle failed on bytes that modelsel never
 * wrote (the map is damaged). The message names the table and the way out, in one line.
 */
public final class SharedTableException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    public SharedTableException(final String message)
    {
        super(message);
    }
}
