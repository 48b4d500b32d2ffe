package dev.modelsel.engine.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server on a raw {@link ServerSocket}, for what the JDK's server will not do: close a kept-alive
 * connection at a chosen moment, reset it, or never answer. Counts every request it receives, answered or not.
 */
final class RawServer implements AutoCloseable
{
    enum Behaviour
    {
        /**
         * Answers the first request on a connection 200 with keep-alive, then closes the connection as soon as the
         * next request arrives, without answering it: the race of a server that closed an idle connection just as
         * the client reused it, made certain.
         */
        CLOSE_ON_REUSE,
        /** Resets every connection (RST) once a request has arrived, without answering. */
        RESET,
        /** Reads each request and never answers. */
        SILENT
    }

    private static final int END_OF_HEAD = '\r' << 24 | '\n' << 16 | '\r' << 8 | '\n';
    private static final byte[] OK_KEEP_ALIVE =
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Behaviour behaviour;
    private final ServerSocket socket;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();

    RawServer(final Behaviour behaviour)
    {
        this.behaviour = behaviour;
        try
        {
            socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final Thread acceptor = new Thread(this::accept, "raw-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url(final String path)
    {
        return "http://" + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort() + path;
    }

    /** Requests received, answered or not. */
    int requests()
    {
        return requests.get();
    }

    int answered()
    {
        return answered.get();
    }

    private void accept()
    {
        while (!socket.isClosed())
        {
            try
            {
                final Socket connection = socket.accept();
                open.add(connection);
                final Thread thread = new Thread(() -> serve(connection), "raw-server-connection");
                thread.setDaemon(true);
                thread.start();
            }
            catch (final IOException closed)
            {
                return;
            }
        }
    }

    private void serve(final Socket connection)
    {
        try (connection)
        {
            final InputStream in = connection.getInputStream();
            if (!readRequest(in))
            {
                return;
            }
            switch (behaviour)
            {
                case CLOSE_ON_REUSE:
                    connection.getOutputStream().write(OK_KEEP_ALIVE);
                    connection.getOutputStream().flush();
                    answered.incrementAndGet();
                    readRequest(in);
                    break;
                case RESET:
                    connection.setSoLinger(true, 0);
                    break;
                default:
                    while (readRequest(in))
                    {
                        // never answered
                    }
            }
        }
        catch (final IOException ex)
        {
            // the client went away or close() closed it
        }
        finally
        {
            open.remove(connection);
        }
    }

    /** Reads up to the blank line that ends a request without a body; false at end of stream. */
    private boolean readRequest(final InputStream in) throws IOException
    {
        int lastFour = 0;
        for (int b = in.read(); b != -1; b = in.read())
        {
            lastFour = lastFour << 8 | b;
            if (lastFour == END_OF_HEAD)
            {
                requests.incrementAndGet();
                return true;
            }
        }
        return false;
    }

    @Override
    public void close()
    {
        try
        {
            socket.close();
        }
        catch (final IOException ex)
        {
            // closing anyway
        }
        for (final Socket connection : open)
        {
            try
            {
                connection.close();
            }
            catch (final IOException ex)
            {
                // closing anyway
            }
        }
    }
}
