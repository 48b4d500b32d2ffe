package dev.modelsel.engine.probe;

import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogPaths;
import dev.modelsel.catalog.CatalogProblem;
import dev.modelsel.catalog.SourceFiles;
import dev.modelsel.catalog.SourceNode;
import dev.modelsel.engine.config.ConfigException;
import dev.modelsel.engine.config.ConfigFields;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a probe configuration (YAML or JSON):
 * <pre>
 * {"probes": [{"model": id, "url": "...", "method": "GET", "headers": {...}, "timeout_ms": 2000}],
 *  "interval_ms": 10000, "failures_to_down": 1, "max_concurrent": 8}
 * </pre>
 * Header values may reference environment variables ({@code Bearer ${ANTHROPIC_API_KEY}}); they are resolved here
 * and their values appear in no message. Every problem is reported with file, key and line, and nothing is kept.
 * <p>
 * Stateless and thread-safe.
 */
public final class ProbeConfigReader
{
    private static final int MAX_CONFIG_BYTES = 16 << 20;
    private static final Set<String> TOP_KEYS = Set.of("probes", "interval_ms", "failures_to_down", "max_concurrent");
    private static final Set<String> PROBE_KEYS = Set.of("model", "url", "method", "headers", "timeout_ms");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern METHOD = Pattern.compile("[A-Z]+");
    private static final long MAX_TIMEOUT_MS = 600_000;
    private static final long MAX_INTERVAL_MS = 86_400_000;

    private final ConfigFields values;
    private final Function<String, String> environment;

    private ProbeConfigReader(final String source, final Function<String, String> environment)
    {
        this.values = new ConfigFields(source);
        this.environment = environment;
    }

    /**
     * @param file        the configuration file; {@code .json} is read as strict JSON, anything else as YAML.
     * @param environment resolves {@code ${NAME}} in header values ({@code System::getenv} in production).
     * @return the configuration.
     * @throws ProbeConfigException listing every problem.
     */
    public static ProbeConfig load(final Path file, final Function<String, String> environment)
        throws ProbeConfigException
    {
        try
        {
            final String name = file.toString();
            return parse(name, SourceFiles.readText(file, MAX_CONFIG_BYTES, "a probe configuration"),
                name.toLowerCase(Locale.ROOT).endsWith(".json"), environment);
        }
        catch (final CatalogException ex)
        {
            throw new ProbeConfigException(ex.errors().stream().map(CatalogProblem::toString).toList());
        }
    }

    /** As {@link #load}, from text already read. */
    public static ProbeConfig parse(final String source, final String text, final boolean jsonOnly,
        final Function<String, String> environment) throws ProbeConfigException
    {
        try
        {
            final SourceNode root = ConfigFields.parse(source, text, jsonOnly);
            final ProbeConfigReader reader = new ProbeConfigReader(source, environment);
            final ProbeConfig config = reader.config(root);
            reader.values.throwIfAny();
            return config;
        }
        catch (final ConfigException ex)
        {
            throw new ProbeConfigException(ex.problems());
        }
    }

    private ProbeConfig config(final SourceNode root)
    {
        if (!root.is(SourceNode.Kind.MAPPING))
        {
            problem("", root.line(), "must be a mapping with \"probes\" (a list), not " + root.describe());
            return null;
        }
        final Map<String, SourceNode.Entry> fields = root.entries();
        values.unknownKeys("", fields, TOP_KEYS);
        final long intervalMs = values.whole(fields.get("interval_ms"), "interval_ms",
            ProbeConfig.DEFAULT_INTERVAL_MS, 1, MAX_INTERVAL_MS);
        final long failuresToDown = values.whole(fields.get("failures_to_down"), "failures_to_down",
            ProbeConfig.DEFAULT_FAILURES_TO_DOWN, 1, 1_000);
        final long maxConcurrent = values.whole(fields.get("max_concurrent"), "max_concurrent",
            ProbeConfig.DEFAULT_MAX_CONCURRENT, 1, 256);
        final SourceNode.Entry probes = fields.get("probes");
        final List<ProbeTarget> targets = new ArrayList<>();
        if (probes == null)
        {
            problem("probes", root.line(), "missing: list the models to probe");
        }
        else if (!probes.value().is(SourceNode.Kind.LIST) || probes.value().items().isEmpty())
        {
            problem("probes", probes.value().line(), "must be a non-empty list of probes, not " +
                probes.value().describe());
        }
        else
        {
            final Map<String, Integer> models = new HashMap<>();
            final List<SourceNode> items = probes.value().items();
            for (int i = 0; i < items.size(); i++)
            {
                final String path = CatalogPaths.item("probes", i);
                final ProbeTarget target = probe(path, items.get(i));
                final SourceNode.Entry model = items.get(i).is(SourceNode.Kind.MAPPING) ?
                    items.get(i).entries().get("model") : null;
                if (model != null && model.value().is(SourceNode.Kind.STRING))
                {
                    final Integer first = models.putIfAbsent(model.value().text(), model.keyLine());
                    if (first != null)
                    {
                        problem(path + ".model", model.keyLine(), "\"" + model.value().text() +
                            "\" is probed already (line " + first + "); one probe per model");
                    }
                }
                if (target != null)
                {
                    targets.add(target);
                }
            }
        }
        return new ProbeConfig(targets, intervalMs, (int)failuresToDown, (int)maxConcurrent);
    }

