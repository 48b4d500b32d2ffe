package dev.modelsel.engine.config;

import java.util.List;

/** A configuration file that cannot be used: every problem, each with file, key and line. Nothing was started. */
public class ConfigException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public ConfigException(final List<String> problems)
    {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems()
    {
        return problems;
    }
}
