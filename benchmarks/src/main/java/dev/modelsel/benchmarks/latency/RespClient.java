package dev.modelsel.benchmarks.latency;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Just enough of Redis's protocol (RESP2) for the propagation harness's baseline, over one blocking TCP socket, so
 * that the baseline needs no new dependency: a command is sent whole and its reply read whole before the next, as
 * redis-py does without a pipeline. Commands are encoded once ({@link #encode}) and sent as bytes.
 * <p>
 * Not thread-safe: one per thread.
 */
final class RespClient implements AutoCloseable
{
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RespClient(final InputStream in, final OutputStream out)
    {
        this.socket = null;
        this.in = in;
        this.out = out;
    }

    private RespClient(final Socket socket) throws IOException
    {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    /** Connects to a server on the loopback address, retrying until it answers {@code PING} or the time is up. */
    static RespClient connect(final int port, final long timeoutMs) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            try
            {
                final Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                final RespClient client = new RespClient(socket);
                final String pong = client.call(encode("PING"));
                if (!"PONG".equals(pong))
                {
                    client.close();
                    throw new IOException("redis on port " + port + " answered PING with " + pong);
                }
                return client;
            }
            catch (final IOException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    throw ex;
                }
                Thread.sleep(20);
            }
        }
    }

    /** A command as RESP sends it: an array of bulk strings. */
    static byte[] encode(final String... args)
    {
        final StringBuilder command = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (final String arg : args)
        {
            command.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
                .append("\r\n");
        }
        return command.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Sends a command whose reply is one line: a status ({@code +OK}), an integer ({@code :1}) or a bulk string.
     *
     * @return the reply's text, or null for a nil bulk string.
     * @throws IOException for an error reply ({@code -ERR ...}), with its text.
     */
    String call(final byte[] command) throws IOException
    {
        send(command);
        final int type = read();
        final String line = line();
        switch (type)
        {
            case '+':
            case ':':
                return line;
            case '$':
                final int length = Integer.parseInt(line);
                if (length < 0)
                {
                    return null;
                }
                final byte[] bulk = in.readNBytes(length);
                skipCrLf();
                return new String(bulk, StandardCharsets.UTF_8);
            case '-':
                throw new IOException("redis: " + line);
            default:
                throw new IOException("redis: unexpected reply type '" + (char)type + "'");
        }
    }

    /**
     * Sends a command whose reply is an array of bulk strings ({@code MGET}) and notes which were there.
     *
     * @param present set to whether each element is a value (true) or nil; its length must be the reply's.
     */
    void callForPresence(final byte[] command, final boolean[] present) throws IOException
    {
        send(command);
        final int type = read();
        if (type == '-')
        {
            throw new IOException("redis: " + line());
        }
        if (type != '*')
        {
            throw new IOException("redis: expected an array, not '" + (char)type + "'");
        }
        final long count = number();
        if (count != present.length)
        {
            throw new IOException("redis: " + count + " values for " + present.length + " keys");
        }
        for (int i = 0; i < present.length; i++)
        {
            if (read() != '$')
            {
                throw new IOException("redis: expected a bulk string in the array");
            }
            final long length = number();
            present[i] = length >= 0;
            if (length >= 0)
            {
                in.skipNBytes(length);
                skipCrLf();
            }
        }
    }

    private void send(final byte[] command) throws IOException
    {
        out.write(command);
        out.flush();
    }

    /** The number on the rest of the line, without making a string of it. */
    private long number() throws IOException
    {
        long value = 0;
        boolean negative = false;
        for (int b = read(); b != '\r'; b = read())
        {
            if (b == '-')
            {
                negative = true;
            }
            else
            {
                value = value * 10 + (b - '0');
            }
        }
        if (read() != '\n')
        {
            throw new IOException("redis: a line that does not end in CRLF");
        }
        return negative ? -value : value;
    }

    private String line() throws IOException
    {
        final StringBuilder line = new StringBuilder();
        for (int b = read(); b != '\r'; b = read())
        {
            line.append((char)b);
        }
        if (read() != '\n')
        {
            throw new IOException("redis: a line that does not end in CRLF");
        }
        return line.toString();
    }

    private void skipCrLf() throws IOException
    {
        if (read() != '\r' || read() != '\n')
        {
            throw new IOException("redis: a bulk string that does not end in CRLF");
        }
    }

    private int read() throws IOException
    {
        final int b = in.read();
        if (b < 0)
        {
            throw new EOFException("redis closed the connection");
        }
        return b;
    }

    @Override
    public void close() throws IOException
    {
        if (socket != null)
        {
            socket.close();
        }
    }
}
