package dev.modelsel.engine.mapped;

/**
 * A shared file that a long-running process followed was deleted or replaced, and the file now at its path cannot be
 * opened (see {@link FileFollower}). The message says what became of the file and why opening failed; it is tried
 * again later.
 */
public final class FileUnavailableException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    public FileUnavailableException(final String message)
    {
        super(message);
    }
}
