package dev.modelsel.engine.replication;

/** The replicator could not start its messaging: Aeron's reason, in one line (a port in use, an unknown interface). */
public final class ReplicationStartException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public ReplicationStartException(final String message)
    {
        super(message, null, false, false);
    }
}
