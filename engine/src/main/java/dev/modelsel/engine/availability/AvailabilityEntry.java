package dev.modelsel.engine.availability;

import dev.modelsel.engine.replication.HostId;
import dev.modelsel.engine.replication.ReplicatedRecord;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.modelsel.engine.availability.SharedTableDescriptor.ENTRY_HOST_LENGTH;

/**
 * One model's entry in the shared table (see {@link SharedTableDescriptor} for the layout): SPEC §6's record with its
 * versions, and what happened to it on this host. Read and written field by field, so Chronicle needs no reflection
 * and reading into a reused instance makes no garbage: host ids stay bytes here, and become strings only in
 * {@link #toReplicated}, which the replicator and {@code availability show} call, never a select. Every entry carries
 * a checksum of its model id and fields ({@link EntryChecksum}): a writer {@link #seal seals} it before it goes into
 * the map, and a reader believes its fields only when it is {@link #intact}.
 * <p>
 * Its class name is recorded in the map file's header: renaming or moving it makes existing tables foreign.
 * Not thread-safe: a mutable holder.
 */
public final class AvailabilityEntry implements BytesMarshallable
{
    boolean down;
    long cooldownUntilMs = AvailabilityRecord.NO_COOLDOWN;
    long changes;
    int writerPid;
    long changedAtMs;
    long flagClock;
    final byte[] flagHost = new byte[ENTRY_HOST_LENGTH];
    long epochClock;
    final byte[] epochHost = new byte[ENTRY_HOST_LENGTH];
    long cooldownClock;
    final byte[] cooldownHost = new byte[ENTRY_HOST_LENGTH];
    long checksum;
    /**
     * The down byte as read was 0 or 1, the only values a writer stores and all that the checksum tells apart, and
     * every host field was read whole.
     */
    private boolean bytesValid = true;

    @Override
    public void readMarshallable(final BytesIn<?> in)
    {
        final byte downByte = in.readByte();
        down = downByte != 0;
        cooldownUntilMs = in.readLong();
        changes = in.readLong();
        writerPid = in.readInt();
        changedAtMs = in.readLong();
        flagClock = in.readLong();
        final boolean flagHostWhole = in.read(flagHost, 0, ENTRY_HOST_LENGTH) == ENTRY_HOST_LENGTH;
        epochClock = in.readLong();
        final boolean epochHostWhole = in.read(epochHost, 0, ENTRY_HOST_LENGTH) == ENTRY_HOST_LENGTH;
        cooldownClock = in.readLong();
        final boolean cooldownHostWhole = in.read(cooldownHost, 0, ENTRY_HOST_LENGTH) == ENTRY_HOST_LENGTH;
        checksum = in.readLong();
        bytesValid = (downByte & ~1) == 0 && flagHostWhole && epochHostWhole && cooldownHostWhole;
    }

    @Override
    public void writeMarshallable(final BytesOut<?> out)
    {
        out.writeByte((byte)(down ? 1 : 0));
        out.writeLong(cooldownUntilMs);
        out.writeLong(changes);
        out.writeInt(writerPid);
        out.writeLong(changedAtMs);
        out.writeLong(flagClock);
        out.write(flagHost, 0, ENTRY_HOST_LENGTH);
        out.writeLong(epochClock);
        out.write(epochHost, 0, ENTRY_HOST_LENGTH);
        out.writeLong(cooldownClock);
        out.write(cooldownHost, 0, ENTRY_HOST_LENGTH);
        out.writeLong(checksum);
    }

    /** Stamps the checksum of these fields stored under {@code modelId}: before the entry goes into the map. */
    AvailabilityEntry seal(final CharSequence modelId)
    {
        checksum = EntryChecksum.of(modelId, this);
        return this;
    }

    /** Whether these fields, read from the map under {@code modelId}, are what a writer sealed there. */
    boolean intact(final CharSequence modelId)
    {
        return bytesValid && checksum == EntryChecksum.of(modelId, this);
    }

