package dev.modelsel.engine.replication;

import java.nio.file.Path;
import java.util.List;

/**
 * A host's replication settings, as {@link ClusterConfigReader} read them from {@code CLUSTER.yaml}. Either
 * {@code peers} (unicast to each other host) or {@code multicast} is set, never both.
 *
 * @param cluster            the cluster's name: messages of another cluster are dropped.
 * @param hostId             this host's id (see {@link HostId}).
 * @param listen             this host's UDP endpoint.
 * @param peers              every other host's endpoint; empty with multicast.
 * @param multicast          the multicast group's endpoint, or null.
 * @param multicastInterface the interface (address or CIDR) multicast uses, or null for the default.
 * @param keyVariable        the environment variable that held the key (for messages; never the key).
 * @param key                the cluster's shared secret.
 * @param snapshotIntervalMs how often the whole table is sent as well.
 * @param aeronDirectory     an external Aeron media driver's directory, or null for an embedded one.
 */
public record ClusterConfig(
    String cluster,
    String hostId,
    Endpoint listen,
    List<Endpoint> peers,
    Endpoint multicast,
    String multicastInterface,
    String keyVariable,
    byte[] key,
    long snapshotIntervalMs,
    Path aeronDirectory)
{
    public static final long DEFAULT_SNAPSHOT_INTERVAL_MS = 1_000;

    /** A UDP endpoint as the configuration writes it: an address or host name, and a port. */
    public record Endpoint(String host, int port)
    {
        /** As Aeron's channels want it: {@code host:port}, an IPv6 address in brackets. */
        @Override
        public String toString()
        {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Never the key itself. */
    @Override
    public String toString()
    {
        return "ClusterConfig{cluster=" + cluster + ", hostId=" + hostId + ", listen=" + listen + ", peers=" + peers +
            ", multicast=" + multicast + ", interface=" + multicastInterface + ", key=$" + keyVariable +
            " (not shown), snapshotIntervalMs=" + snapshotIntervalMs + ", aeronDirectory=" + aeronDirectory + '}';
    }
}
