package dev.modelsel.engine.probe;

import java.net.http.HttpClient;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * HTTP clients that hold no open connection, so that a request through one is sent on a new connection: the JDK's
 * client gives no other way to keep a request off its pool of kept-alive connections. A client lent by
 * {@link #take()} comes back through {@link #giveBack} when its request ended without an answer (the connection is
 * closed, the pool still empty), or is dropped through {@link #drop} when it was answered (its connection may now be
 * pooled). So a server that keeps failing reuses a few clients, and only answered retries, which are rare, cost a
 * new one.
 * <p>
 * Thread-safe. At most as many clients are kept as were lent at once.
 */
final class FreshClients implements AutoCloseable
{
    private final Supplier<HttpClient> factory;
    private final ConcurrentLinkedQueue<HttpClient> unused = new ConcurrentLinkedQueue<>();

    FreshClients(final Supplier<HttpClient> factory)
    {
        this.factory = factory;
    }

    HttpClient take()
    {
        final HttpClient client = unused.poll();
        return client != null ? client : factory.get();
    }

    /** Only for a client whose request got no answer and left no connection open. */
    void giveBack(final HttpClient client)
    {
        unused.offer(client);
    }

    void drop(final HttpClient client)
    {
        closeIfClosable(client);
    }

    @Override
    public void close()
    {
        for (HttpClient client = unused.poll(); client != null; client = unused.poll())
        {
            closeIfClosable(client);
        }
    }

    /** From Java 21 a client can be closed; on 17 its thread ends once the client is garbage. */
    private static void closeIfClosable(final HttpClient client)
    {
        if (client instanceof AutoCloseable)
        {
            try
            {
                ((AutoCloseable)client).close();
            }
            catch (final Exception ex)
            {
                // nothing pending: closing cannot fail in a way that matters here
            }
        }
    }
}