    /** Fills {@code into} with what a selector reads: allocates nothing. */
    AvailabilityRecord toRecord(final AvailabilityRecord into)
    {
        return into.set(down, cooldownUntilMs, changes, writerPid, changedAtMs);
    }

    /** Fills {@code into} with SPEC §6's record as this entry holds it; makes a string of each host id. */
    ReplicatedRecord toReplicated(final ReplicatedRecord into)
    {
        return into.set(down, flagClock, host(flagHost), epochClock, host(epochHost), cooldownUntilMs, cooldownClock,
            host(cooldownHost));
    }

    /** Takes SPEC §6's record from {@code record}; the local fields (changes, writer, time, checksum) are left. */
    AvailabilityEntry fromReplicated(final ReplicatedRecord record)
    {
        down = record.down();
        cooldownUntilMs = record.cooldownUntilMs();
        flagClock = record.flagClock();
        putHost(flagHost, record.flagHost());
        epochClock = record.epochClock();
        putHost(epochHost, record.epochHost());
        cooldownClock = record.cooldownClock();
        putHost(cooldownHost, record.cooldownHost());
        return this;
    }

    /** A host id as stored: its ASCII bytes up to the first zero byte; {@link HostId#NONE} when there are none. */
    static String host(final byte[] stored)
    {
        int length = 0;
        while (length < stored.length && stored[length] != 0)
        {
            length++;
        }
        return length == 0 ? HostId.NONE : new String(stored, 0, length, StandardCharsets.US_ASCII);
    }

    /** Stores a host id (ASCII, at most {@link HostId#MAX_LENGTH}) zero-padded. */
    static void putHost(final byte[] into, final String id)
    {
        if (id.length() > into.length)
        {
            throw new IllegalArgumentException("a host id longer than " + into.length + " characters: " + id);
        }
        for (int i = 0; i < id.length(); i++)
        {
            into[i] = (byte)id.charAt(i);
        }
        Arrays.fill(into, id.length(), into.length, (byte)0);
    }

    AvailabilityEntry copyFrom(final AvailabilityEntry other)
    {
        down = other.down;
        cooldownUntilMs = other.cooldownUntilMs;
        changes = other.changes;
        writerPid = other.writerPid;
        changedAtMs = other.changedAtMs;
        flagClock = other.flagClock;
        System.arraycopy(other.flagHost, 0, flagHost, 0, ENTRY_HOST_LENGTH);
        epochClock = other.epochClock;
        System.arraycopy(other.epochHost, 0, epochHost, 0, ENTRY_HOST_LENGTH);
        cooldownClock = other.cooldownClock;
        System.arraycopy(other.cooldownHost, 0, cooldownHost, 0, ENTRY_HOST_LENGTH);
        checksum = other.checksum;
        bytesValid = other.bytesValid;
        return this;
    }

    AvailabilityEntry clear()
    {
        down = false;
        cooldownUntilMs = AvailabilityRecord.NO_COOLDOWN;
        changes = 0;
        writerPid = 0;
        changedAtMs = 0;
        flagClock = 0;
        Arrays.fill(flagHost, (byte)0);
        epochClock = 0;
        Arrays.fill(epochHost, (byte)0);
        cooldownClock = 0;
        Arrays.fill(cooldownHost, (byte)0);
        checksum = 0;
        bytesValid = true;
        return this;
    }

    @Override
    public String toString()
    {
        return "AvailabilityEntry{down=" + down + ", cooldownUntilMs=" + cooldownUntilMs + ", changes=" + changes +
            ", writerPid=" + writerPid + ", changedAtMs=" + changedAtMs + ", flag=" + flagClock + '/' + host(flagHost) +
            ", epoch=" + epochClock + '/' + host(epochHost) + ", cooldown=" + cooldownClock + '/' + host(cooldownHost) +
            ", checksum=" + Long.toHexString(checksum) + '}';
    }
}
