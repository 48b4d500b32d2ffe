package dev.modelsel.benchmarks;

/**
 * A mistake on a harness's command line, told by {@link BenchmarksMain} as one line with a pointer to the harness's
 * {@code --help}, exit code 2, never a stack trace.
 */
public final class UsageError extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public UsageError(final String message)
    {
        super(message, null, false, false);
    }
}
