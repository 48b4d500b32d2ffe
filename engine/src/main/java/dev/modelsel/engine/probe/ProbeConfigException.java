package dev.modelsel.engine.probe;

import dev.modelsel.engine.config.ConfigException;

import java.util.List;

/** A probe configuration that cannot be used: every problem, each with file, key and line. Nothing was probed. */
public final class ProbeConfigException extends ConfigException
{
    private static final long serialVersionUID = 1L;

    public ProbeConfigException(final List<String> problems)
    {
        super(problems);
    }
}
