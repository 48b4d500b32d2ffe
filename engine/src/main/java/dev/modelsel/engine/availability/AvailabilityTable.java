package dev.modelsel.engine.availability;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Where availability lives (SPEC §3 "Availability"): one record per model id, written by whoever learns that a
 * model is down, back up, or rate limited, and read by selectors.
 * <p>
 * Any non-empty id is accepted: a table may be shared by processes whose catalogs differ, and a selector ignores
 * ids its catalog lacks.
 * <p>
 * <b>The change signal.</b> {@link #changeSequence()} has moved by the time any write returns, past a value whose
 * readers see that write: a record update happens-before the sequence change that announces it, and a write that
 * changed nothing returns only after the change of any write it raced with was announced. A reader that sees a
 * sequence value, then reads records, sees every write announced up to that value. So a selector keeps a local copy
 * labelled with the sequence it was read under and re-reads only when the sequence moves; a select that starts
 * after a write returned sees it.
 * <p>
 * Implementations are thread-safe; writes to one record are atomic, and {@link #setRateLimited} merges by the
 * later deadline so concurrent writers never shorten each other's cooldown.
 */
public interface AvailabilityTable extends AutoCloseable
{
    /** A value that moves with writes (see the class comment); cheap enough to read on every select (a volatile load). */
    long changeSequence();

    /**
     * @param modelId the model.
     * @param into    filled with the model's record; cleared (up, no cooldown) when the table has none, and cleared
     *                but flagged {@link AvailabilityRecord#corrupt()} when the one it has fails its checksum.
     * @return whether the table holds a record for the id, a corrupt one included.
     */
    boolean read(String modelId, AvailabilityRecord into);

    /** Marks the model down; its cooldown, if any, is kept. */
    void setDown(String modelId);

    /** Marks the model up and clears its cooldown. */
    void setUp(String modelId);

    /**
     * Clears the down flag but leaves a cooldown to expire: what a successful call to the model says (it answers,
     * yet a rate limit the provider gave still stands).
     */
    void clearDown(String modelId);

    /**
     * The furthest ahead of its writer's clock a cooldown deadline may be (SPEC §3): cooldowns only grow, so an
     * absurd one would bar a model until {@code set_up}; providers' quotas reset within a day.
     */
    long MAX_COOLDOWN_AHEAD_MS = 86_400_000;

    /**
     * @param writerNowMs the writer's clock: the request's {@code now_ms} where it has one, else the wall clock.
     * @return {@code untilMs}, or a day after {@code writerNowMs} when it is further ahead than that.
     */
    static long cappedDeadline(final long untilMs, final long writerNowMs)
    {
        final long dayAhead = writerNowMs > Long.MAX_VALUE - MAX_COOLDOWN_AHEAD_MS ? Long.MAX_VALUE :
            writerNowMs + MAX_COOLDOWN_AHEAD_MS;
        return Math.min(untilMs, dayAhead);
    }

    /**
     * Sets the model's cooldown deadline to the later of the present one and {@code untilMs}; the down flag is kept.
     * The caller, which knows the writer's clock, caps {@code untilMs} with {@link #cappedDeadline}.
     *
     * @return the deadline in force after the merge.
     */
    long setRateLimited(String modelId, long untilMs);

    /**
     * Lets a reader that is behind re-read only what changed: calls {@code changed} with the
     * {@link String#hashCode()} of the model id of each record changed by the writes that moved the change sequence
     * from {@code fromSequence} to {@code toSequence} (a hash may come more than once, or belong to several ids).
     *
     * @return true when every such change was told; false when the table cannot tell (too many, or no record of
     *         them), and the reader must re-read everything.
     */
    default boolean changes(final long fromSequence, final long toSequence, final IntConsumer changed)
    {
        return false;
    }

    /**
     * Calls the visitor for every model id the table holds, once each, in no particular order, with a reused record
     * object: the record that {@link #read} gives for that id, a {@link AvailabilityRecord#corrupt() corrupt} one
     * included.
     *
     * @return the damage found on the way that is no model's record, each as "where: what" (a key that cannot be
     *         read, an entry that a read of its own id does not find, records the table has lost); empty when none.
     */
    List<String> forEach(RecordVisitor visitor);

    /** Receives records from {@link #forEach}. */
    @FunctionalInterface
    interface RecordVisitor
    {
        void accept(String modelId, AvailabilityRecord record);
    }

    @Override
    default void close()
    {
    }

    /** Throws the one clear error for an id the table cannot take. */
    static String requireModelId(final String modelId)
    {
        if (modelId == null || modelId.isEmpty())
        {
            throw new IllegalArgumentException("a model id must be a non-empty string");
        }
        return modelId;
    }
}
