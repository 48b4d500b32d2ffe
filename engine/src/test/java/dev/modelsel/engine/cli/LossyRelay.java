package dev.modelsel.engine.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A UDP relay that loses datagrams, for tests on kernels without {@code tc netem}: run in a host's network namespace,
 * it stands in for a peer. Each route receives on its listen address and sends each datagram on to its target from a
 * socket of its own; what the target sends back to that socket (Aeron's status messages and NAKs go to the sender's
 * address) goes back, from the listen socket, to the address the route last heard from. Each direction drops
 * {@code --loss} percent of datagrams at random, from {@code --seed}.
 * <pre>
 * java -cp engine/target/test-classes dev.modelsel.engine.cli.LossyRelay \
 *     --route 127.0.0.1:41001=198.18.0.2:40456 [--route ...] --loss 20 --seed 42
 * </pre>
 * Prints its seed and routes at start, then, each second that something moved and once more on SIGTERM, a totals line
 * that {@link #TOTALS_FORMAT} describes. Exits when its standard input ends, so that it never outlives the test that
 * started it.
 * <p>
 * Two threads per route, each the only writer of its direction's random numbers and counts. Public for the
 * benchmarks' {@code propagation --hosts}, which runs it from the engine's test-jar.
 */
public final class LossyRelay
{
    /** The totals line: datagrams received on every route in both directions, and how many of them were dropped. */
    public static final String TOTALS_FORMAT = "relay: %d datagrams, %d dropped (forward %d/%d, back %d/%d)";

    private static final int FORWARD_IN = 0;
    private static final int FORWARD_DROPPED = 1;
    private static final int BACK_IN = 2;
    private static final int BACK_DROPPED = 3;

    private final InetSocketAddress listen;
    private final InetSocketAddress target;
    private final DatagramSocket listenSocket;
    private final DatagramSocket targetSocket;
    private final AtomicLongArray counts = new AtomicLongArray(4);
    private volatile SocketAddress lastSender;

    private LossyRelay(final InetSocketAddress listen, final InetSocketAddress target) throws IOException
    {
        this.listen = listen;
        this.target = target;
        listenSocket = new DatagramSocket(listen);
        targetSocket = new DatagramSocket(0);
        listenSocket.setReceiveBufferSize(1 << 21);
        targetSocket.setReceiveBufferSize(1 << 21);
    }

    public static void main(final String[] args) throws Exception
    {
        final List<LossyRelay> routes = new ArrayList<>();
        int lossPercent = -1;
        long seed = 0;
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--route" ->
                {
                    final String[] ends = args[i + 1].split("=", 2);
                    routes.add(new LossyRelay(address(ends[0]), address(ends[1])));
                }
                case "--loss" -> lossPercent = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (routes.isEmpty() || lossPercent < 0 || lossPercent > 100 || args.length % 2 != 0)
        {
            throw new IllegalArgumentException("usage: --route LISTEN=TARGET [--route ...] --loss 0..100 --seed N");
        }
        final StringBuilder start = new StringBuilder("relay: seed " + seed + ", loss " + lossPercent + "%");
        for (int r = 0; r < routes.size(); r++)
        {
            final LossyRelay route = routes.get(r);
            start.append(", ").append(text(route.listen)).append(" -> ").append(text(route.target));
            route.start(lossPercent, new SplittableRandom(seed + 2L * r), new SplittableRandom(seed + 2L * r + 1));
        }
        System.out.println(start);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(totals(routes))));
        final Thread parent = new Thread(LossyRelay::exitWhenStandardInputEnds, "relay-stdin");
        parent.setDaemon(true);
        parent.start();
        for (String printed = ""; ; )
        {
            Thread.sleep(1_000);
            final String now = totals(routes);
            if (!now.equals(printed))
            {
                System.out.println(now);
                printed = now;
            }
        }
    }

    private void start(final int lossPercent, final SplittableRandom forward, final SplittableRandom back)
    {
        daemon(() -> relay(listenSocket, targetSocket, true, lossPercent, forward), "relay-to-" + text(target));
        daemon(() -> relay(targetSocket, listenSocket, false, lossPercent, back), "relay-from-" + text(target));
    }

    private void relay(final DatagramSocket from, final DatagramSocket to, final boolean forward,
        final int lossPercent, final SplittableRandom random)
    {
        final int in = forward ? FORWARD_IN : BACK_IN;
        final int dropped = forward ? FORWARD_DROPPED : BACK_DROPPED;
        final DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        try
        {
            while (true)
            {
                packet.setLength(65_536);
                from.receive(packet);
                final SocketAddress destination;
                if (forward)
                {
                    lastSender = packet.getSocketAddress();
                    destination = target;
                }
                else
                {
                    destination = lastSender;
                }
                counts.incrementAndGet(in);
                if (random.nextInt(100) < lossPercent)
                {
                    counts.incrementAndGet(dropped);
                }
                else if (destination != null)
                {
                    packet.setSocketAddress(destination);
                    to.send(packet);
                }
            }
        }
        catch (final IOException ex)
        {
            System.out.println("relay: " + text(listen) + " -> " + text(target) + " stopped: " + ex);
        }
    }

    private static String totals(final List<LossyRelay> routes)
    {
        final long[] sum = new long[4];
        for (final LossyRelay route : routes)
        {
            for (int i = 0; i < sum.length; i++)
            {
                sum[i] += route.counts.get(i);
            }
        }
        return String.format(TOTALS_FORMAT, sum[FORWARD_IN] + sum[BACK_IN], sum[FORWARD_DROPPED] + sum[BACK_DROPPED],
            sum[FORWARD_DROPPED], sum[FORWARD_IN], sum[BACK_DROPPED], sum[BACK_IN]);
    }

    private static void exitWhenStandardInputEnds()
    {
        try (InputStream in = System.in)
        {
            while (in.read() >= 0)
            {
                // nothing is expected on it: only its end
            }
        }
        catch (final IOException ignored)
        {
            // as good as its end
        }
        System.exit(0);
    }

    private static void daemon(final Runnable task, final String name)
    {
        final Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static String text(final InetSocketAddress address)
    {
        return address.getHostString() + ":" + address.getPort();
    }

    private static InetSocketAddress address(final String hostPort)
    {
        final int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
