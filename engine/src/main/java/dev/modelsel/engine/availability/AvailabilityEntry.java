package dev.modelsel.engine.availability;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * One model's entry in the shared table (see {@link SharedTableDescriptor} for the layout): read and written
 * field by field, so Chronicle needs no reflection and reading into a reused instance makes no garbage. Every entry
 * carries a checksum of its model id and fields ({@link EntryChecksum}): a writer {@link #seal seals} it before it
 * goes into the map, and a reader believes its fields only when it is {@link #intact}.
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
    long checksum;
    /** The down byte as read was 0 or 1: the only values a writer stores, and all that the checksum tells apart. */
    private boolean downByteValid = true;

    @Override
    public void readMarshallable(final BytesIn<?> in)
    {
        final byte downByte = in.readByte();
        down = downByte != 0;
        downByteValid = (downByte & ~1) == 0;
        cooldownUntilMs = in.readLong();
        changes = in.readLong();
        writerPid = in.readInt();
        changedAtMs = in.readLong();
        checksum = in.readLong();
    }

    @Override
    public void writeMarshallable(final BytesOut<?> out)
    {
        out.writeByte((byte)(down ? 1 : 0));
        out.writeLong(cooldownUntilMs);
        out.writeLong(changes);
        out.writeInt(writerPid);
        out.writeLong(changedAtMs);
        out.writeLong(checksum);
    }

    /** Stamps the checksum of these fields stored under {@code modelId}: before the entry goes into the map. */
    AvailabilityEntry seal(final CharSequence modelId)
    {
        checksum = EntryChecksum.of(modelId, down, cooldownUntilMs, changes, writerPid, changedAtMs);
        return this;
    }

    /** Whether these fields, read from the map under {@code modelId}, are what a writer sealed there. */
    boolean intact(final CharSequence modelId)
    {
        return downByteValid &&
            checksum == EntryChecksum.of(modelId, down, cooldownUntilMs, changes, writerPid, changedAtMs);
    }

    AvailabilityEntry copyFrom(final AvailabilityEntry other)
    {
        down = other.down;
        cooldownUntilMs = other.cooldownUntilMs;
        changes = other.changes;
        writerPid = other.writerPid;
        changedAtMs = other.changedAtMs;
        checksum = other.checksum;
        downByteValid = other.downByteValid;
        return this;
    }

    AvailabilityEntry clear()
    {
        down = false;
        cooldownUntilMs = AvailabilityRecord.NO_COOLDOWN;
        changes = 0;
        writerPid = 0;
        changedAtMs = 0;
        checksum = 0;
        downByteValid = true;
        return this;
    }

    @Override
    public String toString()
    {
        return "AvailabilityEntry{down=" + down + ", cooldownUntilMs=" + cooldownUntilMs + ", changes=" + changes +
            ", writerPid=" + writerPid + ", changedAtMs=" + changedAtMs + ", checksum=" + Long.toHexString(checksum) + '}';
    }
}
