package dev.modelsel.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Reads catalog text, YAML or JSON, into a {@link SourceNode} tree that remembers lines. Keys given twice
 * in one mapping are refused (YAML parsers silently keep the last one, which hides typos). A YAML alias
 * ({@code *defaults}) stands for the mapping or list its anchor ({@code &defaults}) names; an empty plain
 * value ({@code gpt-4:} alone) is null, as YAML says. Catalogs, capabilities files and the prober's configuration
 * are all read this way, so that every error they report can name its line.
 * <p>
 * Stateless between calls and thread-safe.
 */
public final class SourceReader
{
    /** Large imported catalogs run to megabytes; SnakeYAML's default cap is 3 MB. */
    private static final int MAX_YAML_CODE_POINTS = CatalogLoader.MAX_CATALOG_BYTES;

    private static final JsonFactory JSON = JsonFactory.builder()
        .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .build();
    private static final YAMLFactory YAML = YAMLFactory.builder()
        .loaderOptions(yamlLoaderOptions())
        .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
        .build();

    private final String source;
    private final Map<String, SourceNode> anchors = new HashMap<>();

    private SourceReader(final String source)
    {
        this.source = source;
    }

    /**
     * @param source   the name used in messages, normally the file name.
     * @param text     the whole catalog text.
     * @param jsonOnly read with the strict JSON parser (for {@code .json} files); otherwise YAML, which also reads JSON.
     * @return the tree of the first document.
     * @throws CatalogException when the text does not parse, with the line the parser stopped at.
     */
    public static SourceNode read(final String source, final String text, final boolean jsonOnly) throws CatalogException
    {
        return new SourceReader(source).parse(text, jsonOnly);
    }

    private SourceNode parse(final String text, final boolean jsonOnly) throws CatalogException
    {
        // A byte-order mark is no content; JSON's parser would refuse it as an unexpected character.
        final String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
        try (JsonParser parser = (jsonOnly ? JSON : YAML).createParser(content))
        {
            final JsonToken first = parser.nextToken();
            if (first == null)
            {
                throw single(0, "the file is empty");
            }
            final SourceNode root = readValue(parser, "");
            if (parser.nextToken() != null)
            {
                throw single(parser.currentTokenLocation().getLineNr(),
                    "more than one document or value; a catalog file holds exactly one mapping");
            }
            return root;
        }
        catch (final JsonProcessingException ex)
        {
            throw new CatalogException(List.of(SyntaxErrors.describe(source, ex, jsonOnly)), List.of());
        }
        catch (final IOException ex)
        {
            throw single(0, "cannot read: " + ex.getMessage());
        }
    }

    private SourceNode readValue(final JsonParser parser, final String path) throws IOException, CatalogException
    {
        final int line = parser.currentTokenLocation().getLineNr();
        final JsonToken token = parser.currentToken();
        if (parser instanceof YAMLParser && ((YAMLParser)parser).isCurrentAlias())
        {
            final SourceNode anchored = anchors.get(parser.getText());
            if (anchored == null)
            {
                throw single(line, "the alias *" + parser.getText() + " at " + path + " names no anchored mapping " +
                    "or list before it (anchors on single values are not supported: write the value out)");
            }
            return anchored;
        }
        switch (token)
        {
            case START_OBJECT:
                return anchored(parser.getObjectId(), readMapping(parser, path, line));
            case START_ARRAY:
                final Object anchor = parser.getObjectId();
                final List<SourceNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY)
                {
                    items.add(readValue(parser, path + "[" + items.size() + "]"));
                }
                return anchored(anchor, SourceNode.list(line, items));
            case VALUE_STRING:
                return SourceNode.string(line, parser.getText());
            case VALUE_NUMBER_INT:
                return SourceNode.integer(line, parser.getBigIntegerValue(), parser.getText());
            case VALUE_NUMBER_FLOAT:
                return SourceNode.decimal(line, decimal(parser), parser.getText());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return SourceNode.bool(line, token == JsonToken.VALUE_TRUE, parser.getText());
            case VALUE_NULL:
                return SourceNode.nothing(line);
            default:
                throw single(line, "unexpected " + token + " at " + (path.isEmpty() ? "the top" : path));
        }
    }

    private SourceNode anchored(final Object anchor, final SourceNode node)
    {
        if (anchor != null)
        {
            anchors.put(anchor.toString(), node);
        }
        return node;
    }

    private SourceNode readMapping(final JsonParser parser, final String path, final int line)
        throws IOException, CatalogException
    {
        final LinkedHashMap<String, SourceNode.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME)
        {
            final String key = parser.currentName();
            final int keyLine = parser.currentTokenLocation().getLineNr();
            final String keyPath = CatalogPaths.child(path, key);
            final SourceNode.Entry earlier = entries.get(key);
            if (earlier != null)
            {
                throw new CatalogException(List.of(new CatalogProblem(source, keyPath, keyLine,
                    "key given twice (first on line " + earlier.keyLine() + "); keep one")), List.of());
            }
            parser.nextToken();
            entries.put(key, new SourceNode.Entry(key, keyLine, readValue(parser, keyPath)));
        }
        return SourceNode.mapping(line, entries);
    }

    /** YAML spells infinity and NaN {@code .inf} and {@code .nan}; keep them so the validator can refuse them by name. */
    private static double decimal(final JsonParser parser) throws IOException
    {
        try
        {
            return parser.getDoubleValue();
        }
        catch (final JsonProcessingException | NumberFormatException ex)
        {
            final String text = parser.getText().trim().toLowerCase(Locale.ROOT);
            if (text.endsWith(".nan"))
            {
                return Double.NaN;
            }
            if (text.endsWith(".inf"))
            {
                return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            throw ex;
        }
    }

    private CatalogException single(final int line, final String message)
    {
        return new CatalogException(List.of(new CatalogProblem(source, "", line, message)), List.of());
    }

    private static LoaderOptions yamlLoaderOptions()
    {
        final LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_YAML_CODE_POINTS);
        return options;
    }
}
