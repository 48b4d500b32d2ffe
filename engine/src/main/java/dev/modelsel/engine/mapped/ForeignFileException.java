package dev.modelsel.engine.mapped;

import java.io.IOException;

/**
 * A file at a path modelsel shares between processes that is not what modelsel made there (junk, truncated,
 * another kind, another layout version). It is refused and left exactly as it is; the message says what it is.
 */
public class ForeignFileException extends IOException
{
    private static final long serialVersionUID = 1L;

    public ForeignFileException(final String message)
    {
        super(message);
    }
}
