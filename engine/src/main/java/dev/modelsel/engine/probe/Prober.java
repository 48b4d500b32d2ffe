package dev.modelsel.engine.probe;

import dev.modelsel.engine.availability.AvailabilityTable;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLException;

/**
 * Probes models out of band and writes what it learns to an availability table, so that selectors never wait on a
 * test request. Each probe is one HTTP request with the JDK's {@link HttpClient} (the only network use in modelsel);
 * its result goes through a {@link ProbeJudge}. A request whose connection ended before any answer, as a kept-alive
 * connection the server has just closed does when it is reused, is sent once more on a new connection before it counts
 * as a failure ({@link #endedBeforeAnswering}).
 * <p>
 * {@link #probeOnce()} probes every model once; {@link #start()} probes each model again and again, the wait between
 * two probes of a model jittered by ±10% around the interval so that models and processes drift apart. A model's
 * next probe is scheduled only when its last one is done, so at most one probe per model is in flight, and a pool of
 * {@code max_concurrent} threads bounds them all. Thread-safe; {@link #close()} stops probing and waits for the
 * probes in flight.
 */
public final class Prober implements AutoCloseable
{
    private static final double JITTER = 0.1;
    private static final long FIRST_ROUND_SPREAD_MS = 1_000;
    /** The JDK client's words (Java 17 to 25) for a connection that ended before the first byte of an answer. */
    private static final String NO_BYTES_RECEIVED = "header parser received no bytes";

    private final ProbeConfig config;
    private final ProbeJudge judge;
    private final ProbeListener listener;
    private final HttpClient client;
    private final FreshClients freshClients;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final AtomicLong probesSent = new AtomicLong();
    private volatile boolean running;

