package dev.modelsel.engine.availability;

import java.util.function.IntConsumer;

/**
 * The last {@link #SLOTS} changes of an availability table, by change sequence: which record each one changed, as
 * the {@link String#hashCode()} of its model id (the same in every JVM). With it a reader that falls behind by a few
 * changes re-reads just those records instead of all of them; a reader further behind, or one that loses a race
 * with the writers, re-reads everything. A hash shared by two ids only costs an extra read.
 * <p>
 * Each slot is {@code [sequence, key hash]}, written as a seqlock: the sequence is invalidated, the hash written,
 * then the sequence set, each a volatile store; a reader takes the hash only if it reads the same sequence before
 * and after it.
 */
final class ChangeRing
{
    /** Slots: a power of two. */
    static final int SLOTS = 64;
    private static final long WRITING = -1;
    /** How long a reader waits for a writer that has counted its change but not yet noted it. */
    private static final long NOTE_WAIT_NS = 20_000;

    /** Where the slots live: an off-heap buffer or an on-heap array, as long values with volatile access. */
    interface Slots
    {
        long get(int index);

        void put(int index, long value);
    }

    private final Slots slots;

    ChangeRing(final Slots slots)
    {
        this.slots = slots;
    }

    /** Notes that the change counted as {@code sequence} changed the record of {@code keyHash}. */
    void note(final long sequence, final int keyHash)
    {
        final int slot = (int)(sequence & (SLOTS - 1)) * 2;
        slots.put(slot, WRITING);
        slots.put(slot + 1, keyHash);
        slots.put(slot, sequence);
    }

    /**
     * Calls {@code changed} with the key hash of every change after {@code from} up to {@code to}.
     *
     * @return false when some of them can no longer be told (then the reader re-reads everything).
     */
    boolean changes(final long from, final long to, final IntConsumer changed)
    {
        if (to - from > SLOTS || to < from)
        {
            return false;
        }
        for (long sequence = from + 1; sequence <= to; sequence++)
        {
            final int slot = (int)(sequence & (SLOTS - 1)) * 2;
            final long giveUpAt = System.nanoTime() + NOTE_WAIT_NS;
            long before = slots.get(slot);
            while (before != sequence && before < sequence && System.nanoTime() < giveUpAt)
            {
                Thread.onSpinWait(); // counted but not yet noted: the writer is between the two
                before = slots.get(slot);
            }
            final long keyHash = slots.get(slot + 1);
            if (before != sequence || slots.get(slot) != sequence)
            {
                return false;
            }
            changed.accept((int)keyHash);
        }
        return true;
    }
}
