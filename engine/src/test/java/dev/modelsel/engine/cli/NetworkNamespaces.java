package dev.modelsel.engine.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small network of its own for multi-host tests: one network namespace per host, each joined by a veth pair to a
 * bridge in a hub namespace, with addresses from 198.18.0.0/15 (set aside for network tests, RFC 2544) that exist only
 * inside these namespaces. Names carry this JVM's pid, so two runs never meet; {@link #close} removes everything (a
 * shutdown hook does too, should the test be killed).
 * <p>
 * Needs root and {@code ip}; {@link #unavailableBecause()} says why not where they are missing.
 * <p>
 * Public for the benchmarks' {@code propagation --hosts}, which takes it from the engine's test-jar.
 */
public final class NetworkNamespaces implements AutoCloseable
{
    private static final String SUBNET_PREFIX = "198.18.";

    private final String prefix = "msel" + ProcessHandle.current().pid() % 100_000 + "-";
    private final String hub = prefix + "hub";
    private final List<String> hosts = new ArrayList<>();
    private final Thread cleanup = new Thread(this::removeAll, "modelsel-netns-cleanup");

    private NetworkNamespaces()
    {
    }

    /** @return null when this machine can make namespaces, else why not. */
    public static String unavailableBecause()
    {
        if (!"root".equals(System.getProperty("user.name")))
        {
            return "not root (" + System.getProperty("user.name") + "): network namespaces need root";
        }
        try
        {
            final Process ip = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
            if (!ip.waitFor(10, TimeUnit.SECONDS) || ip.exitValue() != 0)
            {
                return "'ip netns list' fails: " + new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            return null;
        }
        catch (final IOException | InterruptedException ex)
        {
            return "no 'ip' command: " + ex.getMessage();
        }
    }

    /** Makes {@code count} hosts, 198.18.0.1, .2, ... on one bridge. */
    public static NetworkNamespaces create(final int count) throws IOException, InterruptedException
    {
        final NetworkNamespaces network = new NetworkNamespaces();
        Runtime.getRuntime().addShutdownHook(network.cleanup);
        try
        {
            network.ip("netns", "add", network.hub);
            network.inNamespace(network.hub, "ip", "link", "add", "br0", "type", "bridge");
            network.inNamespace(network.hub, "ip", "link", "set", "br0", "up");
            for (int i = 0; i < count; i++)
            {
                network.addHost(i);
            }
            return network;
        }
        catch (final IOException | RuntimeException ex)
        {
            network.close();
            throw ex;
        }
    }

    private void addHost(final int index) throws IOException, InterruptedException
    {
        final String host = prefix + index;
        ip("netns", "add", host);
        hosts.add(host);
        final String outer = "v" + index + "h";
        ip("link", "add", "eth0", "netns", host, "type", "veth", "peer", "name", outer, "netns", hub);
        inNamespace(hub, "ip", "link", "set", outer, "master", "br0");
        inNamespace(hub, "ip", "link", "set", outer, "up");
        inNamespace(host, "ip", "addr", "add", address(index) + "/24", "dev", "eth0");
        inNamespace(host, "ip", "link", "set", "eth0", "up");
        inNamespace(host, "ip", "link", "set", "lo", "up");
    }

    public String address(final int index)
    {
        return SUBNET_PREFIX + "0." + (index + 1);
    }

    public String namespace(final int index)
    {
        return hosts.get(index);
    }

    /** The command line that runs {@code command} inside host {@code index}'s namespace. */
    public List<String> inHost(final int index, final List<String> command)
    {
        final List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", hosts.get(index)));
        line.addAll(command);
        return line;
    }

    /** Cuts host {@code index} off the bridge (true) or joins it back (false). */
    public void partition(final int index, final boolean cut) throws IOException, InterruptedException
    {
        inNamespace(hub, "ip", "link", "set", "v" + index + "h", cut ? "down" : "up");
    }

    private void inNamespace(final String namespace, final String... command) throws IOException, InterruptedException
    {
        final List<String> line = new ArrayList<>(List.of("netns", "exec", namespace));
        line.addAll(List.of(command));
        ip(line.toArray(String[]::new));
    }

    private void ip(final String... args) throws IOException, InterruptedException
    {
        final List<String> line = new ArrayList<>(List.of("ip"));
        line.addAll(List.of(args));
        final Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0)
        {
            throw new IOException(String.join(" ", line) + " failed: " + output.strip());
        }
    }

    private void removeAll()
    {
        for (final String namespace : hostsAndHub())
        {
            try
            {
                new ProcessBuilder("ip", "netns", "delete", namespace).redirectErrorStream(true).start()
                    .waitFor(30, TimeUnit.SECONDS); // deleting a namespace deletes its veth ends, and so the pairs
            }
            catch (final IOException | InterruptedException ignored)
            {
                // best effort on the way out
            }
        }
    }

    private List<String> hostsAndHub()
    {
        final List<String> all = new ArrayList<>(hosts);
        all.add(hub);
        return all;
    }

    @Override
    public void close()
    {
        removeAll();
        try
        {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // the hook runs anyway
        }
    }
}
