package dev.modelsel.engine.jvm;

/** This JVM lacks flags the shared availability table needs; the message names each one. */
public final class MissingJvmFlagsException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    public MissingJvmFlagsException(final String message)
    {
        super(message);
    }
}
