package dev.modelsel.engine;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.engine.limits.Limiter;
import dev.modelsel.engine.availability.AvailabilityRecord;
import dev.modelsel.engine.availability.AvailabilityTable;

/**
 * A selector's local copy of the availability table for one catalog, as bitsets over its model indexes.
 * <p>
 * Availability depends on the table and on the time. A view holds both answers to "is it current?": the
 * table's change sequence it was read under, and the window of time {@code [validFromMs, validUntilMs)} in which
 * no cooldown deadline passes, so the available set cannot change. The fast path checks one sequence load and
 * one comparison ({@link #covers}); only when either fails is a new view built: from the table when the sequence
 * moved, else from the deadlines already copied here.
 * <p>
 * Immutable; published to selecting threads through a volatile field.
 */
final class AvailabilityView
{
    final CompiledCatalog catalog;
    /** SPEC §7 for this catalog, or null when it has no limits or budgets (or the selector no store). */
    final Limiter limiter;
    final long sequence;
    final long validFromMs;
    /** The window's length, as an unsigned number: up to 2^64 - 1 when no deadline bounds it on either side. */
    private final long windowMs;
    /** Models not down whose cooldown, if any, ended at or before the window. */
    private final long[] availableWords;
    /** Shared between views of one sequence: never written after construction. */
    private final long[] downWords;
    private final long[] cooldownUntilMs;

    private AvailabilityView(
        final CompiledCatalog catalog,
        final Limiter limiter,
        final long sequence,
        final long[] downWords,
        final long[] cooldownUntilMs,
        final long nowMs)
    {
        this.catalog = catalog;
        this.limiter = limiter;
        this.sequence = sequence;
        this.downWords = downWords;
        this.cooldownUntilMs = cooldownUntilMs;
        this.availableWords = new long[catalog.words()];

        long validFrom = Long.MIN_VALUE;
        long validUntil = Long.MAX_VALUE;
        for (int m = 0; m < cooldownUntilMs.length; m++)
        {
            if (isDown(m))
            {
                continue;
            }
            final long deadline = cooldownUntilMs[m];
            if (deadline <= nowMs)
            {
                availableWords[m >>> 6] |= 1L << m;
                validFrom = deadline == AvailabilityRecord.NO_COOLDOWN ? validFrom : Math.max(validFrom, deadline);
            }
            else
            {
                validUntil = Math.min(validUntil, deadline);
            }
        }
        this.validFromMs = validFrom;
        this.windowMs = validUntil - validFrom;
    }

    /** Reads the table's records of every tiered model of the catalog. The sequence is read first: see {@link AvailabilityTable}. */
    static AvailabilityView read(final CompiledCatalog catalog, final Limiter limiter, final AvailabilityTable table,
        final long nowMs)
    {
        final long sequence = table.changeSequence();
        final int tiered = catalog.tieredCount();
        final long[] downWords = new long[catalog.words()];
        final long[] cooldownUntilMs = new long[tiered];
        final AvailabilityRecord record = new AvailabilityRecord();
        for (int m = 0; m < tiered; m++)
        {
            table.read(catalog.id(m), record);
            if (record.down())
            {
                downWords[m >>> 6] |= 1L << m;
            }
            cooldownUntilMs[m] = record.cooldownUntilMs();
        }
        return new AvailabilityView(catalog, limiter, sequence, downWords, cooldownUntilMs, nowMs);
    }

    /**
     * The view after the table moved on. When the table can tell which records changed since this view's sequence
     * (see {@link AvailabilityTable#changes}), only this catalog's models among them are re-read; otherwise all are.
     */
    AvailabilityView refreshed(final AvailabilityTable table, final long nowMs)
    {
        final long latest = table.changeSequence(); // before the records, as in read()
        final long[] down = downWords.clone();
        final long[] cooldowns = cooldownUntilMs.clone();
        final AvailabilityRecord record = new AvailabilityRecord();
        final boolean told = table.changes(sequence, latest, idHash -> catalog.forEachTieredModelWithIdHash(idHash, m ->
        {
            table.read(catalog.id(m), record);
            down[m >>> 6] = record.down() ? down[m >>> 6] | (1L << m) : down[m >>> 6] & ~(1L << m);
            cooldowns[m] = record.cooldownUntilMs();
        }));
        return told ? new AvailabilityView(catalog, limiter, latest, down, cooldowns, nowMs) :
            read(catalog, limiter, table, nowMs);
    }

    /** The same records seen at another time. */
    AvailabilityView at(final long nowMs)
    {
        return new AvailabilityView(catalog, limiter, sequence, downWords, cooldownUntilMs, nowMs);
    }

    /**
     * {@code validFromMs <= nowMs < validUntilMs} in one unsigned comparison: a time before the window wraps round
     * to an offset larger than any window can be.
     */
    boolean covers(final long nowMs)
    {
        return Long.compareUnsigned(nowMs - validFromMs, windowMs) < 0;
    }

    boolean isAvailable(final int model)
    {
        return (availableWords[model >>> 6] & (1L << model)) != 0;
    }

    long availableWord(final int word)
    {
        return availableWords[word];
    }

    boolean isDown(final int model)
    {
        return (downWords[model >>> 6] & (1L << model)) != 0;
    }

    long downWord(final int word)
    {
        return downWords[word];
    }

    /** @return the model's cooldown deadline, or {@link AvailabilityRecord#NO_COOLDOWN}. */
    long cooldownUntilMs(final int model)
    {
        return cooldownUntilMs[model];
    }
}
