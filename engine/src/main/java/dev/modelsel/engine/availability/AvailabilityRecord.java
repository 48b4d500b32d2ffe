package dev.modelsel.engine.availability;

/**
 * One model's availability, SPEC §3: marked down or not, and a rate-limit cooldown deadline or none. A mutable
 * holder that readers fill and reuse, so reading allocates nothing.
 * <p>
 * Not thread-safe: one per reading thread.
 */
public final class AvailabilityRecord
{
    /** The deadline of a model that has no cooldown. */
    public static final long NO_COOLDOWN = Long.MIN_VALUE;

    private boolean down;
    private long cooldownUntilMs = NO_COOLDOWN;

    public boolean down()
    {
        return down;
    }

    /** @return the cooldown deadline in epoch ms, or {@link #NO_COOLDOWN}. */
    public long cooldownUntilMs()
    {
        return cooldownUntilMs;
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
        this.down = down;
        this.cooldownUntilMs = cooldownUntilMs;
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
        return "AvailabilityRecord{down=" + down + ", cooldownUntilMs=" +
            (hasCooldown() ? String.valueOf(cooldownUntilMs) : "none") + '}';
    }
}
