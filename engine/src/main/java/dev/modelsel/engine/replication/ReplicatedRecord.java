package dev.modelsel.engine.replication;

import dev.modelsel.engine.availability.AvailabilityRecord;

/**
 * One model's availability as SPEC §6 replicates it: two parts that merge independently.
 * <ul>
 *   <li>the <b>flag</b>: {@code down} and the version of the write that set it (last writer wins);</li>
 *   <li>the <b>cooldown</b>: the epoch (the version of the {@code set_up} that began it) and the deadline within it
 *       (a later epoch wins whole; within one epoch the later deadline wins), with the version of the write that set
 *       the deadline, which only says who and when, and breaks ties so that every copy ends identical.</li>
 * </ul>
 * A version is a {@link HybridClock} value and a {@link HostId}, ordered by clock, then host id. Each part is a
 * join-semilattice, so merging is commutative, associative and idempotent: the order, repetition or loss of
 * messages cannot change the result once every write has reached every host.
 * <p>
 * A mutable holder, reused to avoid garbage; not thread-safe.
 */
public final class ReplicatedRecord
{
    /** {@link #merge} changed the flag. */
    public static final int FLAG_CHANGED = 1;
    /** {@link #merge} changed the cooldown. */
    public static final int COOLDOWN_CHANGED = 2;

    boolean down;
    long flagClock = HybridClock.ZERO;
    String flagHost = HostId.NONE;
    long epochClock = HybridClock.ZERO;
    String epochHost = HostId.NONE;
    long cooldownUntilMs = AvailabilityRecord.NO_COOLDOWN;
    long cooldownClock = HybridClock.ZERO;
    String cooldownHost = HostId.NONE;

    /** The record of a model nobody has written: up, no cooldown, every version zero. */
    public ReplicatedRecord clear()
    {
        down = false;
        flagClock = HybridClock.ZERO;
        flagHost = HostId.NONE;
        epochClock = HybridClock.ZERO;
        epochHost = HostId.NONE;
        cooldownUntilMs = AvailabilityRecord.NO_COOLDOWN;
        cooldownClock = HybridClock.ZERO;
        cooldownHost = HostId.NONE;
        return this;
    }

    public ReplicatedRecord copyFrom(final ReplicatedRecord other)
    {
        down = other.down;
        flagClock = other.flagClock;
        flagHost = other.flagHost;
        epochClock = other.epochClock;
        epochHost = other.epochHost;
        cooldownUntilMs = other.cooldownUntilMs;
        cooldownClock = other.cooldownClock;
        cooldownHost = other.cooldownHost;
        return this;
    }

    /** Sets every field; the hosts must be valid host ids or {@link HostId#NONE} with a zero clock. */
    public ReplicatedRecord set(
        final boolean down, final long flagClock, final String flagHost,
        final long epochClock, final String epochHost,
        final long cooldownUntilMs, final long cooldownClock, final String cooldownHost)
    {
        this.down = down;
        this.flagClock = flagClock;
        this.flagHost = flagHost;
        this.epochClock = epochClock;
        this.epochHost = epochHost;
        this.cooldownUntilMs = cooldownUntilMs;
        this.cooldownClock = cooldownClock;
        this.cooldownHost = cooldownHost;
        return this;
    }

    // The writes of SPEC §6's table, each made at version (clock, host), a version above every one the host has seen.

    /** {@code set_down}: down, at a new version; the cooldown is unchanged. */
    public void setDown(final long clock, final String host)
    {
        down = true;
        flagClock = clock;
        flagHost = host;
    }

    /** A 2xx seen: up at a new version, only if down. @return whether it wrote anything. */
    public boolean clearDown(final long clock, final String host)
    {
        if (!down)
        {
            return false;
        }
        down = false;
        flagClock = clock;
        flagHost = host;
        return true;
    }

