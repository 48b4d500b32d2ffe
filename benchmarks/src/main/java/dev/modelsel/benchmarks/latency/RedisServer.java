package dev.modelsel.benchmarks.latency;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the harness's own for the LiteLLM-style baseline: on a free loopback port, with no
 * persistence (no RDB snapshots, no append-only file) and its log in a file beside the harness's other files;
 * {@link #close} stops it ({@code SHUTDOWN NOSAVE}, then SIGKILL if that does not do).
 * <p>
 * Not thread-safe.
 */
final class RedisServer implements AutoCloseable
{
    /** What the harness prints when there is none, and the fix. */
    static final String MISSING = "no redis-server on PATH (apt-get install redis-server)";

    private final Process process;
    private final int port;
    private final Path log;

    private RedisServer(final Process process, final int port, final Path log)
    {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** @return the {@code redis-server} found on {@code PATH}, or null. */
    static Path find()
    {
        final String path = System.getenv("PATH");
        if (path == null)
        {
            return null;
        }
        for (final String directory : path.split(File.pathSeparator))
        {
            final Path candidate = Path.of(directory.isEmpty() ? "." : directory, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /** Starts {@code executable} and waits until it answers. */
    static RedisServer start(final Path executable, final Path directory) throws IOException, InterruptedException
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort(); // free now; redis binds it a moment later
        }
        final Path log = directory.resolve("redis.log");
        final Process process = new ProcessBuilder(List.of(executable.toString(), "--port", String.valueOf(port),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir",
            directory.toString(), "--loglevel", "warning"))
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final RedisServer server = new RedisServer(process, port, log);
        try
        {
            RespClient.connect(port, 10_000).close(); // answers PING
            return server;
        }
        catch (final IOException ex)
        {
            server.close();
            throw new IOException("redis-server on port " + port + " did not answer: " + ex.getMessage() + "; its " +
                "log: " + server.logTail());
        }
    }

    int port()
    {
        return port;
    }

    /** The server's version, from {@code INFO server}. */
    String version() throws IOException, InterruptedException
    {
        try (RespClient client = RespClient.connect(port, 1_000))
        {
            final String info = client.call(RespClient.encode("INFO", "server"));
            for (final String line : info.split("\r\n"))
            {
                if (line.startsWith("redis_version:"))
                {
                    return line.substring("redis_version:".length());
                }
            }
            return "unknown";
        }
    }

    private String logTail()
    {
        try
        {
            final String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "(empty)" : text.substring(Math.max(0, text.length() - 500));
        }
        catch (final IOException ex)
        {
            return "(unreadable: " + ex.getMessage() + ")";
        }
    }

    @Override
    public void close()
    {
        try
        {
            if (process.isAlive())
            {
                try (RespClient client = RespClient.connect(port, 500))
                {
                    client.call(RespClient.encode("SHUTDOWN", "NOSAVE"));
                }
                catch (final IOException expected)
                {
                    // a shutdown closes the connection instead of answering
                }
                if (!process.waitFor(5, TimeUnit.SECONDS))
                {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
