package dev.modelsel.engine.replication;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentInvoker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The replicator's messaging, on Aeron: one subscription on this host's endpoint (or the multicast group), and one
 * publication to each peer (or to the group). Every message is one datagram ({@link WireDescriptor}); Aeron
 * retransmits what a connected peer lost, and what cannot be sent at all (a peer not connected, back pressure that
 * does not clear) is dropped here and repaired by the next snapshot.
 * <p>
 * By default it embeds a media driver sized for a small host: 64 KiB terms, in its own directory, and no thread of its
 * own: the driver's duty cycle (conductor, sender, receiver) and the client's conductor run in {@link #poll}, on the
 * replicator's thread ({@link ThreadingMode#INVOKER}). One thread a host instead of three: a change crosses no hand-off
 * between threads that each sleep when idle, and on a small host the replicator takes one core's share, not three.
 * {@code aeron_dir:} names an external driver instead (its client conductor still runs in {@link #poll}).
 * <p>
 * Not thread-safe: one thread at a time drives it (the replicator's, once started).
 */
final class AeronTransport implements AutoCloseable
{
    static final int STREAM_ID = 0x6D73; // "ms"
    private static final int TERM_LENGTH = 64 * 1024;
    /** Offers retried on back pressure or an admin action before the message is given up. */
    private static final int OFFER_ATTEMPTS = 3;
    /**
     * How long the one thread may go without servicing the embedded driver and the client before Aeron declares
     * them dead (its default is 10 s): the replicator's loop can stall that long on a merge that waits for a
     * segment lock or on a slow disk, and Aeron's verdict would end replication for good.
     */
    static final long EMBEDDED_LIVENESS_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(10);
    /** Stream events ("joined", "left") and Aeron's own errors logged a minute, each; the rest are counted. */
    private static final int EVENT_LINES_PER_MINUTE = 10;

    /** What became of one {@link #send}. */
    static final class SendCounts
    {
        long sent;
        long notConnected;
        long backPressured;
        long failed;
    }

    private final MediaDriver driver;
    private final AgentInvoker driverInvoker;
    private final Aeron aeron;
    private final AgentInvoker clientInvoker;
    private final Subscription subscription;
    private final List<Publication> publications = new ArrayList<>();
    private final List<String> publicationChannels = new ArrayList<>();
    private final SendCounts counts = new SendCounts();

    private AeronTransport(final MediaDriver driver, final Aeron aeron, final Subscription subscription)
    {
        this.driver = driver;
        this.driverInvoker = driver == null ? null : driver.sharedAgentInvoker();
        this.aeron = aeron;
        this.clientInvoker = aeron.conductorAgentInvoker(); // null with an external driver: its own thread
        this.subscription = subscription;
    }

    /**
     * Starts the driver (unless external) and the channels.
     *
     * @param embeddedDirectory where an embedded driver keeps its files (its own: deleted at start and at close).
     * @param events            told "stream joined ADDRESS" / "stream left ADDRESS" as peers' streams come and go, and
     *                          Aeron's own errors, at most {@link #EVENT_LINES_PER_MINUTE} of each a minute (anyone
     *                          who reaches the port can make streams come and go).
     * @throws AeronException or another runtime exception with Aeron's reason (a port in use, an unknown interface).
     */
    static AeronTransport start(final ClusterConfig config, final Path embeddedDirectory,
        final Consumer<String> events)
    {
        final LimitedLines streamLines = new LimitedLines(events, EVENT_LINES_PER_MINUTE, "stream events");
        final LimitedLines errorLines = new LimitedLines(events, EVENT_LINES_PER_MINUTE, "Aeron errors");
        MediaDriver driver = null;
        Aeron aeron = null;
        try
        {
            final String directory;
            if (config.aeronDirectory() == null)
            {
                driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                    .aeronDirectoryName(embeddedDirectory.toString())
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .threadingMode(ThreadingMode.INVOKER)
                    .clientLivenessTimeoutNs(TimeUnit.MILLISECONDS.toNanos(EMBEDDED_LIVENESS_TIMEOUT_MS))
                    .publicationUnblockTimeoutNs(TimeUnit.MILLISECONDS.toNanos(2 * EMBEDDED_LIVENESS_TIMEOUT_MS))
                    .termBufferSparseFile(true) // a stranger's stream costs the pages it fills, not its term length
                    .errorHandler(error -> errorLines.line("aeron: " + oneLine(error)))
                    .publicationTermBufferLength(TERM_LENGTH)
                    .ipcTermBufferLength(TERM_LENGTH)
                    .warnIfDirectoryExists(false)
                    .printConfigurationOnStart(false));
                directory = driver.aeronDirectoryName();
            }
            else
            {
                directory = config.aeronDirectory().toString();
            }
            final Aeron.Context client = new Aeron.Context()
                .aeronDirectoryName(directory)
                .errorHandler(error -> errorLines.line("aeron: " + oneLine(error)))
                .subscriberErrorHandler(error -> errorLines.line("aeron: " + oneLine(error)))
                .availableImageHandler(image -> streamLines.line("stream joined " + image.sourceIdentity()))
                .unavailableImageHandler(image -> streamLines.line("stream left " + image.sourceIdentity()));
            if (driver != null)
            {
                client.useConductorAgentInvoker(true)
                    .driverAgentInvoker(driver.sharedAgentInvoker())
                    .driverTimeoutMs(EMBEDDED_LIVENESS_TIMEOUT_MS);
            }
            aeron = Aeron.connect(client);
            final String inbound = config.multicast() != null ? multicastChannel(config) :
                new ChannelUriStringBuilder().media("udp").endpoint(config.listen().toString()).build();
            final AeronTransport transport = new AeronTransport(driver, aeron, aeron.addSubscription(inbound,
                STREAM_ID));
            if (config.multicast() != null)
            {
                transport.addPublication(inbound);
            }
            else
            {
                for (final ClusterConfig.Endpoint peer : config.peers())
                {
                    transport.addPublication(new ChannelUriStringBuilder().media("udp").endpoint(peer.toString())
                        .termLength(config.aeronDirectory() == null ? null : TERM_LENGTH).build());
                }
            }
            return transport;
        }
        catch (final RuntimeException failed)
        {
            closeQuietly(aeron);
            closeQuietly(driver);
            throw failed;
        }
    }

    private static String multicastChannel(final ClusterConfig config)
    {
        final ChannelUriStringBuilder channel = new ChannelUriStringBuilder().media("udp")
            .endpoint(config.multicast().toString());
        if (config.multicastInterface() != null)
        {
            channel.networkInterface(config.multicastInterface());
        }
        return channel.build();
    }

    private void addPublication(final String channel)
    {
        publications.add(aeron.addPublication(channel, STREAM_ID));
        publicationChannels.add(channel);
    }

    /**
     * Offers one message to every peer; what cannot be sent is counted.
     *
     * @return false when a connected peer's stream was back-pressured (it has not taken what it was sent): the
     *         caller may offer the message again later, which the other peers then get twice (merging is idempotent).
     */
    boolean send(final DirectBuffer buffer, final int length)
    {
        boolean taken = true;
        for (int i = 0; i < publications.size(); i++)
        {
            taken &= offer(i, buffer, length);
        }
        return taken;
    }

    /** @return false when back-pressured. */
    private boolean offer(final int index, final DirectBuffer buffer, final int length)
    {
        for (int attempt = 1; ; attempt++)
        {
            final Publication publication = publications.get(index);
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                counts.sent++;
                return true;
            }
            if (result == Publication.NOT_CONNECTED)
            {
                counts.notConnected++; // no peer there yet: the snapshots it gets on joining repair it
                return true;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                // The driver closed it, or it ran out of positions after a very long life: a fresh one goes on.
                publication.close();
                publications.set(index, aeron.addPublication(publicationChannels.get(index), STREAM_ID));
                counts.failed++;
                return true;
            }
            if (attempt == OFFER_ATTEMPTS) // BACK_PRESSURED or ADMIN_ACTION that did not clear at once
            {
                counts.backPressured++;
                return false;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * One duty cycle of the embedded driver and the client's conductor (sending what was offered, taking in what
     * arrived), then delivers up to {@code limit} received messages to {@code handler}. @return the work done.
     */
    int poll(final FragmentHandler handler, final int limit)
    {
        int work = driverInvoker == null ? 0 : driverInvoker.invoke();
        work += clientInvoker == null ? 0 : clientInvoker.invoke();
        return work + subscription.poll(handler, limit);
    }

    /** Whether any peer's stream is connected to this host's subscription. */
    int connectedPeers()
    {
        int count = 0;
        for (final Image image : subscription.images())
        {
            if (!image.isClosed())
            {
                count++;
            }
        }
        return count;
    }

    SendCounts counts()
    {
        return counts;
    }

    @Override
    public void close()
    {
        for (final Publication publication : publications)
        {
            closeQuietly(publication);
        }
        closeQuietly(subscription);
        closeQuietly(aeron);
        closeQuietly(driver);
    }

    private static String oneLine(final Throwable error)
    {
        return (error.getClass().getSimpleName() + ": " + error.getMessage()).replaceAll("\\s+", " ").strip();
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        if (closeable == null)
        {
            return;
        }
        try
        {
            closeable.close();
        }
        catch (final Exception ignored)
        {
            // closing on the way out: nothing left to do with it
        }
    }
}
