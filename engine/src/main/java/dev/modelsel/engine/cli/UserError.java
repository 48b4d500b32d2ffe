package dev.modelsel.engine.cli;

/**
 * A user's mistake or an unusable input, reported as its message on stderr (no stack trace) with an exit code:
 * {@link #FAILED} for a failed validation or no model, {@link #USAGE} for a malformed command line.
 */
final class UserError extends RuntimeException
{
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    UserError(final int exitCode, final String message)
    {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode()
    {
        return exitCode;
    }
}
