package dev.modelsel.engine.replication;

import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.modelsel.engine.replication.WireDescriptor.*;

/**
 * Reads replication messages ({@link WireDescriptor}) and refuses, before anything is applied, every one that is not
 * a well-formed message of this protocol version from this cluster, signed with its key. A message is read whole
 * first, so a bad entry refuses the whole message and none of it is applied.
 * <p>
 * Not thread-safe: one per receiving thread.
 */
final class MessageDecoder
{
    /** What a valid message carries, handed over only once the whole message has been checked. */
    interface Handler
    {
        void record(String fromHost, boolean snapshot, String modelId, ReplicatedRecord record);

        /** A COUNTERS message's incarnation, before its entries (if any). */
        void countersFile(String fromHost, boolean snapshot, long incarnation);

        void counters(String fromHost, boolean snapshot, int kind, String name, long[] counters);
    }

    /**
     * How far a received version's clock may be ahead of this host's wall clock. SPEC §6 has hosts keep their clocks
     * in sync (NTP): a peer an hour ahead is misconfigured or hostile, and as every host's clock moves to at least
     * every version it receives, accepting its clock would drag every host's clock, and every later write, that far
     * ahead.
     */
    static final long MAX_CLOCK_AHEAD_MS = 3_600_000;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int MIN_LENGTH = CLUSTER_LENGTH_OFFSET + 1 + 1 + 1 + 1 + 2 + MAC_LENGTH;

    private final byte[] cluster;
    private final MessageAuthenticator authenticator;
    private final byte[] bytes = new byte[MAX_MESSAGE_LENGTH];
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final List<String> names = new ArrayList<>();
    private final List<ReplicatedRecord> records = new ArrayList<>();
    private final List<long[]> counters = new ArrayList<>();
    private final List<Integer> kinds = new ArrayList<>();
    private String sender;
    private long incarnation;

    MessageDecoder(final String cluster, final byte[] key)
    {
        this.cluster = cluster.getBytes(StandardCharsets.US_ASCII);
        this.authenticator = new MessageAuthenticator(key);
    }

    /** The host id the last message accepted or refused after its header named one, else null. */
    String sender()
    {
        return sender;
    }

    /**
     * @param nowMs this host's wall clock, which no version received may be more than {@link #MAX_CLOCK_AHEAD_MS}
     *              ahead of.
     * @return null when the message was valid and its entries went to {@code handler}; else why it was refused
     *         (nothing of it was handed over).
     */
    String decode(
        final DirectBuffer buffer, final int offset, final int length, final long nowMs, final Handler handler)
    {
        sender = null;
        if (length < MIN_LENGTH || length > MAX_MESSAGE_LENGTH)
        {
            return "a message of " + length + " bytes";
        }
        buffer.getBytes(offset, bytes, 0, length);
        final ByteBuffer in = ByteBuffer.wrap(bytes, 0, length - MAC_LENGTH).order(ORDER);
        if (in.getInt(MAGIC_OFFSET) != MAGIC)
        {
            return "not a modelsel replication message";
        }
        final short version = in.getShort(VERSION_OFFSET);
        if (version != PROTOCOL_VERSION)
        {
            return "protocol version " + version + ", not " + PROTOCOL_VERSION;
        }
        final byte type = in.get(TYPE_OFFSET);
        final boolean snapshot = (in.get(FLAGS_OFFSET) & FLAG_SNAPSHOT) != 0;
        in.position(CLUSTER_LENGTH_OFFSET);
        final int clusterLength = in.get() & 0xFF;
        if (clusterLength != cluster.length || in.remaining() < clusterLength ||
            !java.util.Arrays.equals(bytes, in.position(), in.position() + clusterLength, cluster, 0, cluster.length))
        {
            return "from another cluster";
        }
        in.position(in.position() + clusterLength);
        // The host id must fit before the MAC (where in ends), checked before it is read: no datagram, however
        // short, may throw out of decode, as a throw reaches Aeron, which prints a stack trace for each one, from
        // anyone, before any MAC is checked.
        if (!in.hasRemaining() || (in.get(in.position()) & 0xFF) >= in.remaining())
        {
            return "truncated header";
        }
        final String host = hostId(in);
        if (host == null || host.isEmpty())
        {
            return "no valid sender host id";
        }
        sender = host;
        if (!authenticator.verify(bytes, length - MAC_LENGTH))
        {
            return "its MAC does not match the cluster key";
        }
        try
        {
            final String problem = readEntries(in, type, nowMs);
            if (problem != null)
            {
                return problem;
            }
        }
        catch (final java.nio.BufferUnderflowException | IllegalArgumentException ex)
        {
            return "truncated entries";
        }
        if (type == TYPE_COUNTERS)
        {
            handler.countersFile(host, snapshot, incarnation);
        }
        for (int i = 0; i < names.size(); i++)
        {
            if (type == TYPE_RECORDS)
            {
                handler.record(host, snapshot, names.get(i), records.get(i));
            }
            else
            {
                handler.counters(host, snapshot, kinds.get(i), names.get(i), counters.get(i));
            }
        }
        return null;
    }

