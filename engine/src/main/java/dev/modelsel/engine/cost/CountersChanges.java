package dev.modelsel.engine.cost;

import dev.modelsel.engine.limits.OtherHostsTakes;

import static dev.modelsel.engine.cost.CountersDescriptor.KIND_BUCKETS;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_BUDGET_HERE;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_CATEGORY;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_MODEL;
import static dev.modelsel.engine.cost.CountersDescriptor.COUNTERS_PER_RECORD;
import static dev.modelsel.engine.cost.CountersDescriptor.RECORD_COUNT;

/**
 * A host's own counters file as its replicator sends it (issue 13): every record, or those whose counters changed
 * since the last {@link #collect}, each with its absolute values. Absolute, so that a receiver takes the highest
 * value it saw ({@link CounterSlots}) and a message repeated or lost costs nothing but a late value.
 * <p>
 * A collect reads each record's state (4,096 volatile reads) and the counters of the ready ones: a few microseconds,
 * which a replicator spends every 50 ms or so rather than putting a sequence on the recording hot path. A record's
 * counters are read one after another while processes add to them, so one entry may mix moments; each value was
 * true once, and the next collect sends the later ones.
 * <p>
 * SPEC §7's limits (issue 14) are collected apart ({@code limits}): what this host's processes took from each
 * model's buckets ({@link OtherHostsTakes#bucketsEntry}, a record of kind {@link CountersDescriptor#KIND_BUCKETS}
 * sent only once something was taken) and this host's own part of each budget ({@link
 * CountersDescriptor#KIND_BUDGET_HERE}); never a budget's total, which holds the other hosts' spend too.
 * <p>
 * Not thread-safe: the replicator's thread. Allocates a name once per record, the first time it is sent.
 */
public final class CountersChanges
{
    /** One record's entry. */
    @FunctionalInterface
    public interface Entry
    {
        /**
         * @param kind     {@link CountersDescriptor#KIND_MODEL} or {@link CountersDescriptor#KIND_CATEGORY}; when
         *                 collecting limits, {@link CountersDescriptor#KIND_BUCKETS} (an entry of {@link
         *                 OtherHostsTakes#bucketsEntry}) or {@link CountersDescriptor#KIND_BUDGET_HERE}.
         * @param name     as the file holds it (a name over 232 bytes shortened, see {@link CountersDescriptor}).
         * @param counters its 8 counters, absolute; a holder reused for the next entry.
         */
        void accept(int kind, String name, long[] counters);
    }

    private final SharedPhaseCounters counters;
    private final long[] sent = new long[RECORD_COUNT * COUNTERS_PER_RECORD];
    private final String[] names = new String[RECORD_COUNT];
    private final long[] values = new long[COUNTERS_PER_RECORD];
    private final long[] words = new long[COUNTERS_PER_RECORD];

    public CountersChanges(final SharedPhaseCounters counters)
    {
        this.counters = counters;
    }

    public SharedPhaseCounters counters()
    {
        return counters;
    }

    /**
     * Hands every ready record to {@code entry} ({@code all}), or only those not handed over before and those whose
     * counters changed since they were.
     *
     * @param limits the records of SPEC §7's limits that are sent (see the class comment), else the counters'.
     * @return how many records were handed over.
     */
    public int collect(final boolean all, final boolean limits, final Entry entry)
    {
        final SharedPhaseCounters file = counters;
        int collected = 0;
        for (int record = 0; record < RECORD_COUNT; record++)
        {
            final int kind = file.readyKind(record);
            if (limits ? kind != KIND_BUCKETS && kind != KIND_BUDGET_HERE : kind != KIND_MODEL && kind != KIND_CATEGORY)
            {
                continue; // free, or of the other collection (a budget's total is never sent)
            }
            for (int i = 0; i < COUNTERS_PER_RECORD; i++)
            {
                words[i] = file.get(record, i);
            }
            final boolean any = kind == KIND_BUCKETS ? OtherHostsTakes.bucketsEntry(words, values) :
                copyNonNegative(words, values);
            if (limits && !any)
            {
                continue; // this host took nothing from them yet
            }
            boolean changed = all;
            if (names[record] == null)
            {
                names[record] = file.name(record); // a ready record's name never changes
                changed = true;
            }
            final int base = record * COUNTERS_PER_RECORD;
            for (int i = 0; i < COUNTERS_PER_RECORD; i++)
            {
                if (sent[base + i] != values[i])
                {
                    sent[base + i] = values[i];
                    changed = true;
                }
            }
            if (changed)
            {
                entry.accept(kind, names[record], values);
                collected++;
            }
        }
        return collected;
    }

    /**
     * Copies the counters, a negative one (a budget word of a period past the year 2209, or damage) as 0, which no
     * receiver takes.
     *
     * @return whether any is non-zero.
     */
    private static boolean copyNonNegative(final long[] from, final long[] to)
    {
        boolean any = false;
        for (int i = 0; i < from.length; i++)
        {
            to[i] = Math.max(0, from[i]);
            any |= to[i] != 0;
        }
        return any;
    }
}
