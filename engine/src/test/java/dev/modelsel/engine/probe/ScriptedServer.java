package dev.modelsel.engine.probe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server (the JDK's) answering each path from a script: a fixed status, a status sequence, a slow
 * answer. Records what it received and how many requests were in flight at once, in all and per path.
 */
public final class ScriptedServer implements AutoCloseable
{
    /** One answer: status, optional Retry-After, optional delay before answering. */
    public record Answer(int status, String retryAfter, long delayMs)
    {
        public static Answer of(final int status)
        {
            return new Answer(status, null, 0);
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Answer> fixed = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlightPerPath = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostInFlightPerPath = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();

    public ScriptedServer()
    {
        try
        {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::answer);
        server.start();
    }

    /** Every request to {@code path} gets this answer. */
    public ScriptedServer always(final String path, final Answer answer)
    {
        fixed.put(path, answer);
        return this;
    }

    /** Requests to {@code path} get these answers in turn, then the last one again and again. */
    public ScriptedServer sequence(final String path, final Answer... answers)
    {
        scripts.put(path, new ArrayDeque<>(List.of(answers)));
        return this;
    }

    public String url(final String path)
    {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + path;
    }

    public int served(final String path)
    {
        return served.computeIfAbsent(path, p -> new AtomicInteger()).get();
    }

    public int mostInFlight()
    {
        return mostInFlight.get();
    }

    public int mostInFlight(final String path)
    {
        return mostInFlightPerPath.computeIfAbsent(path, p -> new AtomicInteger()).get();
    }

    private void answer(final HttpExchange exchange) throws IOException
    {
        final String path = exchange.getRequestURI().getPath();
        final AtomicInteger pathInFlight = inFlightPerPath.computeIfAbsent(path, p -> new AtomicInteger());
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        mostInFlightPerPath.computeIfAbsent(path, p -> new AtomicInteger())
            .accumulateAndGet(pathInFlight.incrementAndGet(), Math::max);
        boolean answered = false;
        try
        {
            final String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null)
            {
                authorizations.add(authorization);
            }
            final Answer answer = next(path);
            if (answer.delayMs() > 0)
            {
                Thread.sleep(answer.delayMs());
            }
            if (answer.retryAfter() != null)
            {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            // Served, and no longer in flight, once the answer is decided: the client may send its next request (or
            // a test count) as soon as the headers reach it, before this thread runs again.
            answered = true;
            served.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            pathInFlight.decrementAndGet();
            inFlight.decrementAndGet();
            exchange.sendResponseHeaders(answer.status(), -1);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            if (!answered)
            {
                served.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                pathInFlight.decrementAndGet();
                inFlight.decrementAndGet();
            }
            exchange.close();
        }
    }

    private Answer next(final String path)
    {
        final Deque<Answer> script = scripts.get(path);
        if (script != null)
        {
            synchronized (script)
            {
                return script.size() > 1 ? script.poll() : script.peek();
            }
        }
        return fixed.getOrDefault(path, Answer.of(404));
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
