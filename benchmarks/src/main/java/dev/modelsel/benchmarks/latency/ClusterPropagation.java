package dev.modelsel.benchmarks.latency;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
import dev.modelsel.engine.cli.NetworkNamespaces;
import dev.modelsel.engine.replication.ReplicatedRecord;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code propagation --hosts}: a write on one host seen by a select on another, through {@code modelsel replicate} on
 * three hosts (network namespaces, {@link NamespaceCluster}), beside, in the same run, the same write seen on the
 * same host (the plain propagation run, the baseline) and the same cooldown shared through Redis as LiteLLM shares it
 * ({@link RedisSelect}), when a {@code redis-server} is installed. Then what the cluster does besides: convergence
 * after a healed partition and under 20 % loss, and the bytes a second a quiet cluster sends.
 * <p>
 * Each latency run has the machine to itself but for what it needs: the single-host run before the cluster starts,
 * the Redis run after it stops. One writer JVM and this thread (the reader) in each, at the same pace, the reader
 * looking the same way in all three ({@link PropagationRun.Pace#pollNs()}).
 * <p>
 * The cluster's tables hold the default catalog's models, then {@link #QUIET_RECORDS} records, while it is measured
 * quiet; the latency, partition and loss runs find them so.
 */
final class ClusterPropagation
{
    /** What the run takes from the command line. */
    record Settings(PropagationRun.Pace pace, Path out, Path modelselJar, long snapshotIntervalMs, int partitionTrials,
        long partitionMs, int lossChanges, long quietSeconds)
    {
    }

    static final int LOSS_PERCENT = 20;
    private static final long LOSS_GAP_MS = 100;
    /** The second quiet measurement's records a table, and the tables' size in the runs after it. */
    static final int QUIET_RECORDS = 200;

    private final Settings settings;
    private final CompiledCatalog catalog = CatalogLoader.loadDefault().compile();
    private final List<String> notes = new ArrayList<>();

    private ClusterPropagation(final Settings settings)
    {
        this.settings = settings;
    }

    static void run(final Settings settings) throws Exception
    {
        final String unavailable = NetworkNamespaces.unavailableBecause();
        if (unavailable != null)
        {
            throw new IOException("--hosts makes network namespaces, which it cannot here: " + unavailable +
                " (run it as root, with iproute2's ip)");
        }
        if (!Files.isRegularFile(settings.modelselJar()))
        {
            throw new IOException("--hosts runs modelsel replicate from " + settings.modelselJar() + ", which is not " +
                "there (build it: mvn -B -q package -DskipTests; or name it with --modelsel-jar)");
        }
        new ClusterPropagation(settings).run();
    }

    private void run() throws Exception
    {
        final Path directory = Files.createTempDirectory("modelsel-propagation-hosts");
        final PropagationRun.Pace pace = settings.pace();
        System.out.println("propagation --hosts: " + pace.describe() + " each; files in " + directory);
        boolean done = false;
        try
        {
            final PropagationRun.Measured single = singleHost(directory);
            final PropagationRun.Measured across = acrossHosts(directory);
            final PropagationRun.Measured redis = redis(directory);
            new ClusterReport(settings, single, across, redis, notes).print(System.out);
            done = true;
        }
        finally
        {
            if (done)
            {
                deleteAll(directory);
            }
            else
            {
                System.out.println("kept " + directory + " (tables, configs and the replicators' and relays' logs)");
            }
        }
    }

    private PropagationRun.Measured singleHost(final Path directory) throws Exception
    {
        System.out.println("single host: a writer JVM and a selector on one table");
        final Path tablePath = Files.createDirectories(directory.resolve("single-host")).resolve("availability.table");
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(tablePath))
        {
            table.setUp(PropagationRun.MODEL);
            return PropagationRun.measure("single host", List.of("--table", tablePath.toString()),
                PropagationRun.selecting(Selector.create(catalog, table)), settings.pace(), directory);
        }
    }

    private PropagationRun.Measured acrossHosts(final Path directory) throws Exception
    {
        System.out.printf(Locale.ROOT, "across hosts: %d network namespaces, modelsel replicate on each " +
            "(snapshot_interval_ms %,d)%n", NamespaceCluster.HOSTS, settings.snapshotIntervalMs());
        try (NamespaceCluster cluster = NamespaceCluster.start(settings.modelselJar(), directory,
            settings.snapshotIntervalMs()))
        {
            final SharedAvailabilityTable[] tables = new SharedAvailabilityTable[NamespaceCluster.HOSTS];
            try
            {
                for (int host = 0; host < tables.length; host++)
                {
                    tables[host] = SharedAvailabilityTable.open(cluster.table(host));
                }
                return acrossHosts(cluster, tables, directory);
            }
            finally
            {
                for (final SharedAvailabilityTable table : tables)
                {
                    if (table != null)
                    {
                        table.close();
                    }
                }
            }
        }
    }

    private PropagationRun.Measured acrossHosts(final NamespaceCluster cluster, final SharedAvailabilityTable[] tables,
        final Path directory) throws Exception
    {
        final ClusterConvergence convergence = new ClusterConvergence(cluster, tables);
        final List<String> models = new ArrayList<>();
        for (int model = 0; model < catalog.modelCount(); model++)
        {
            models.add(catalog.id(model));
        }
        System.out.printf(Locale.ROOT, "a quiet cluster: what the hosts send with %d records in each table, then %d%n",
            models.size(), QUIET_RECORDS);
        convergence.seed(models);
        Thread.sleep(settings.snapshotIntervalMs());
        final long[] few = convergence.quietBytesPerSecond(settings.quietSeconds());
        final List<String> more = new ArrayList<>();
        for (int model = models.size(); model < QUIET_RECORDS; model++)
        {
            more.add(String.format(Locale.ROOT, "quiet-model-%03d", model));
        }
        convergence.seed(more);
        Thread.sleep(settings.snapshotIntervalMs());
        final long[] many = convergence.quietBytesPerSecond(settings.quietSeconds());
        notes.add(ClusterReport.quiet(few, models.size(), many, QUIET_RECORDS, settings));

        System.out.println("across hosts: a writer JVM on host-0's table, a selector on host-1's");
        final Selector selector = Selector.create(catalog, tables[1]);
        final PropagationRun.Probe selecting = PropagationRun.selecting(selector);
        final ReplicatedRecord written = new ReplicatedRecord();
        final ReplicatedRecord read = new ReplicatedRecord();
        final PropagationRun.Measured across = PropagationRun.measure("across hosts",
            List.of("--table", cluster.table(0).toString()), new PropagationRun.Probe()
            {
                @Override
                public boolean up() throws IOException
                {
                    return selecting.up();
                }

                @Override
                public boolean settled()
                {
                    return tables[0].readReplicated(PropagationRun.MODEL, written) &&
                        tables[1].readReplicated(PropagationRun.MODEL, read) && written.sameAs(read);
                }
            }, settings.pace(), directory);

        System.out.println("convergence after a healed partition");
        notes.add(convergence.afterPartition(settings.partitionTrials(), settings.partitionMs(), models));

        System.out.println("convergence under " + LOSS_PERCENT + "% loss: the replicators restart behind lossy relays");
        final long seed = System.nanoTime();
        cluster.throughRelays(LOSS_PERCENT, seed);
        final Histogram loss = convergence.underLoss(settings.lossChanges(), LOSS_GAP_MS, models);
        final long[] relayed = cluster.stopRelays();
        notes.add(ClusterReport.loss(loss, relayed, seed, LOSS_GAP_MS));
        return across;
    }

    private PropagationRun.Measured redis(final Path directory) throws Exception
    {
        final Path executable = RedisServer.find();
        if (executable == null)
        {
            System.out.println("SKIPPED: redis: " + RedisServer.MISSING);
            notes.add("Redis: skipped, " + RedisServer.MISSING);
            return null;
        }
        final RedisServer server;
        try
        {
            server = RedisServer.start(executable, directory);
        }
        catch (final IOException ex)
        {
            System.out.println("SKIPPED: redis: " + ex.getMessage());
            notes.add("Redis: skipped, " + ex.getMessage());
            return null;
        }
        try (server; RedisSelect probe = new RedisSelect(server.port(), catalog))
        {
            System.out.printf(Locale.ROOT, "Redis %s on 127.0.0.1:%d (no persistence): the writer SETs and DELs " +
                "%s, the selector MGETs its %d candidates' keys before each select%n", server.version(), server.port(),
                RedisSelect.cooldownKey(PropagationRun.MODEL), probe.candidates());
            notes.add("Redis " + server.version() + " on loopback in this machine's own network namespace (no " +
                "network hop, unlike a real deployment's), read by one MGET of " + probe.candidates() + " keys " +
                "before each select, at every look of the reader (LiteLLM's cache re-reads it about once a second)");
            return PropagationRun.measure("redis", List.of("--redis-port", String.valueOf(server.port())), probe,
                settings.pace(), directory);
        }
    }

    private static void deleteAll(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(file);
            }
        }
    }
}
