package dev.modelsel.engine.availability;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * One model's entry in the shared table (see {@link SharedTableDescriptor} for the layout): read and written
 * field by field, so Chronicle needs no reflection and reading into a reused instance makes no garbage.
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

    @Override
    public void readMarshallable(final BytesIn<?> in)
    {
        down = in.readByte() != 0;
        cooldownUntilMs = in.readLong();
        changes = in.readLong();
        writerPid = in.readInt();
        changedAtMs = in.readLong();
    }

    @Override
    public void writeMarshallable(final BytesOut<?> out)
    {
        out.writeByte((byte)(down ? 1 : 0));
        out.writeLong(cooldownUntilMs);
        out.writeLong(changes);
        out.writeInt(writerPid);
        out.writeLong(changedAtMs);
    }

    AvailabilityEntry copyFrom(final AvailabilityEntry other)
    {
        down = other.down;
        cooldownUntilMs = other.cooldownUntilMs;
        changes = other.changes;
        writerPid = other.writerPid;
        changedAtMs = other.changedAtMs;
        return this;
    }

    AvailabilityEntry clear()
    {
        down = false;
        cooldownUntilMs = AvailabilityRecord.NO_COOLDOWN;
        changes = 0;
        writerPid = 0;
        changedAtMs = 0;
        return this;
    }

    @Override
    public String toString()
    {
        return "AvailabilityEntry{down=" + down + ", cooldownUntilMs=" + cooldownUntilMs + ", changes=" + changes +
            ", writerPid=" + writerPid + ", changedAtMs=" + changedAtMs + '}';
    }
}
