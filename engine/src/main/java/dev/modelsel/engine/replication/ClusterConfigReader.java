package dev.modelsel.engine.replication;

import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogPaths;
import dev.modelsel.catalog.SourceFiles;
import dev.modelsel.catalog.SourceNode;
import dev.modelsel.engine.config.ConfigException;
import dev.modelsel.engine.config.ConfigFields;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a cluster configuration (YAML, or JSON when the file ends in {@code .json}), SPEC §6 and
 * {@code docs/replication.md}:
 * <pre>
 * cluster: prod-agents
 * host_id: worker-a                  # default: this host's name
 * listen: 10.0.0.1:40456
 * peers: [10.0.0.2:40456, 10.0.0.3:40456]     # or multicast: 239.255.0.1:40457 (with interface: 10.0.0.0/24)
 * key_env: MODELSEL_CLUSTER_KEY
 * snapshot_interval_ms: 1000
 * aeron_dir: /dev/shm/aeron-shared            # optional: an external media driver
 * </pre>
 * Every problem is reported with file, key and line; peers' names are resolved here, so one that does not resolve
 * is reported before anything starts. The key's value appears in no message.
 * <p>
 * Stateless and thread-safe.
 */
public final class ClusterConfigReader
{
    private static final int MAX_CONFIG_BYTES = 1 << 20;
    private static final Set<String> KEYS = Set.of("cluster", "host_id", "listen", "peers", "multicast", "interface",
        "key_env", "snapshot_interval_ms", "aeron_dir");
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9._-]{1," +
        WireDescriptor.MAX_CLUSTER_LENGTH + "}");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern ENDPOINT = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]\\s]+)):([0-9]{1,5})");
    private static final Pattern CIDR = Pattern.compile("([^/\\s]+)(?:/([0-9]{1,3}))?");
    private static final long MIN_SNAPSHOT_INTERVAL_MS = 50;
    private static final long MAX_SNAPSHOT_INTERVAL_MS = 600_000;

    private final ConfigFields values;
    private final Function<String, String> environment;
    private final Function<String, InetAddress> resolver;

    private ClusterConfigReader(final String source, final Function<String, String> environment,
        final Function<String, InetAddress> resolver)
    {
        this.values = new ConfigFields(source);
        this.environment = environment;
        this.resolver = resolver;
    }

    /**
     * @param environment where {@code key_env} is looked up ({@code System::getenv} in production).
     * @throws ConfigException listing every problem.
     */
    public static ClusterConfig load(final Path file, final Function<String, String> environment)
        throws ConfigException
    {
        final String name = file.toString();
        final String text;
        try
        {
            text = SourceFiles.readText(file, MAX_CONFIG_BYTES, "a cluster configuration");
        }
        catch (final CatalogException ex)
        {
            throw new ConfigException(ex.errors().stream().map(Object::toString).toList());
        }
        return parse(name, text, name.toLowerCase(Locale.ROOT).endsWith(".json"), environment,
            ClusterConfigReader::resolve);
    }

    /** As {@link #load}, from text already read; {@code resolver} returns null for a name that does not resolve. */
    static ClusterConfig parse(final String source, final String text, final boolean jsonOnly,
        final Function<String, String> environment, final Function<String, InetAddress> resolver)
        throws ConfigException
    {
        final SourceNode root = ConfigFields.parse(source, text, jsonOnly);
        final ClusterConfigReader reader = new ClusterConfigReader(source, environment, resolver);
        final ClusterConfig config = reader.config(root);
        reader.values.throwIfAny();
        return config;
    }

    private static InetAddress resolve(final String host)
    {
        try
        {
            return InetAddress.getByName(host);
        }
        catch (final UnknownHostException | SecurityException ex)
        {
            return null;
        }
    }

    private ClusterConfig config(final SourceNode root)
    {
        if (!root.is(SourceNode.Kind.MAPPING))
        {
            values.problem("", root.line(), "must be a mapping with cluster, listen, peers and key_env, not " +
                root.describe());
            return null;
        }
        final Map<String, SourceNode.Entry> fields = root.entries();
        values.unknownKeys("", fields, KEYS);
        final String cluster = cluster(fields.get("cluster"), root.line());
        final String hostId = hostId(fields.get("host_id"));
        final ClusterConfig.Endpoint listen = endpoint(fields.get("listen"), "listen", root.line(), false);
        final List<ClusterConfig.Endpoint> peers = peers(fields.get("peers"), listen);
        final ClusterConfig.Endpoint multicast = fields.containsKey("multicast") ?
            endpoint(fields.get("multicast"), "multicast", root.line(), true) : null;
        final String multicastInterface = multicastInterface(fields.get("interface"), multicast != null);
        if (fields.containsKey("peers") && fields.containsKey("multicast"))
        {
            values.problem("multicast", fields.get("multicast").keyLine(), "peers and multicast are both set: " +
                "give one (peers for a static list, multicast on a LAN)");
        }
        else if (!fields.containsKey("peers") && !fields.containsKey("multicast"))
        {
            values.problem("peers", root.line(), "missing: list every other host's endpoint (or set multicast on " +
                "a LAN)");
        }
        final String keyVariable = values.text(fields.get("key_env"), "key_env", root.line(), null);
        final byte[] key = key(keyVariable, fields.get("key_env"));
        final long snapshotIntervalMs = values.whole(fields.get("snapshot_interval_ms"), "snapshot_interval_ms",
            ClusterConfig.DEFAULT_SNAPSHOT_INTERVAL_MS, MIN_SNAPSHOT_INTERVAL_MS, MAX_SNAPSHOT_INTERVAL_MS);
        final String aeronDir = values.text(fields.get("aeron_dir"), "aeron_dir", root.line(), "");
        if (values.hasProblems())
        {
            return null;
        }
        return new ClusterConfig(cluster, hostId, listen, peers, multicast, multicastInterface, keyVariable, key,
            snapshotIntervalMs, aeronDir == null || aeronDir.isEmpty() ? null : Path.of(aeronDir));
    }

    private String cluster(final SourceNode.Entry entry, final int rootLine)
    {
        final String cluster = values.text(entry, "cluster", rootLine, null);
        if (cluster != null && !CLUSTER_NAME.matcher(cluster).matches())
        {
            values.problem("cluster", entry.value().line(), "must be 1 to " + WireDescriptor.MAX_CLUSTER_LENGTH +
                " ASCII letters, digits, '.', '_' or '-', not \"" + cluster + "\"");
            return null;
        }
        return cluster;
    }

    private String hostId(final SourceNode.Entry entry)
    {
        if (entry == null)
        {
            return HostId.ofThisHost();
        }
        final String id = values.text(entry, "host_id", entry.keyLine(), null);
        final String problem = id == null ? null : HostId.problem(id);
        if (problem != null)
        {
            values.problem("host_id", entry.value().line(), problem + ", not \"" + id + "\"");
            return null;
        }
        return id;
    }

    private List<ClusterConfig.Endpoint> peers(final SourceNode.Entry entry, final ClusterConfig.Endpoint listen)
    {
        final List<ClusterConfig.Endpoint> peers = new ArrayList<>();
        if (entry == null)
        {
            return peers;
        }
        if (!entry.value().is(SourceNode.Kind.LIST) || entry.value().items().isEmpty())
        {
            values.problem("peers", entry.value().line(), "must be a non-empty list of host:port, not " +
                entry.value().describe());
            return peers;
        }
        final Map<ClusterConfig.Endpoint, Integer> seen = new HashMap<>();
        final List<SourceNode> items = entry.value().items();
        for (int i = 0; i < items.size(); i++)
        {
            final String path = CatalogPaths.item("peers", i);
            final ClusterConfig.Endpoint peer = endpoint(items.get(i), path, false);
            if (peer == null)
            {
                continue;
            }
            final Integer first = seen.putIfAbsent(peer, items.get(i).line());
            if (first != null)
            {
                values.problem(path, items.get(i).line(), peer + " is listed already (line " + first + ")");
            }
            else if (peer.equals(listen))
            {
                values.problem(path, items.get(i).line(), peer + " is this host's own listen endpoint");
            }
            else
            {
                peers.add(peer);
            }
        }
        return peers;
    }

    private ClusterConfig.Endpoint endpoint(final SourceNode.Entry entry, final String path, final int parentLine,
        final boolean multicast)
    {
        if (entry == null)
        {
            values.problem(path, parentLine, "missing: this host's UDP endpoint, host:port");
            return null;
        }
        return endpoint(entry.value(), path, multicast);
    }

    private ClusterConfig.Endpoint endpoint(final SourceNode node, final String path, final boolean multicast)
    {
        final Matcher matcher = node.is(SourceNode.Kind.STRING) ? ENDPOINT.matcher(node.text()) : null;
        if (matcher == null || !matcher.matches())
        {
            values.problem(path, node.line(), "must be host:port (an IPv6 address in brackets), not " +
                (node.is(SourceNode.Kind.STRING) ? "\"" + node.text() + "\"" : node.describe()));
            return null;
        }
        final String host = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
        final int port = Integer.parseInt(matcher.group(3));
        if (port < 1 || port > 65_535)
        {
            values.problem(path, node.line(), "port " + port + " is not from 1 to 65535");
            return null;
        }
        final InetAddress address = resolver.apply(host);
        if (address == null)
        {
            values.problem(path, node.line(), "\"" + host + "\" does not resolve to an address");
            return null;
        }
        if (multicast != address.isMulticastAddress())
        {
            values.problem(path, node.line(), multicast ? "\"" + host + "\" is not a multicast address " +
                "(224.0.0.0/4, ff00::/8)" : "\"" + host + "\" is a multicast address: use multicast: for a group");
            return null;
        }
        return new ClusterConfig.Endpoint(host, port);
    }

    private String multicastInterface(final SourceNode.Entry entry, final boolean multicast)
    {
        if (entry == null)
        {
            return null;
        }
        final String text = values.text(entry, "interface", entry.keyLine(), null);
        if (text == null)
        {
            return null;
        }
        if (!multicast)
        {
            values.problem("interface", entry.keyLine(), "only goes with multicast: (unicast peers use the " +
                "listen address's interface)");
            return null;
        }
        final Matcher matcher = CIDR.matcher(text);
        if (!matcher.matches() || resolver.apply(matcher.group(1)) == null ||
            (matcher.group(2) != null && Integer.parseInt(matcher.group(2)) > 128))
        {
            values.problem("interface", entry.value().line(), "must be an address or a CIDR block such as " +
                "10.0.0.0/24, not \"" + text + "\"");
            return null;
        }
        return text;
    }

    private byte[] key(final String variable, final SourceNode.Entry entry)
    {
        if (variable == null)
        {
            return null;
        }
        if (!VARIABLE_NAME.matcher(variable).matches())
        {
            // Not echoed: what is here instead of a name is most likely the key itself, which must not reach a log.
            values.problem("key_env", entry.value().line(), "is not an environment variable name (the secret " +
                "itself? put it in a variable and name that): a name is letters, digits and _, not starting with a " +
                "digit");
            return null;
        }
        final String value = environment.apply(variable);
        if (value == null || value.isEmpty())
        {
            values.problem("key_env", entry.value().line(), "environment variable " + variable + " is not set: " +
                "set it to the cluster's shared secret (the same on every host)");
            return null;
        }
        final byte[] key = value.getBytes(StandardCharsets.UTF_8);
        if (key.length < MessageAuthenticator.MIN_KEY_BYTES)
        {
            values.problem("key_env", entry.value().line(), "environment variable " + variable + " holds " +
                key.length + " bytes; the cluster key must be at least " + MessageAuthenticator.MIN_KEY_BYTES +
                " (e.g. openssl rand -hex 32)");
            return null;
        }
        return key;
    }
}
