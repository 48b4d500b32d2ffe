package dev.modelsel.engine.replication;

import io.aeron.exceptions.AeronException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A running replicator (SPEC §6) for one host's table: what {@code modelsel replicate} starts. It holds the table's
 * replicator lock (one replicator per table), runs an Aeron media driver of its own (in {@code TABLE.aeron}, unless
 * the configuration names an external one) and the replicator's thread, until {@link #close}.
 * <p>
 * Thread-safe: {@link #close} may come from a shutdown hook.
 */
public final class ClusterReplication implements AutoCloseable
{
    /** Beside the table: the embedded media driver's directory. */
    public static final String AERON_DIRECTORY_SUFFIX = ".aeron";

    private final ReplicatorLock lock;
    private final ClusterCounters counters;
    private final AeronTransport transport;
    private final ReplicatorAgent agent;
    private final AsyncLog log;
    private boolean closed;

    private ClusterReplication(final ReplicatorLock lock, final ClusterCounters counters,
        final AeronTransport transport, final ReplicatorAgent agent, final AsyncLog log)
    {
        this.lock = lock;
        this.counters = counters;
        this.transport = transport;
        this.agent = agent;
        this.log = log;
    }

    /**
     * Starts replicating {@code store}, the table at {@code tablePath}, and the spend in {@code countersPath}.
     *
     * @param countersPath this host's counters file, whose records are sent to the other hosts and beside which
     *                     theirs are kept ({@link ClusterCounters}); null to replicate availability only.
     * @param log where the replicator's lines go (one per peer joining or going silent, per remote change, rate
     *            limited, and a summary a minute), from a thread of their own ({@link AsyncLog}).
     * @throws IllegalStateException naming the pid when another replicator runs for this table.
     * @throws ReplicationStartException with Aeron's reason in one line (a port in use, an unknown interface).
     */
    public static ClusterReplication start(final ClusterConfig config, final Path tablePath, final ReplicaStore store,
        final Path countersPath, final Consumer<String> log) throws IOException
    {
        final ReplicatorLock lock = ReplicatorLock.acquire(tablePath);
        final ClusterCounters counters;
        try
        {
            counters = countersPath == null ? null : ClusterCounters.open(countersPath);
        }
        catch (final IOException | RuntimeException failed)
        {
            lock.close();
            throw failed;
        }
        final AsyncLog lines = new AsyncLog(log);
        final AeronTransport transport;
        try
        {
            transport = AeronTransport.start(config,
                tablePath.resolveSibling(tablePath.getFileName() + AERON_DIRECTORY_SUFFIX), lines::line);
        }
        catch (final AeronException | IllegalStateException | IllegalArgumentException failed)
        {
            lines.close();
            closeBoth(counters, lock);
            throw new ReplicationStartException(oneLine(failed));
        }
        catch (final RuntimeException failed)
        {
            lines.close();
            closeBoth(counters, lock);
            throw failed;
        }
        final Replicator replicator = new Replicator(config, store, transport, lines, counters);
        final ReplicatorAgent agent = new ReplicatorAgent(replicator, lines);
        agent.start();
        return new ClusterReplication(lock, counters, transport, agent, lines);
    }

    private static void closeBoth(final ClusterCounters counters, final ReplicatorLock lock) throws IOException
    {
        try
        {
            if (counters != null)
            {
                counters.close();
            }
        }
        finally
        {
            lock.close();
        }
    }

    /** Aeron's messages carry a category and a code before the reason, and sometimes a whole stack of causes. */
    private static String oneLine(final RuntimeException failed)
    {
        Throwable cause = failed;
        while (cause.getCause() != null && cause.getCause() != cause)
        {
            cause = cause.getCause();
        }
        final String message = String.valueOf(cause.getMessage()).replaceAll("\\s+", " ").strip();
        return message.startsWith("ERROR - ") ? message.substring("ERROR - ".length()) : message;
    }

    /** Blocks until the replicator stops: {@link #close} from elsewhere, or a failure (returned). */
    public Throwable awaitStop() throws InterruptedException
    {
        return agent.awaitStop();
    }

    /** The summary line a stop prints. */
    public String summary()
    {
        return agent.stats().toString();
    }

    @Override
    public synchronized void close() throws IOException
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (!agent.stop())
        {
            // The loop is stuck inside Aeron or the table: unmapping what it uses under it could crash the JVM.
            // The process is on its way out; the OS releases the files and the lock.
            log.line("the replicator's thread did not stop within " + ReplicatorAgent.CLOSE_WAIT_MS +
                " ms: leaving Aeron and the files to the OS");
            log.close();
            return;
        }
        transport.close();
        log.close();
        closeBoth(counters, lock);
    }
}
