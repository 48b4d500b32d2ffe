package dev.modelsel.benchmarks.latency;

import dev.modelsel.engine.cli.LossyRelay;
import dev.modelsel.engine.cli.NetworkNamespaces;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Three hosts on a virtual network, each running the packaged jar's {@code modelsel replicate} over a table of its
 * own, as the engine's {@code ReplicationNamespacesIT} does: one network namespace per host on one bridge
 * ({@link NetworkNamespaces}, from the engine's test-jar), addresses 198.18.0.1–3. Only the replicators run in the
 * namespaces; tables are files, so writers and selectors anywhere on this machine reach any host's table.
 * {@link #throughRelays} restarts the replicators with each link through a {@link LossyRelay} that drops a share of
 * datagrams each way (this kernel has no {@code tc netem}).
 * <p>
 * {@link #close} stops every process first (one left inside a namespace would keep it alive), then removes the
 * namespaces; a shutdown hook does the same should the harness be stopped with SIGINT or SIGTERM.
 * <p>
 * Not thread-safe.
 */
final class NamespaceCluster implements AutoCloseable
{
    static final int HOSTS = 3;
    private static final int PORT = 40_456;
    /** Relays listen on 127.0.0.1:(this + the peer's index) inside each host's namespace. */
    private static final int RELAY_PORT = 41_000;
    private static final long JOIN_TIMEOUT_MS = 30_000;
    private static final Pattern RELAY_TOTALS = Pattern.compile(
        Pattern.quote(LossyRelay.TOTALS_FORMAT).replace("%d", "\\E(\\d+)\\Q"));

    private final NetworkNamespaces network;
    private final Path directory;
    private final Path modelselJar;
    private final long snapshotIntervalMs;
    private final String key = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private final Process[] replicators = new Process[HOSTS];
    private final Process[] relays = new Process[HOSTS];
    private final Path[] replicatorLogs = new Path[HOSTS];
    private final Path[] relayLogs = new Path[HOSTS];
    private final Thread cleanup = new Thread(this::stopAll, "modelsel-cluster-cleanup");
    private int starts;

    private NamespaceCluster(final NetworkNamespaces network, final Path directory, final Path modelselJar,
        final long snapshotIntervalMs)
    {
        this.network = network;
        this.directory = directory;
        this.modelselJar = modelselJar;
        this.snapshotIntervalMs = snapshotIntervalMs;
    }

    /** Builds the network, starts a replicator on each host, and waits until each hears both others. */
    static NamespaceCluster start(final Path modelselJar, final Path directory, final long snapshotIntervalMs)
        throws Exception
    {
        final NamespaceCluster cluster = new NamespaceCluster(NetworkNamespaces.create(HOSTS), directory,
            modelselJar, snapshotIntervalMs);
        Runtime.getRuntime().addShutdownHook(cluster.cleanup);
        try
        {
            for (int host = 0; host < HOSTS; host++)
            {
                Files.createDirectories(cluster.table(host).getParent());
            }
            cluster.startReplicators(false);
            return cluster;
        }
        catch (final Exception ex)
        {
            cluster.close();
            throw ex;
        }
    }

    Path table(final int host)
    {
        return directory.resolve("host-" + host).resolve("availability.table");
    }

    static String hostId(final int host)
    {
        return "host-" + host;
    }

    /** Cuts host {@code host} off the bridge (true) or joins it back (false). */
    void partition(final int host, final boolean cut) throws IOException, InterruptedException
    {
        network.partition(host, cut);
    }

    /** Bytes host {@code host} has sent on its link: what its interface counts, all headers included. */
    long bytesSent(final int host) throws IOException, InterruptedException
    {
        final Process cat = new ProcessBuilder(network.inHost(host, List.of("cat",
            "/sys/class/net/eth0/statistics/tx_bytes"))).redirectErrorStream(true).start();
        final String out = new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!cat.waitFor(10, TimeUnit.SECONDS) || cat.exitValue() != 0)
        {
            throw new IOException("cannot read host " + host + "'s tx_bytes: " + out);
        }
        return Long.parseLong(out);
    }

    /**
     * Stops the replicators, starts a relay in each host's namespace that drops {@code lossPercent} of the datagrams
     * on every route each way, and starts the replicators again with the relays as their peers.
     */
    void throughRelays(final int lossPercent, final long seed) throws Exception
    {
        stopReplicators();
        for (int host = 0; host < HOSTS; host++)
        {
            relayLogs[host] = directory.resolve("relay-" + host + ".log");
            final List<String> command = new ArrayList<>(List.of(java(), "-Xmx32m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", PropagationRun.classPath(),
                LossyRelay.class.getName()));
            for (int peer = 0; peer < HOSTS; peer++)
            {
                if (peer != host)
                {
                    command.addAll(List.of("--route", "127.0.0.1:" + (RELAY_PORT + peer) + "=" + network.address(peer) +
                        ":" + PORT));
                }
            }
            command.addAll(List.of("--loss", String.valueOf(lossPercent), "--seed", String.valueOf(seed + host)));
            // Its standard input stays a pipe from this JVM: the relay exits when that ends, should this JVM die.
            relays[host] = new ProcessBuilder(network.inHost(host, command)).redirectErrorStream(true)
                .redirectOutput(relayLogs[host].toFile()).start();
        }
        for (int host = 0; host < HOSTS; host++)
        {
            final int h = host;
            await("relay in host " + host + " listening", () -> read(relayLogs[h]).contains("relay: seed"));
        }
        startReplicators(true);
    }

    /**
     * Stops the relays and sums their last totals lines.
     *
     * @return datagrams received, dropped (as {@link LossyRelay#TOTALS_FORMAT}: total, dropped, forward dropped,
     *         forward in, back dropped, back in).
     */
    long[] stopRelays() throws IOException, InterruptedException
    {
        final long[] sum = new long[6];
        for (int host = 0; host < HOSTS; host++)
        {
            stop(relays[host]);
            relays[host] = null;
            long[] last = null;
            for (final Matcher line = RELAY_TOTALS.matcher(read(relayLogs[host])); line.find(); )
            {
                last = new long[6];
                for (int g = 0; g < last.length; g++)
                {
                    last[g] = Long.parseLong(line.group(g + 1));
                }
            }
            if (last == null)
            {
                throw new IOException("no totals from the relay in host " + host + ": " + read(relayLogs[host]));
            }
            for (int g = 0; g < sum.length; g++)
            {
                sum[g] += last[g];
            }
        }
        return sum;
    }

    private void startReplicators(final boolean relayed) throws Exception
    {
        starts++;
        for (int host = 0; host < HOSTS; host++)
        {
            final Path config = directory.resolve("cluster-" + host + ".yaml");
            Files.writeString(config, "cluster: propagation-harness\nhost_id: " + hostId(host) + "\nlisten: " +
                network.address(host) + ":" + PORT + "\npeers: [" + peers(host, relayed) + "]\n" +
                "key_env: MODELSEL_CLUSTER_KEY\nsnapshot_interval_ms: " + snapshotIntervalMs + "\n");
            replicatorLogs[host] = directory.resolve("replicator-" + host + "-" + starts + ".log");
            final ProcessBuilder command = new ProcessBuilder(network.inHost(host, List.of(java(), "-jar",
                modelselJar.toString(), "replicate", "--config", config.toString(), "--table", table(host).toString(),
                "--counters", table(host).resolveSibling("counters").toString())))
                .redirectErrorStream(true).redirectOutput(replicatorLogs[host].toFile());
            command.environment().put("MODELSEL_CLUSTER_KEY", key);
            replicators[host] = command.start();
        }
        for (int host = 0; host < HOSTS; host++)
        {
            for (int peer = 0; peer < HOSTS; peer++)
            {
                final int h = host;
                final String joined = "peer " + hostId(peer) + " joined";
                if (peer != host)
                {
                    await("host " + host + " hears " + hostId(peer), () -> read(replicatorLogs[h]).contains(joined));
                }
            }
        }
    }

    private String peers(final int host, final boolean relayed)
    {
        final List<String> peers = new ArrayList<>();
        for (int peer = 0; peer < HOSTS; peer++)
        {
            if (peer != host)
            {
                peers.add(relayed ? "127.0.0.1:" + (RELAY_PORT + peer) : network.address(peer) + ":" + PORT);
            }
        }
        return String.join(", ", peers);
    }

    private void await(final String what, final Condition condition) throws Exception
    {
        final long deadline = System.currentTimeMillis() + JOIN_TIMEOUT_MS;
        while (!condition.met())
        {
            for (int host = 0; host < HOSTS; host++)
            {
                if (replicators[host] != null && !replicators[host].isAlive())
                {
                    throw new IOException("the replicator on host " + host + " ended: " + read(replicatorLogs[host]));
                }
            }
            if (System.currentTimeMillis() > deadline)
            {
                throw new IOException("not within " + JOIN_TIMEOUT_MS + " ms: " + what + "; logs in " + directory);
            }
            Thread.sleep(20);
        }
    }

    private void stopReplicators() throws InterruptedException
    {
        for (int host = 0; host < HOSTS; host++)
        {
            stop(replicators[host]);
            replicators[host] = null;
        }
    }

    /** SIGTERM, so that a replicator or relay says its last words; SIGKILL if that does not do. */
    private static void stop(final Process process) throws InterruptedException
    {
        if (process != null)
        {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void stopAll()
    {
        try
        {
            stopReplicators();
            for (int host = 0; host < HOSTS; host++)
            {
                stop(relays[host]);
                relays[host] = null;
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        network.close();
    }

    private static String read(final Path log) throws IOException
    {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static String java()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close()
    {
        stopAll();
        try
        {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // the hook runs anyway
        }
    }

    @FunctionalInterface
    private interface Condition
    {
        boolean met() throws IOException;
    }
}
