package dev.modelsel.engine.availability;

/**
 * One model's availability, SPEC §3: marked down or not, and a rate-limit cooldown deadline or none. A mutable
 * holder that readers fill and reuse, so reading allocates nothing.
 * <p>
 * A record whose stored bytes fail their checksum is {@link #corrupt()}: none of its fields is believed, and it reads
 * as a model the table knows nothing about (up, no cooldown), so a damaged record never bars a model; the next write
 * of that model replaces it.
 * <p>
 * Not thread-safe: one per reading thread.
 */
public final class AvailabilityRecord
{
    /** The deadline of a model that has no cooldown. */
    public static final long NO_COOLDOWN = Long.MIN_VALUE;

    private boolean down;
    private long cooldownUntilMs = NO_COOLDOWN;
    private long changes;
    private long writerPid;
    private long changedAtMs;
    private boolean corrupt;

    public boolean down()
    {
        return down;
    }

    /** @return the cooldown deadline in epoch ms, or {@link #NO_COOLDOWN}. */
    public long cooldownUntilMs()
    {
        return cooldownUntilMs;
    }

    /** @return how many writes changed this record (0 for a model the table has never heard of). */
    public long changes()
    {
        return changes;
    }

    /** @return the process id of the last writer, or 0. */
    public long writerPid()
    {
        return writerPid;
    }

    /** @return when the record last changed, epoch ms, or 0. */
    public long changedAtMs()
    {
        return changedAtMs;
    }

    /** @return whether the table holds a record for the model that failed its checksum; then it reads as cleared. */
    public boolean corrupt()
    {
        return corrupt;
    }

    public boolean hasCooldown()
    {
        return cooldownUntilMs != NO_COOLDOWN;
    }

    /** SPEC §3 {@code available(m, now)}: not down, and no deadline or one that has passed ({@code <= now}). */
    public boolean isAvailable(final long nowMs)
    {
        return !down && cooldownUntilMs <= nowMs;
    }

    public AvailabilityRecord set(final boolean down, final long cooldownUntilMs)
    {
        return set(down, cooldownUntilMs, 0, 0, 0);
    }

    public AvailabilityRecord set(
        final boolean down, final long cooldownUntilMs, final long changes, final long writerPid, final long changedAtMs)
    {
        this.down = down;
        this.cooldownUntilMs = cooldownUntilMs;
        this.changes = changes;
        this.writerPid = writerPid;
        this.changedAtMs = changedAtMs;
        this.corrupt = false;
        return this;
    }

    /** A record the table holds but cannot believe: read as cleared, and flagged. */
    public AvailabilityRecord setCorrupt()
    {
        clear();
        corrupt = true;
        return this;
    }

    /** The state of a model the table has never heard of: up, no cooldown. */
    public AvailabilityRecord clear()
    {
        return set(false, NO_COOLDOWN);
    }

    @Override
    public String toString()
    {
        return "AvailabilityRecord{" + (corrupt ? "corrupt, " : "") + "down=" + down + ", cooldownUntilMs=" +
            (hasCooldown() ? String.valueOf(cooldownUntilMs) : "none") + ", changes=" + changes + ", writerPid=" + writerPid +
            ", changedAtMs=" + changedAtMs + '}';
    }
}
