package dev.modelsel.engine.replication;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HybridClockTest
{
    private static final long WALL_MS = 1_700_000_000_000L;

    @Test
    void shouldStayAtTheEndOfTheRangeRatherThanWrapBelowZero()
    {
        assertEquals(HybridClock.MAX, HybridClock.tick(HybridClock.MAX - 1, WALL_MS));
        assertEquals(HybridClock.MAX, HybridClock.tick(HybridClock.MAX, WALL_MS));
        assertEquals(HybridClock.MAX, HybridClock.tick(HybridClock.MAX, Long.MAX_VALUE));
        assertEquals(HybridClock.MAX, HybridClock.tick(Long.MAX_VALUE, WALL_MS), "Long.MAX_VALUE, from a peer");
    }

    @Test
    void shouldNeverDecreaseNearTheEndOfTheRange()
    {
        long clock = HybridClock.at(Long.MAX_VALUE) - 3;
        for (int i = 0; i < (1 << 17); i++)
        {
            final long next = HybridClock.tick(clock, i % 2 == 0 ? WALL_MS : Long.MAX_VALUE);
            assertTrue(next >= clock, HybridClock.toString(clock) + " -> " + HybridClock.toString(next));
            clock = next;
        }
        assertEquals(HybridClock.MAX, clock);
    }

    @Test
    void shouldPackEveryNonNegativeLongAndNothingElse()
    {
        assertEquals(Long.MAX_VALUE, HybridClock.MAX, "the range ends where a long does: no clock above it to refuse");
        assertEquals(HybridClock.MAX, HybridClock.at(Long.MAX_VALUE) | 0xFFFF);
        assertEquals(HybridClock.ZERO, HybridClock.at(-1));
    }
}
