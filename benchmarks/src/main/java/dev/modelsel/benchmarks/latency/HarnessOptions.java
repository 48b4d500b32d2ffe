package dev.modelsel.benchmarks.latency;

import dev.modelsel.benchmarks.UsageError;

import java.io.PrintStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} arguments of a harness, each with a default and a line of help, and {@code --name} flags that
 * take no value; {@code --help} prints them.
 * Values are checked where they are read, which each harness does before any work, so that a mistake is one line
 * (a {@link UsageError}) and not a stack trace minutes into a run.
 */
public final class HarnessOptions
{
    /** One option: its name without dashes, its default, what it means, and whether it is a flag (no value). */
    public record Option(String name, String defaultValue, String description, boolean flag)
    {
        public Option(final String name, final String defaultValue, final String description)
        {
            this(name, defaultValue, description, false);
        }

        /** An option given alone, {@code --name}, which is off unless given. */
        static Option flag(final String name, final String description)
        {
            return new Option(name, "false", description, true);
        }
    }

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> given = new HashSet<>();

    private HarnessOptions(final String[] args, final Map<String, Option> options)
    {
        options.values().forEach(option -> values.put(option.name(), option.defaultValue()));
        for (int i = 0; i < args.length; i++)
        {
            final String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!options.containsKey(name))
            {
                throw new UsageError("unknown option \"" + args[i] + "\"; the options are --" +
                    String.join(", --", options.keySet()));
            }
            given.add(name);
            if (options.get(name).flag())
            {
                values.put(name, "true");
                continue;
            }
            if (i + 1 == args.length)
            {
                throw new UsageError(args[i] + " needs a value");
            }
            values.put(name, args[++i]);
        }
    }

    /**
     * @param usage    the harness's command line and what it does, for {@code --help}.
     * @param args     the arguments after the harness's name.
     * @param options  every option it takes.
     * @return the options, or {@code null} when {@code --help} was asked for and printed.
     * @throws UsageError for an unknown option or one without its value.
     */
    public static HarnessOptions parse(final String usage, final String[] args, final List<Option> options, final PrintStream out)
    {
        final Map<String, Option> byName = new LinkedHashMap<>();
        options.forEach(option -> byName.put(option.name(), option));
        if (List.of(args).contains("--help") || List.of(args).contains("-h"))
        {
            out.println(usage);
            out.println("Options:");
            options.forEach(option -> out.printf("  --%-22s %s%s%n", option.name() + (option.flag() ? "" : " VALUE"),
                option.description(), option.flag() ? "" : " (default: " + (option.defaultValue().isEmpty() ? "none" :
                option.defaultValue()) + ")"));
            return null;
        }
        return new HarnessOptions(args, byName);
    }

    public String text(final String name)
    {
        return values.get(name);
    }

    /** Whether a flag was given. */
    boolean flag(final String name)
    {
        return Boolean.parseBoolean(values.get(name));
    }

    /** Whether the command line named the option (else it has its default). */
    boolean given(final String name)
    {
        return given.contains(name);
    }

    /** @throws UsageError unless the value is one of {@code allowed}. */
    String oneOf(final String name, final Collection<String> allowed)
    {
        final String value = values.get(name);
        if (!allowed.contains(value))
        {
            throw new UsageError("--" + name + " must be " + String.join(" or ", allowed) + ", not \"" + value + "\"");
        }
        return value;
    }

    /** A whole number, underscores allowed ({@code 200_000}), at least {@code min}. */
    public long number(final String name, final long min)
    {
        final String value = values.get(name);
        final long number;
        try
        {
            number = Long.parseLong(value.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageError("--" + name + " must be a whole number, not \"" + value + "\"");
        }
        if (number < min)
        {
            throw new UsageError("--" + name + " must be " + min + " or more, not " + value);
        }
        return number;
    }
}
