package dev.modelsel.engine.cli;

import dev.modelsel.catalog.Complexity;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The fast path of a {@code select} command line: a plain one, as scripts write it
 * ({@code select --complexity high --tokens 145000 [--catalog F] [--availability [PATH]] [--json] [--explain]
 * [--now-ms T]}, each option once, values as {@code --name value} or {@code --name=value}), is read here without
 * picocli, whose own start-up costs a cold JVM more than all of the rest of a {@code select}. Anything else (help,
 * a mistake, a value that starts with {@code -} or {@code @}, a repeated option) is left to picocli, which reads
 * it or words the error; so this reader only has to be right about what it accepts, and a test holds it to
 * picocli's reading of the same arguments.
 * <p>
 * Stateless and thread-safe.
 */
final class PlainSelect
{
    private static final Set<String> VALUED = Set.of("--complexity", "--tokens", "--catalog", "--now-ms");
    private static final Set<String> FLAGS = Set.of("--json", "--explain");
    private static final String AVAILABILITY = "--availability";

    private PlainSelect()
    {
    }

    /**
     * @param args the whole command line, {@code select} first.
     * @return the command with its options set and valid, or {@code null} when picocli should read the arguments.
     */
    static SelectCommand parse(final String... args)
    {
        if (args.length < 3 || !args[0].equals("select"))
        {
            return null;
        }
        final SelectCommand command = new SelectCommand();
        command.catalog = new CatalogSource();
        command.availability = new TableSource();
        final Set<String> seen = new HashSet<>();
        for (int i = 1; i < args.length; i++)
        {
            final String arg = args[i];
            final int equals = arg.indexOf('=');
            final String name = equals > 0 ? arg.substring(0, equals) : arg;
            if (!seen.add(name))
            {
                return null;
            }
            final String value;
            if (FLAGS.contains(name) && equals < 0)
            {
                value = null;
            }
            else if (VALUED.contains(name) || name.equals(AVAILABILITY))
            {
                final boolean inline = equals > 0;
                final boolean next = !inline && i + 1 < args.length && !isOption(args[i + 1]);
                if (!inline && !next && !name.equals(AVAILABILITY))
                {
                    return null;
                }
                value = inline ? arg.substring(equals + 1) : next ? args[++i] : "";
                if ((inline || next) && !isPlainValue(value))
                {
                    return null;
                }
            }
            else
            {
                return null;
            }
            if (!set(command, name, value))
            {
                return null;
            }
        }
        return seen.contains("--complexity") && seen.contains("--tokens") ? command : null;
    }

    /** @return whether the value was one this reader is sure of. */
    private static boolean set(final SelectCommand command, final String name, final String value)
    {
        switch (name)
        {
            case "--json":
                command.json = true;
                return true;
            case "--explain":
                command.explain = true;
                return true;
            case "--complexity":
                command.complexity = Complexity.fromWireName(value);
                return command.complexity != null;
            case "--tokens":
                command.tokens = digits(value);
                return command.tokens >= 0;
            case "--now-ms":
                command.nowMs = digits(value);
                return command.nowMs >= 0;
            case "--catalog":
                try
                {
                    command.catalog.file = Path.of(value);
                    return true;
                }
                catch (final InvalidPathException ex)
                {
                    return false;
                }
            default:
                command.availability.path = value;
                return true;
        }
    }

    /** Up to 18 digits, so never out of a long's range; -1 for anything else. */
    private static long digits(final String value)
    {
        if (value.length() > 18)
        {
            return -1;
        }
        long number = 0;
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }

    /** Picocli would not take this argument as an option's value: a (possible) option. */
    private static boolean isOption(final String arg)
    {
        return arg.startsWith("-");
    }

    /** Not empty, and nothing picocli reads in its own way: an option-like value, an {@code @file}, a quoted value. */
    private static boolean isPlainValue(final String value)
    {
        return !value.isEmpty() && !value.startsWith("-") && !value.startsWith("@") && !value.startsWith("\"") &&
            !value.startsWith("'");
    }
}
