package dev.modelsel.engine.replication;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The replicator's lines, written by a thread of their own: the replicator's loop hands a line over and goes on, so
 * a log that cannot be written (stdout a pipe nobody reads, a terminal paused with Ctrl-S, a full disk) never stops
 * replication. When the queue is full the line is dropped and counted; the count is written when the writer catches
 * up.
 * <p>
 * Thread-safe.
 */
final class AsyncLog implements ReplicationLog, AutoCloseable
{
    static final int CAPACITY = 1_024;
    /** How long {@link #close} waits for the lines still queued: a stalled log must not hold the stop up for long. */
    private static final long CLOSE_WAIT_MS = 2_000;

    private final ArrayBlockingQueue<String> lines = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Consumer<String> sink;
    private final Thread writer;
    private volatile boolean closing;

    AsyncLog(final Consumer<String> sink)
    {
        this.sink = sink;
        this.writer = new Thread(this::write, "modelsel-replicator-log");
        writer.setDaemon(true); // a writer stuck on stdout must not keep the JVM from exiting
        writer.start();
    }

    @Override
    public void line(final String line)
    {
        if (!lines.offer(line))
        {
            dropped.incrementAndGet();
        }
    }

    private void write()
    {
        try
        {
            while (!closing || !lines.isEmpty())
            {
                final String line = lines.poll(100, TimeUnit.MILLISECONDS);
                final long lost = dropped.getAndSet(0);
                if (lost > 0)
                {
                    sink.accept(lost + " log lines dropped: the log was not written fast enough");
                }
                if (line != null)
                {
                    sink.accept(line);
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued, waiting at most {@link #CLOSE_WAIT_MS}. */
    @Override
    public void close()
    {
        closing = true;
        try
        {
            writer.join(CLOSE_WAIT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