    /** {@code set_rate_limited(until)}: the later deadline within the current epoch. @return whether it moved. */
    public boolean setRateLimited(final long untilMs, final long clock, final String host)
    {
        if (untilMs <= cooldownUntilMs)
        {
            return false;
        }
        cooldownUntilMs = untilMs;
        cooldownClock = clock;
        cooldownHost = host;
        return true;
    }

    /** {@code set_up}: up at a new version, and a new epoch (that version) with no deadline. */
    public void setUp(final long clock, final String host)
    {
        down = false;
        flagClock = clock;
        flagHost = host;
        epochClock = clock;
        epochHost = host;
        cooldownUntilMs = AvailabilityRecord.NO_COOLDOWN;
        cooldownClock = clock;
        cooldownHost = host;
    }

    /**
     * Merges a copy received from another host into this one (SPEC §6).
     *
     * @return {@link #FLAG_CHANGED} and/or {@link #COOLDOWN_CHANGED}, or 0 when this copy already held everything.
     */
    public int merge(final ReplicatedRecord received)
    {
        int changed = 0;
        if (compareVersions(received.flagClock, received.flagHost, flagClock, flagHost) > 0)
        {
            down = received.down;
            flagClock = received.flagClock;
            flagHost = received.flagHost;
            changed |= FLAG_CHANGED;
        }
        if (compareCooldowns(received, this) > 0)
        {
            epochClock = received.epochClock;
            epochHost = received.epochHost;
            cooldownUntilMs = received.cooldownUntilMs;
            cooldownClock = received.cooldownClock;
            cooldownHost = received.cooldownHost;
            changed |= COOLDOWN_CHANGED;
        }
        return changed;
    }

    /** Versions in SPEC §6's order: by clock, then host id. */
    public static int compareVersions(final long clockA, final String hostA, final long clockB, final String hostB)
    {
        final int byClock = Long.compare(clockA, clockB);
        return byClock != 0 ? byClock : HostId.compare(hostA, hostB);
    }

    /** Cooldowns by epoch, then deadline, then the version that set the deadline (a tie-break only). */
    public static int compareCooldowns(final ReplicatedRecord a, final ReplicatedRecord b)
    {
        int order = compareVersions(a.epochClock, a.epochHost, b.epochClock, b.epochHost);
        if (order == 0)
        {
            order = Long.compare(a.cooldownUntilMs, b.cooldownUntilMs);
        }
        return order != 0 ? order : compareVersions(a.cooldownClock, a.cooldownHost, b.cooldownClock, b.cooldownHost);
    }

    /** Whether both copies hold the same replicated state. */
    public boolean sameAs(final ReplicatedRecord other)
    {
        return down == other.down && flagClock == other.flagClock && flagHost.equals(other.flagHost) &&
            compareCooldowns(this, other) == 0;
    }

    /** The greatest clock in the record: a host that receives it keeps its own clock at least this. */
    public long maxClock()
    {
        return Math.max(flagClock, Math.max(epochClock, cooldownClock));
    }

    public boolean down()
    {
        return down;
    }

    public long flagClock()
    {
        return flagClock;
    }

    public String flagHost()
    {
        return flagHost;
    }

    public long epochClock()
    {
        return epochClock;
    }

    public String epochHost()
    {
        return epochHost;
    }

    /** @return the deadline in force in the epoch, or {@link AvailabilityRecord#NO_COOLDOWN}. */
    public long cooldownUntilMs()
    {
        return cooldownUntilMs;
    }

    public long cooldownClock()
    {
        return cooldownClock;
    }

    public String cooldownHost()
    {
        return cooldownHost;
    }

    @Override
    public String toString()
    {
        return "ReplicatedRecord{down=" + down + " @" + HybridClock.toString(flagClock) + '/' + flagHost +
            ", epoch=" + HybridClock.toString(epochClock) + '/' + epochHost + ", until=" +
            (cooldownUntilMs == AvailabilityRecord.NO_COOLDOWN ? "none" : String.valueOf(cooldownUntilMs)) +
            " @" + HybridClock.toString(cooldownClock) + '/' + cooldownHost + '}';
    }
}
