package dev.modelsel.engine.config;

import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogPaths;
import dev.modelsel.catalog.CatalogProblem;
import dev.modelsel.catalog.SourceNode;
import dev.modelsel.catalog.SourceReader;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the typed fields of a configuration file (a probe or cluster configuration), collecting every problem with
 * file, key and line instead of stopping at the first, so that one run of the command lists them all.
 * <p>
 * Not thread-safe: one per file read.
 */
public final class ConfigFields
{
    private final String source;
    private final List<String> problems = new ArrayList<>();

    public ConfigFields(final String source)
    {
        this.source = source;
    }

    /**
     * Parses YAML or JSON. A syntax error is reported by place only: the parser's own message quotes the line, which
     * may hold a secret typed into the file.
     */
    public static SourceNode parse(final String source, final String text, final boolean jsonOnly)
        throws ConfigException
    {
        try
        {
            return SourceReader.read(source, text, jsonOnly);
        }
        catch (final CatalogException ex)
        {
            throw new ConfigException(ex.errors().stream().map(ConfigFields::withoutQuotedText).toList());
        }
    }

    private static String withoutQuotedText(final CatalogProblem problem)
    {
        if (!problem.message().startsWith("not valid"))
        {
            return problem.toString();
        }
        final String format = problem.message().startsWith("not valid JSON") ? "JSON" : "YAML";
        return new CatalogProblem(problem.source(), problem.path(), problem.line(), problem.column(), "not valid " +
            format + " (the parser's own message is not shown: it quotes the line, which may hold a secret); " +
            "check this line and the one before").toString();
    }

    /** @throws ConfigException when any problem was found. */
    public void throwIfAny() throws ConfigException
    {
        if (!problems.isEmpty())
        {
            throw new ConfigException(problems);
        }
    }

    public boolean hasProblems()
    {
        return !problems.isEmpty();
    }

    public void problem(final String path, final int line, final String message)
    {
        problems.add(new CatalogProblem(source, path, line, message).toString());
    }

    /** A non-empty string, or {@code fallback} when absent (a problem when absent with no fallback). */
    public String text(final SourceNode.Entry entry, final String path, final int parentLine, final String fallback)
    {
        if (entry == null)
        {
            if (fallback == null)
            {
                problem(path, parentLine, "missing");
            }
            return fallback;
        }
        if (!entry.value().is(SourceNode.Kind.STRING) || entry.value().text().isEmpty())
        {
            problem(path, entry.value().line(), "must be a non-empty string, not " + entry.value().describe());
            return null;
        }
        return entry.value().text();
    }

    /** A whole number in {@code [min, max]}, or {@code fallback} when absent or wrong (then a problem). */
    public long whole(final SourceNode.Entry entry, final String path, final long fallback, final long min,
        final long max)
    {
        if (entry == null)
        {
            return fallback;
        }
        final SourceNode value = entry.value();
        if (!value.is(SourceNode.Kind.INTEGER) || value.integerValue().compareTo(BigInteger.valueOf(min)) < 0 ||
            value.integerValue().compareTo(BigInteger.valueOf(max)) > 0)
        {
            problem(path, value.line(), "must be a whole number from " + min + " to " + max + ", not " +
                value.describe());
            return fallback;
        }
        return value.integerValue().longValueExact();
    }

    /** Reports each key of {@code fields} not in {@code known}, with the nearest known one. */
    public void unknownKeys(final String path, final Map<String, SourceNode.Entry> fields, final Set<String> known)
    {
        for (final SourceNode.Entry field : fields.values())
        {
            if (!known.contains(field.key()))
            {
                problem(CatalogPaths.child(path, field.key()), field.keyLine(), "unknown key" +
                    CatalogPaths.didYouMean(field.key(), known) + "; known: " + String.join(", ", known.stream()
                    .sorted().toList()));
            }
        }
    }
}