    private String readEntries(final ByteBuffer in, final byte type, final long nowMs)
    {
        names.clear();
        records.clear();
        counters.clear();
        kinds.clear();
        if (type != TYPE_RECORDS && type != TYPE_COUNTERS)
        {
            return "an unknown message type " + type;
        }
        if (type == TYPE_COUNTERS)
        {
            incarnation = in.getLong();
            if (incarnation == 0)
            {
                return "counters without an incarnation";
            }
        }
        final int count = in.getShort() & 0xFFFF;
        for (int i = 0; i < count; i++)
        {
            final String problem = type == TYPE_RECORDS ? readRecord(in, nowMs) : readCounters(in);
            if (problem != null)
            {
                return "entry " + i + ": " + problem;
            }
        }
        return in.hasRemaining() ? in.remaining() + " bytes after its entries" : null;
    }

    private String readRecord(final ByteBuffer in, final long nowMs)
    {
        final String modelId = utf8(in, in.getShort() & 0xFFFF, MAX_MODEL_ID_BYTES);
        if (modelId == null)
        {
            return "a model id that is empty, too long or not UTF-8";
        }
        final byte down = in.get();
        if (down != 0 && down != 1)
        {
            return "a down flag of " + down;
        }
        final long flagClock = in.getLong();
        final String flagHost = hostId(in);
        final long epochClock = in.getLong();
        final String epochHost = hostId(in);
        final long untilMs = in.getLong();
        final long cooldownClock = in.getLong();
        final String cooldownHost = hostId(in);
        if (!versionValid(flagClock, flagHost) || !versionValid(epochClock, epochHost) ||
            !versionValid(cooldownClock, cooldownHost))
        {
            return "a version with a negative clock or an invalid host id";
        }
        final long aheadMs = HybridClock.wallMs(Math.max(flagClock, Math.max(epochClock, cooldownClock))) - nowMs;
        if (aheadMs > MAX_CLOCK_AHEAD_MS)
        {
            return "a clock " + aheadMs + " ms ahead of this host's (at most " + MAX_CLOCK_AHEAD_MS + ")";
        }
        names.add(modelId);
        records.add(new ReplicatedRecord().set(down == 1, flagClock, flagHost, epochClock, epochHost, untilMs,
            cooldownClock, cooldownHost));
        return null;
    }

    private String readCounters(final ByteBuffer in)
    {
        final int kind = in.get();
        if (kind != KIND_MODEL && kind != KIND_CATEGORY && kind != KIND_BUCKET_TAKES && kind != KIND_BUDGET_HERE)
        {
            return "a counters kind of " + kind;
        }
        final String name = utf8(in, in.getShort() & 0xFFFF, MAX_MODEL_ID_BYTES);
        if (name == null)
        {
            return "a counters name that is empty, too long or not UTF-8";
        }
        final long[] values = new long[COUNTERS_PER_RECORD];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = in.getLong();
            if (values[i] < 0)
            {
                return "a negative counter";
            }
        }
        kinds.add(kind);
        names.add(name);
        counters.add(values);
        return null;
    }

    /**
     * A version is either no write at all (clock 0, no host) or a clock and a valid host id. A negative clock is the
     * only one outside {@link HybridClock}'s range, which ends at {@link Long#MAX_VALUE}.
     */
    private static boolean versionValid(final long clock, final String host)
    {
        return host != null && clock >= 0 && (host.isEmpty() ? clock == HybridClock.ZERO : clock > 0);
    }

    /** @return the host id, "" for none, or null when the bytes are not a host id. */
    private static String hostId(final ByteBuffer in)
    {
        final int length = in.get() & 0xFF;
        if (length > HostId.MAX_LENGTH)
        {
            return null;
        }
        final byte[] id = new byte[length];
        in.get(id);
        final String host = new String(id, StandardCharsets.US_ASCII);
        return length == 0 || HostId.problem(host) == null ? host : null;
    }

    private String utf8(final ByteBuffer in, final int length, final int max)
    {
        if (length == 0 || length > max || length > in.remaining())
        {
            return null;
        }
        final ByteBuffer slice = in.slice(in.position(), length);
        in.position(in.position() + length);
        try
        {
            return utf8.decode(slice).toString();
        }
        catch (final CharacterCodingException ex)
        {
            return null;
        }
    }
}
