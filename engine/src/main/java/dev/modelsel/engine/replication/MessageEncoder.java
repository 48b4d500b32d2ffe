package dev.modelsel.engine.replication;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static dev.modelsel.engine.replication.WireDescriptor.*;

/**
 * Builds replication messages ({@link WireDescriptor}): {@link #begin}, add entries while they fit, {@link #finish}
 * to sign; then {@link #buffer()} holds the message, ready to offer to Aeron.
 * <p>
 * Not thread-safe: one per sending thread.
 */
final class MessageEncoder
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final byte[] bytes = new byte[MAX_MESSAGE_LENGTH];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private final byte[] cluster;
    private final byte[] host;
    private final MessageAuthenticator authenticator;
    private int countOffset;
    private int length;
    private int entries;

    MessageEncoder(final String cluster, final String host, final byte[] key)
    {
        this.cluster = cluster.getBytes(StandardCharsets.US_ASCII);
        this.host = HostId.bytes(host);
        this.authenticator = new MessageAuthenticator(key);
    }

    /** Begins a RECORDS message. */
    void begin(final byte type, final byte flags, final long sentAtMs)
    {
        if (type != TYPE_RECORDS)
        {
            throw new IllegalArgumentException("a COUNTERS message begins with beginCounters");
        }
        countOffset = header(type, flags, sentAtMs);
        length = countOffset + 2;
        entries = 0;
    }

    /** Begins a COUNTERS message of the sender's counters file of this incarnation (never 0). */
    void beginCounters(final byte flags, final long sentAtMs, final long incarnation)
    {
        final int at = header(TYPE_COUNTERS, flags, sentAtMs);
        buffer.putLong(at, incarnation, ORDER);
        countOffset = at + 8;
        length = countOffset + 2;
        entries = 0;
    }

    private int header(final byte type, final byte flags, final long sentAtMs)
    {
        buffer.putInt(MAGIC_OFFSET, MAGIC, ORDER);
        buffer.putShort(VERSION_OFFSET, PROTOCOL_VERSION, ORDER);
        buffer.putByte(TYPE_OFFSET, type);
        buffer.putByte(FLAGS_OFFSET, flags);
        buffer.putLong(SENT_AT_OFFSET, sentAtMs, ORDER);
        final int at = putShortString(CLUSTER_LENGTH_OFFSET, cluster);
        return putShortString(at, host);
    }

    /** @return false, writing nothing, when the record does not fit in this message (or its id never can). */
    boolean addRecord(final String modelId, final ReplicatedRecord record)
    {
        final byte[] id = modelId.getBytes(StandardCharsets.UTF_8);
        final int need = 2 + id.length + 1 + 4 * 8 + 3 + record.flagHost.length() + record.epochHost.length() +
            record.cooldownHost.length();
        if (id.length > MAX_MODEL_ID_BYTES || length + need + MAC_LENGTH > MAX_MESSAGE_LENGTH || entries == 0xFFFF)
        {
            return false;
        }
        int at = length;
        buffer.putShort(at, (short)id.length, ORDER);
        buffer.putBytes(at + 2, id);
        at += 2 + id.length;
        buffer.putByte(at++, (byte)(record.down ? 1 : 0));
        at = putVersion(at, record.flagClock, record.flagHost);
        at = putVersion(at, record.epochClock, record.epochHost);
        buffer.putLong(at, record.cooldownUntilMs, ORDER);
        at = putVersion(at + 8, record.cooldownClock, record.cooldownHost);
        length = at;
        entries++;
        return true;
    }

    /** @return false, writing nothing, when the entry does not fit in this message. */
    boolean addCounters(final int kind, final String name, final long[] counters)
    {
        final byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        final int need = 1 + 2 + nameBytes.length + COUNTERS_PER_RECORD * 8;
        if (nameBytes.length > MAX_MODEL_ID_BYTES || length + need + MAC_LENGTH > MAX_MESSAGE_LENGTH ||
            entries == 0xFFFF)
        {
            return false;
        }
        int at = length;
        buffer.putByte(at, (byte)kind);
        buffer.putShort(at + 1, (short)nameBytes.length, ORDER);
        buffer.putBytes(at + 3, nameBytes);
        at += 3 + nameBytes.length;
        for (int i = 0; i < COUNTERS_PER_RECORD; i++)
        {
            buffer.putLong(at, counters[i], ORDER);
            at += 8;
        }
        length = at;
        entries++;
        return true;
    }

    int entries()
    {
        return entries;
    }

    /** Writes the entry count and the MAC. @return the message's length. */
    int finish()
    {
        buffer.putShort(countOffset, (short)entries, ORDER);
        authenticator.sign(bytes, length);
        return length + MAC_LENGTH;
    }

    DirectBuffer buffer()
    {
        return buffer;
    }

    private int putShortString(final int at, final byte[] value)
    {
        buffer.putByte(at, (byte)value.length);
        buffer.putBytes(at + 1, value);
        return at + 1 + value.length;
    }

    private int putVersion(final int at, final long clock, final String host)
    {
        buffer.putLong(at, clock, ORDER);
        final int hostAt = at + 8;
        buffer.putByte(hostAt, (byte)host.length());
        for (int i = 0; i < host.length(); i++)
        {
            buffer.putByte(hostAt + 1 + i, (byte)host.charAt(i));
        }
        return hostAt + 1 + host.length();
    }
}