    private ProbeTarget probe(final String path, final SourceNode node)
    {
        if (!node.is(SourceNode.Kind.MAPPING))
        {
            problem(path, node.line(), "must be a mapping with model and url, not " + node.describe());
            return null;
        }
        final Map<String, SourceNode.Entry> fields = node.entries();
        values.unknownKeys(path, fields, PROBE_KEYS);
        final String model = values.text(fields.get("model"), path + ".model", node.line(), null);
        final String url = values.text(fields.get("url"), path + ".url", node.line(), null);
        final String method = values.text(fields.get("method"), path + ".method", node.line(), "GET");
        final long timeoutMs = values.whole(fields.get("timeout_ms"), path + ".timeout_ms",
            ProbeConfig.DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
        final URI uri = url == null ? null : uri(url, path + ".url", fields.get("url").value().line());
        final boolean methodValid = method != null && validMethod(method);
        if (method != null && !methodValid)
        {
            problem(path + ".method", fields.get("method").value().line(), "must be an HTTP method in capitals " +
                "that the JDK's HTTP client sends (GET, HEAD, POST, ...; not CONNECT), not \"" + method + "\"");
        }
        final Map<String, String> headers = headers(path + ".headers", fields.get("headers"), uri,
            methodValid ? method : "GET");
        if (model == null || uri == null || !methodValid || headers == null)
        {
            return null;
        }
        return new ProbeTarget(model, uri, method, headers, timeoutMs);
    }

    private Map<String, String> headers(final String path, final SourceNode.Entry entry, final URI uri,
        final String method)
    {
        final Map<String, String> headers = new LinkedHashMap<>();
        if (entry == null)
        {
            return headers;
        }
        if (!entry.value().is(SourceNode.Kind.MAPPING))
        {
            problem(path, entry.value().line(), "must be a mapping of header name to value, not " +
                entry.value().describe());
            return null;
        }
        boolean valid = true;
        for (final SourceNode.Entry header : entry.value().entries().values())
        {
            final String headerPath = CatalogPaths.child(path, header.key());
            if (!header.value().is(SourceNode.Kind.STRING))
            {
                problem(headerPath, header.value().line(), "must be a string (quote it)");
                valid = false;
                continue;
            }
            final String value = resolve(header.value().text(), headerPath, header.value().line());
            if (value == null)
            {
                valid = false;
                continue;
            }
            if (!sendable(uri, method, header.key(), value))
            {
                // The JDK's own message may quote the value: say what is wrong without it.
                problem(headerPath, header.keyLine(), "cannot be sent: not a valid header name, a value with a line " +
                    "break or control character, or a header the HTTP client sets itself (Host, Connection, " +
                    "Content-Length, Expect, Upgrade)");
                valid = false;
                continue;
            }
            headers.put(header.key(), value);
        }
        return valid ? headers : null;
    }

    /** Replaces each {@code ${NAME}} with the variable's value; a missing variable is named, never guessed. */
    private String resolve(final String raw, final String path, final int line)
    {
        final Matcher reference = REFERENCE.matcher(raw);
        final StringBuilder value = new StringBuilder();
        boolean resolved = true;
        while (reference.find())
        {
            final String name = reference.group(1);
            final String variable = VARIABLE_NAME.matcher(name).matches() ? environment.apply(name) : null;
            if (!VARIABLE_NAME.matcher(name).matches())
            {
                problem(path, line, "\"${" + name + "}\" is not an environment variable reference (${NAME}, " +
                    "letters, digits and _)");
                resolved = false;
            }
            else if (variable == null)
            {
                problem(path, line, "environment variable " + name + " is not set");
                resolved = false;
            }
            else
            {
                reference.appendReplacement(value, Matcher.quoteReplacement(variable));
            }
        }
        reference.appendTail(value);
        return resolved ? value.toString() : null;
    }

    private static boolean sendable(final URI uri, final String method, final String name, final String value)
    {
        try
        {
            HttpRequest.newBuilder(uri == null ? URI.create("http://localhost/") : uri)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header(name, value);
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    private static boolean validMethod(final String method)
    {
        if (!METHOD.matcher(method).matches())
        {
            return false;
        }
        try
        {
            HttpRequest.newBuilder(URI.create("http://localhost/")).method(method, HttpRequest.BodyPublishers.noBody());
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    private URI uri(final String text, final String path, final int line)
    {
        try
        {
            final URI uri = new URI(text);
            final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getPort() <= 65_535)
            {
                HttpRequest.newBuilder(uri); // the client's own checks
                return uri;
            }
        }
        catch (final URISyntaxException | IllegalArgumentException ex)
        {
            // reported below
        }
        problem(path, line, "must be an absolute http or https URL, not \"" + text + "\"");
        return null;
    }

    private void problem(final String path, final int line, final String message)
    {
        values.problem(path, line, message);
    }
}
