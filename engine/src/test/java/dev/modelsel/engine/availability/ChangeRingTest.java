package dev.modelsel.engine.availability;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeRingTest
{
    private final AtomicLongArray memory = new AtomicLongArray(2 * ChangeRing.SLOTS);
    private final ChangeRing ring = new ChangeRing(new ChangeRing.Slots()
    {
        @Override
        public long get(final int index)
        {
            return memory.get(index);
        }

        @Override
        public void put(final int index, final long value)
        {
            memory.set(index, value);
        }
    });

    @Test
    void shouldTellTheRecordsOfTheLastChanges()
    {
        for (int s = 1; s <= 100; s++)
        {
            ring.note(s, 1000 + s);
        }
        final List<Integer> told = new ArrayList<>();
        assertTrue(ring.changes(90, 100, told::add));
        assertEquals(List.of(1091, 1092, 1093, 1094, 1095, 1096, 1097, 1098, 1099, 1100), told);
        assertTrue(ring.changes(100, 100, told::add), "nothing changed: nothing to tell");
    }

    @Test
    void shouldNotTellWhatItNoLongerRemembers()
    {
        for (int s = 1; s <= 200; s++)
        {
            ring.note(s, s);
        }
        assertFalse(ring.changes(100, 200, hash -> { }), "more changes than slots");
        assertFalse(ring.changes(130, 140, hash -> { }), "those slots were written again since");
        assertTrue(ring.changes(150, 200, hash -> { }));
    }

    @Test
    void shouldGiveUpOnAChangeCountedButNeverNoted()
    {
        ring.note(1, 7);
        final long start = System.nanoTime();
        assertFalse(ring.changes(0, 2, hash -> { }), "change 2 was counted, then its writer died");
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "after a short wait, not forever");
    }
}
