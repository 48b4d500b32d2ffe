package dev.modelsel.catalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A capabilities file for importers: one YAML or JSON mapping of model id to capability score, such as
 * {@code {"openai/gpt-4o": 0.9, "anthropic/claude-3-haiku": 0.6}}. Scores follow the catalog's own rule
 * (a number, finite and above 0). Every bad entry is reported with file, key and line, and nothing is returned.
 * <p>
 * Stateless and thread-safe.
 */
public final class CapabilityFile
{
    private CapabilityFile()
    {
    }

    /**
     * @param file the capabilities file; {@code .json} is read as strict JSON, anything else as YAML.
     * @return id to capability, in file order; unmodifiable.
     * @throws CatalogException naming every bad entry, or why the file cannot be read.
     */
    public static Map<String, Double> load(final Path file) throws CatalogException
    {
        final String source = file.toString();
        return parse(source, SourceFiles.readText(file, CatalogLoader.MAX_CATALOG_BYTES, "a capabilities file"),
            CatalogLoader.isJsonFile(source));
    }

    /**
     * @param source   the name messages give the text.
     * @param text     the file's text.
     * @param jsonOnly read as strict JSON rather than YAML.
     * @return id to capability, in file order; unmodifiable.
     * @throws CatalogException naming every bad entry.
     */
    public static Map<String, Double> parse(final String source, final String text, final boolean jsonOnly)
        throws CatalogException
    {
        final SourceNode root = SourceReader.read(source, text, jsonOnly);
        if (!root.is(SourceNode.Kind.MAPPING))
        {
            throw new CatalogException(List.of(new CatalogProblem(source, "", root.line(),
                "must be a mapping of model id to capability (\"gpt-4o: 0.9\"), not " + root.kind().description)),
                List.of());
        }
        final Map<String, Double> capabilities = new LinkedHashMap<>();
        final List<CatalogProblem> errors = new ArrayList<>();
        for (final SourceNode.Entry entry : root.entries().values())
        {
            final SourceNode value = entry.value();
            final double capability = value.isNumber() ? value.doubleValue() : Double.NaN;
            if (entry.key().isEmpty())
            {
                errors.add(new CatalogProblem(source, "\"\"", entry.keyLine(), "a model id must not be empty"));
            }
            else if (!(capability > 0 && capability < Double.POSITIVE_INFINITY))
            {
                errors.add(new CatalogProblem(source, CatalogPaths.child("", entry.key()), value.line(),
                    "capability must be a finite number above 0, not " + value.describe()));
            }
            else
            {
                capabilities.put(entry.key(), capability);
            }
        }
        if (!errors.isEmpty())
        {
            throw new CatalogException(errors, List.of());
        }
        return Collections.unmodifiableMap(capabilities);
    }
}
