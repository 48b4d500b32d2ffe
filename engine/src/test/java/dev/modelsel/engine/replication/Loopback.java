package dev.modelsel.engine.replication;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.function.BooleanSupplier;

/** Replicators driven by the test's own thread over loopback UDP: free ports, and rounds until a condition holds. */
final class Loopback
{
    private Loopback()
    {
    }

    /** Drives every replicator round after round until {@code condition} holds, for at most 20 s. */
    static void await(final Replicator[] replicators, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("not reached in 20 s");
            }
            for (final Replicator replicator : replicators)
            {
                replicator.doWork(System.currentTimeMillis());
            }
            Thread.sleep(1);
        }
    }

    /** Loopback UDP ports free a moment ago. */
    static int[] freePorts(final int count) throws SocketException
    {
        final int[] ports = new int[count];
        final DatagramSocket[] sockets = new DatagramSocket[count];
        for (int i = 0; i < count; i++)
        {
            sockets[i] = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            ports[i] = sockets[i].getLocalPort();
        }
        for (final DatagramSocket socket : sockets)
        {
            socket.close();
        }
        return ports;
    }
}
