package dev.modelsel.engine.availability;

/**
 * An entry of the shared table stayed locked past any real write: the process writing it died. The message
 * names the table and the way out (stop every process using it; the next to open it recovers it).
 */
public final class StuckTableException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    public StuckTableException(final String message)
    {
        super(message);
    }
}
