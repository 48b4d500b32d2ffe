package dev.modelsel.engine.cli;

import dev.modelsel.engine.availability.SharedAvailabilityTable;
import dev.modelsel.engine.config.ConfigException;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import dev.modelsel.engine.replication.ClusterConfig;
import dev.modelsel.engine.replication.ClusterConfigReader;
import dev.modelsel.engine.replication.ClusterReplication;
import dev.modelsel.engine.replication.ReplicationStartException;
import dev.modelsel.engine.replication.TableReplicaStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code modelsel replicate}: one long-running process per host that keeps the host's availability table converged
 * with every other host's (SPEC §6). Selectors are untouched: they keep reading the local table.
 */
@Command(name = "replicate", mixinStandardHelpOptions = true,
    description = {
        "Replicates this host's availability table with the other hosts of a cluster, over Aeron (UDP): sends every "
            + "local change at once and the whole table every snapshot interval, and merges theirs in (SPEC §6: a "
            + "merge never shortens a cooldown; the later down/up wins).",
        "One replicator per table; runs until SIGINT/SIGTERM; logs one line per peer joining or going silent, per "
            + "record changed by a remote write (at most 10 a second), and a summary a minute.",
        "CLUSTER.yaml: cluster, host_id (default: the host name), listen (host:port), peers [host:port, ...] or "
            + "multicast (with interface), key_env (the variable holding the shared secret, at least 16 bytes), "
            + "snapshot_interval_ms (1000), aeron_dir (an external media driver). See docs/replication.md."})
final class ReplicateCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "CLUSTER.yaml", description = "The cluster configuration.")
    Path config;

    @Option(names = "--table", paramLabel = "PATH", description = "This host's availability table. Default: see "
        + "modelsel availability --help.")
    Path table;

    @Option(names = "--counters", paramLabel = "PATH", description = "This host's counters file, whose spend is sent "
        + "to the other hosts; theirs are kept in PATH.hosts/. Default: the default counters file (see modelsel stats "
        + "--help).")
    Path counters;

    @Override
    public Integer call() throws InterruptedException, IOException
    {
        final ClusterConfig cluster = loadConfig();
        final PrintWriter out = spec.commandLine().getOut();
        final SharedAvailabilityTable shared = TableSource.openShared(table);
        final ClusterReplication replication;
        try
        {
            shared.hostId(cluster.hostId());
            replication = ClusterReplication.start(cluster, shared.path(), new TableReplicaStore(shared),
                counters == null ? SharedPhaseCounters.defaultPath() : counters, line -> log(out, line));
        }
        catch (final IllegalStateException | ReplicationStartException ex)
        {
            shared.close();
            throw new UserError(UserError.FAILED, ex.getMessage() + System.lineSeparator() + "nothing replicated");
        }
        catch (final IOException ex)
        {
            shared.close();
            throw new UserError(UserError.FAILED, TableSource.describe(ex) + System.lineSeparator() +
                "nothing replicated");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            try
            {
                replication.close();
            }
            catch (final IOException ex)
            {
                log(out, "closing: " + TableSource.describe(ex));
            }
            shared.close();
            log(out, "stopped: " + replication.summary());
        }, "modelsel-replicate-shutdown"));
        log(out, "replicating " + shared.path() + " as " + cluster.hostId() + " in cluster " + cluster.cluster() +
            ": listening on " + cluster.listen() + ", " + (cluster.multicast() != null ? "multicast group " +
            cluster.multicast() : "peers " + cluster.peers().stream().map(Object::toString)
            .collect(Collectors.joining(", "))) + ", the whole table every " + cluster.snapshotIntervalMs() +
            " ms; stop with Ctrl-C or SIGTERM");
        final Throwable failure = replication.awaitStop();
        return failure == null ? 0 : UserError.FAILED;
    }

    private ClusterConfig loadConfig()
    {
        try
        {
            return ClusterConfigReader.load(config, System::getenv);
        }
        catch (final ConfigException ex)
        {
            throw new UserError(UserError.FAILED, ex.getMessage() + System.lineSeparator() + "nothing replicated");
        }
    }

    private static void log(final PrintWriter out, final String line)
    {
        synchronized (out)
        {
            // printable: model ids and host names come from other hosts, and may hold control characters
            out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + Display.printable(line));
            out.flush();
        }
    }
}
