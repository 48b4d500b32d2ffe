package dev.modelsel.engine.cost;

/** The shared counters file has no record left for a new model or category: nothing of the record was added. */
public final class CountersFullException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    public CountersFullException(final String message)
    {
        super(message);
    }
}
