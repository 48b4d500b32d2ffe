package dev.modelsel.engine.cost;

/**
 * Adding to or reading the shared counters file faulted in its mapped memory: the file was truncated in place under
 * this process (or its pages could not be allocated). What the record had added before the fault stays added. The
 * message names the file and the way out.
 */
public final class CountersFaultException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    public CountersFaultException(final String message)
    {
        super(message);
    }
}
