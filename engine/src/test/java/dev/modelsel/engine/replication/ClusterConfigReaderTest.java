package dev.modelsel.engine.replication;

import dev.modelsel.engine.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterConfigReaderTest
{
    private static final String SECRET = "s3cret-cluster-key-0123456789";
    private static final Map<String, String> ENVIRONMENT = Map.of("MODELSEL_CLUSTER_KEY", SECRET, "SHORT", "abc");

    @Test
    void shouldReadAFullConfiguration() throws ConfigException
    {
        final ClusterConfig config = parse("""
            cluster: prod-agents
            host_id: worker-a
            listen: 10.0.0.1:40456
            peers: [10.0.0.2:40456, "[fd00::3]:40456"]
            key_env: MODELSEL_CLUSTER_KEY
            snapshot_interval_ms: 250
            aeron_dir: /dev/shm/aeron-shared
            """);
        assertEquals("prod-agents", config.cluster());
        assertEquals("worker-a", config.hostId());
        assertEquals(new ClusterConfig.Endpoint("10.0.0.1", 40456), config.listen());
        assertEquals(List.of(new ClusterConfig.Endpoint("10.0.0.2", 40456),
            new ClusterConfig.Endpoint("fd00::3", 40456)), config.peers());
        assertEquals("[fd00::3]:40456", config.peers().get(1).toString());
        assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), config.key());
        assertEquals(250, config.snapshotIntervalMs());
        assertEquals("/dev/shm/aeron-shared", config.aeronDirectory().toString());
        assertFalse(config.toString().contains(SECRET), "the key is never printed");
    }

    @Test
    void shouldDefaultTheHostIdAndSnapshotIntervalAndTakeMulticast() throws ConfigException
    {
        final ClusterConfig config = parse("""
            cluster: lan
            listen: 10.0.0.1:40456
            multicast: 239.255.0.1:40457
            interface: 10.0.0.0/24
            key_env: MODELSEL_CLUSTER_KEY
            """);
        assertNull(HostId.problem(config.hostId()));
        assertEquals(ClusterConfig.DEFAULT_SNAPSHOT_INTERVAL_MS, config.snapshotIntervalMs());
        assertEquals(new ClusterConfig.Endpoint("239.255.0.1", 40457), config.multicast());
        assertEquals("10.0.0.0/24", config.multicastInterface());
        assertTrue(config.peers().isEmpty());
        assertNull(config.aeronDirectory());
    }

    @Test
    void shouldNameFileKeyAndLineOfEveryProblemAndNeverTheKey()
    {
        final ConfigException refused = assertThrows(ConfigException.class, () -> parse("""
            cluster: "prod agents"
            host_id: "worker a"
            listen: 10.0.0.1
            peers: [10.0.0.2:40456, 10.0.0.2:40456, nowhere.invalid:1, 10.0.0.9:70000]
            key_env: SHORT
            snapshot_interval_ms: 0
            colour: blue
            """));
        final String all = String.join("\n", refused.problems());
        for (final String expected : List.of(
            "cluster.yaml: cluster (line 1): must be 1 to 64 ASCII letters",
            "cluster.yaml: host_id (line 2): a host id is 1 to 32",
            "cluster.yaml: listen (line 3): must be host:port",
            "cluster.yaml: peers[1] (line 4): 10.0.0.2:40456 is listed already (line 4)",
            "cluster.yaml: peers[2] (line 4): \"nowhere.invalid\" does not resolve",
            "cluster.yaml: peers[3] (line 4): port 70000 is not from 1 to 65535",
            "cluster.yaml: key_env (line 5): environment variable SHORT holds 3 bytes",
            "cluster.yaml: snapshot_interval_ms (line 6): must be a whole number from 50 to 600000",
            "cluster.yaml: colour (line 7): unknown key"))
        {
            assertTrue(refused.problems().stream().anyMatch(p -> p.startsWith(expected)), expected + " in\n" + all);
        }
        assertFalse(all.contains("abc"), all);
    }

    @Test
    void shouldRefuseAMissingKeyVariableAndBothPeersAndMulticast()
    {
        final ConfigException refused = assertThrows(ConfigException.class, () -> parse("""
            cluster: c
            listen: 10.0.0.1:40456
            peers: [10.0.0.2:40456]
            multicast: 10.0.0.3:40457
            key_env: NOT_SET_ANYWHERE
            """));
        final String all = String.join("\n", refused.problems());
        assertTrue(all.contains("cluster.yaml: key_env (line 5): environment variable NOT_SET_ANYWHERE is not set"), all);
        assertTrue(all.contains("multicast (line 4): \"10.0.0.3\" is not a multicast address"), all);
        assertTrue(all.contains("multicast (line 4): peers and multicast are both set"), all);
    }

    @Test
    void shouldNeverEchoASecretPutInKeyEnvItself()
    {
        for (final String secret : List.of("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "k8/Zq+3vR9wT2xY7pL0mN4bV6cX1zA5sQe8u=", "correct-horse-battery-staple-2024"))
        {
            final ConfigException refused = assertThrows(ConfigException.class, () -> parse("""
                cluster: c
                listen: 10.0.0.1:40456
                peers: [10.0.0.2:40456]
                key_env: %s
                """.formatted(secret)));
            final String all = String.join("\n", refused.problems()) + "\n" + refused.getMessage();
            assertTrue(all.contains("cluster.yaml: key_env (line 4): is not an environment variable name (the secret " +
                "itself? put it in a variable and name that)"), all);
            assertFalse(all.contains(secret.substring(0, 8)), all);
        }
    }

    private static ClusterConfig parse(final String text) throws ConfigException
    {
        final Function<String, InetAddress> resolver = host ->
        {
            try
            {
                return host.endsWith(".invalid") ? null : InetAddress.getByName(host); // literals only: no lookup
            }
            catch (final UnknownHostException ex)
            {
                return null;
            }
        };
        return ClusterConfigReader.parse("cluster.yaml", text, false, ENVIRONMENT::get, resolver);
    }
}
