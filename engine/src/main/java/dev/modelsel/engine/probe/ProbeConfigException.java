package dev.modelsel.engine.probe;

import java.util.List;

/** A probe configuration that cannot be used: every problem, each with file, key and line. Nothing was probed. */
public final class ProbeConfigException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public ProbeConfigException(final List<String> problems)
    {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems()
    {
        return problems;
    }
}
