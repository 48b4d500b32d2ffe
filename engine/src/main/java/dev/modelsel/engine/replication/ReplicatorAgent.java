package dev.modelsel.engine.replication;

import dev.modelsel.engine.jvm.TimerSlack;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link Replicator} on its own thread until {@link #stop}: a busy loop that backs off to 100 µs parks
 * when idle, and logs a summary every {@link #SUMMARY_INTERVAL_MS}. The thread also runs the embedded media driver
 * ({@link AeronTransport#poll}), so it is the host's only replication thread. It lowers its own timer slack
 * ({@link TimerSlack}) so that a park of 100 µs wakes after about 120 µs, not 170: a change waits on average about
 * 60 µs for the loop on each side to notice it, and an idle replicator costs about 14 % of one core on this
 * project's 2-vCPU machine (9 % at Linux's default slack, at the price of 25 µs more on each side).
 * <p>
 * Thread-safe: {@link #stop} may come from any thread (a shutdown hook).
 */
final class ReplicatorAgent
{
    static final long SUMMARY_INTERVAL_MS = 60_000;
    /** How long {@link #stop} waits for the loop to end. */
    static final long CLOSE_WAIT_MS = 10_000;
    /** The thread's timer slack: Linux's default 50 µs would add up to that much to every idle park. */
    static final long TIMER_SLACK_NS = 1_000;

    private final Replicator replicator;
    private final ReplicationLog log;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Throwable failure;

    ReplicatorAgent(final Replicator replicator, final ReplicationLog log)
    {
        this.replicator = replicator;
        this.log = log;
        this.thread = new Thread(this::loop, "modelsel-replicator");
    }

    void start()
    {
        thread.start();
    }

    private void loop()
    {
        final String slackRefused = TimerSlack.setForThisThread(TIMER_SLACK_NS);
        if (slackRefused != null)
        {
            log.line("idle parks may wake up to 50 µs late: " + slackRefused);
        }
        final IdleStrategy idle = new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MICROSECONDS.toNanos(100));
        long nextSummaryMs = System.currentTimeMillis() + SUMMARY_INTERVAL_MS;
        try
        {
            while (running)
            {
                final long nowMs = System.currentTimeMillis();
                idle.idle(replicator.doWork(nowMs));
                if (nowMs >= nextSummaryMs)
                {
                    log.line("summary: " + replicator.stats());
                    nextSummaryMs = nowMs + SUMMARY_INTERVAL_MS;
                }
            }
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
            log.line("stopped by a failure: " + ex);
        }
        finally
        {
            stopped.countDown();
        }
    }

    /** Waits until the loop ends (a failure, or {@link #stop} from elsewhere). @return its failure, or null. */
    Throwable awaitStop() throws InterruptedException
    {
        stopped.await();
        return failure;
    }

    ReplicationStats stats()
    {
        return replicator.stats();
    }

    /** Stops the loop. @return whether it ended within {@link #CLOSE_WAIT_MS}. */
    boolean stop()
    {
        running = false;
        try
        {
            return stopped.await(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