    public Prober(final ProbeConfig config, final AvailabilityTable table, final ProbeListener listener)
    {
        this.config = config;
        this.judge = new ProbeJudge(table, config.failuresToDown(), System::currentTimeMillis);
        this.listener = listener;
        this.client = newClient(config);
        this.freshClients = new FreshClients(() -> newClient(config));
        this.workers = Executors.newFixedThreadPool(config.maxConcurrent(), daemonThreads("modelsel-probe"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("modelsel-probe-timer"));
    }

    /**
     * Probes every model once, {@code max_concurrent} at a time, and writes the results.
     *
     * @return the verdicts in the configuration's order.
     */
    public List<ProbeVerdict> probeOnce() throws InterruptedException
    {
        final List<Callable<ProbeVerdict>> probes = new ArrayList<>();
        config.probes().forEach(target -> probes.add(() -> judge.judge(probe(target))));
        final List<ProbeVerdict> verdicts = new ArrayList<>();
        for (final Future<ProbeVerdict> verdict : workers.invokeAll(probes))
        {
            try
            {
                verdicts.add(verdict.get());
            }
            catch (final ExecutionException ex)
            {
                if (ex.getCause() instanceof InterruptedException)
                {
                    throw (InterruptedException)ex.getCause();
                }
                throw ex.getCause() instanceof RuntimeException ? (RuntimeException)ex.getCause() :
                    new IllegalStateException(ex.getCause());
            }
        }
        return verdicts;
    }

    /**
     * Probes every model at the configured interval until {@link #close()}. The first round is spread over a tenth
     * of the interval, at most a second: a restarted prober brings the table up to date at once.
     */
    public void start()
    {
        running = true;
        final double spreadMs = Math.min(FIRST_ROUND_SPREAD_MS, config.intervalMs() * JITTER);
        for (final ProbeTarget target : config.probes())
        {
            schedule(target, (long)(ThreadLocalRandom.current().nextDouble() * spreadMs));
        }
    }

    /** Probes sent since this prober was made. */
    public long probesSent()
    {
        return probesSent.get();
    }

    /**
     * Stops at once: nothing more is scheduled or sent, queued probes are dropped, probes in flight are abandoned
     * (their results are not written: a half-finished probe says nothing) and their threads given a second to end.
     */
    @Override
    public void close()
    {
        running = false;
        timer.shutdownNow();
        workers.shutdownNow();
        try
        {
            workers.awaitTermination(1, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        freshClients.close();
    }

    private static HttpClient newClient(final ProbeConfig config)
    {
        return HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER) // a redirect is reported as a configuration problem
            .connectTimeout(Duration.ofMillis(config.longestTimeoutMs()))
            .build();
    }

    private void schedule(final ProbeTarget target, final long delayMs)
    {
        try
        {
            if (running)
            {
                timer.schedule(() -> workers.execute(() -> probeAndReschedule(target)), delayMs, TimeUnit.MILLISECONDS);
            }
        }
        catch (final RejectedExecutionException closing)
        {
            // close() ran between the check and the call: nothing more to schedule
        }
    }

    private void probeAndReschedule(final ProbeTarget target)
    {
        if (!running)
        {
            return;
        }
        try
        {
            final ProbeResult result = probe(target);
            if (running)
            {
                listener.onVerdict(judge.judge(result));
            }
        }
        catch (final RuntimeException ex)
        {
            listener.onError(target.model(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt(); // closing: no verdict, and schedule() sees running is false
        }
        finally
        {
            final double jitter = 1 + JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
            schedule(target, Math.max(1, (long)(config.intervalMs() * jitter)));
        }
    }

    /**
     * One request, or two: see {@link #endedBeforeAnswering}. Only the status line and headers are read. An
     * interrupted probe has no result: it is no failure.
     */
    ProbeResult probe(final ProbeTarget target) throws InterruptedException
    {
        final long startNs = System.nanoTime();
        probesSent.incrementAndGet();
        final IOException failure;
        try
        {
            return answered(target, send(client, target, target.timeoutMs()), startNs);
        }
        catch (final IOException ex)
        {
            failure = ex;
        }
        if (!endedBeforeAnswering(failure))
        {
            return ProbeResult.failed(target.model(), describe(failure, target.timeoutMs()), elapsedMs(startNs));
        }
        return retryOnANewConnection(target, startNs);
    }

    /** The second and last request of a probe, within what is left of its timeout. */
    private ProbeResult retryOnANewConnection(final ProbeTarget target, final long startNs) throws InterruptedException
    {
        final long timeoutMs = Math.max(1, target.timeoutMs() - elapsedMs(startNs));
        final HttpClient fresh = freshClients.take();
        final HttpResponse<InputStream> response;
        try
        {
            response = send(fresh, target, timeoutMs);
        }
        catch (final IOException ex)
        {
            if (endedBeforeAnswering(ex))
            {
                freshClients.giveBack(fresh);
            }
            else
            {
                freshClients.drop(fresh);
            }
            return ProbeResult.failed(target.model(), describe(ex, target.timeoutMs()) + " (again on a new connection)",
                elapsedMs(startNs));
        }
        freshClients.drop(fresh);
        return answered(target, response, startNs);
    }

    /**
     * Whether a request failed because its connection ended, by an orderly close or a reset, before the first byte
     * of an answer: the JDK's client then says its "header parser received no bytes". It is what a server that
     * closed a kept-alive connection while the client was reusing it looks like, so such a probe is sent once more,
     * at once, on a new connection, and only a second failure counts. Timeouts, refused connections, unknown hosts,
     * TLS failures, answers cut off after their first byte, and any HTTP status are never retried.
     */
    static boolean endedBeforeAnswering(final IOException failure)
    {
        if (failure instanceof HttpTimeoutException || failure instanceof ConnectException ||
            failure instanceof SSLException)
        {
            return false;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            if (cause.getMessage() != null && cause.getMessage().contains(NO_BYTES_RECEIVED))
            {
                return true;
            }
        }
        return false;
    }

    private static HttpResponse<InputStream> send(final HttpClient client, final ProbeTarget target,
        final long timeoutMs) throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(target.url())
            .timeout(Duration.ofMillis(timeoutMs))
            .method(target.method(), HttpRequest.BodyPublishers.noBody());
        target.headers().forEach(request::header);
        final HttpResponse<InputStream> response = client.send(request.build(),
            HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response;
    }

    private static ProbeResult answered(final ProbeTarget target, final HttpResponse<?> response, final long startNs)
    {
        return ProbeResult.answered(target.model(), response.statusCode(),
            response.headers().firstValue("Retry-After").orElse(null), elapsedMs(startNs));
    }

    private static String describe(final IOException failure, final long timeoutMs)
    {
        if (failure instanceof HttpConnectTimeoutException)
        {
            return "connection timed out";
        }
        if (failure instanceof HttpTimeoutException)
        {
            return "no answer within " + timeoutMs + " ms";
        }
        if (failure instanceof ConnectException)
        {
            return causedBy(failure, UnresolvedAddressException.class) ? "host not found" :
                "connection refused" + (failure.getMessage() == null ? "" : " (" + failure.getMessage() + ")");
        }
        if (failure instanceof SSLException)
        {
            return "TLS failure: " + failure.getMessage();
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    private static boolean causedBy(final Throwable failure, final Class<? extends Throwable> kind)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            if (kind.isInstance(cause))
            {
                return true;
            }
        }
        return false;
    }

    private static long elapsedMs(final long startNs)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }

    private static ThreadFactory daemonThreads(final String name)
    {
        final AtomicInteger count = new AtomicInteger();
        return runnable ->
        {
            final Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
