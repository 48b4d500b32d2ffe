package dev.modelsel.engine.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationsTest
{
    @Test
    void shouldReadDurationsAsPeopleWriteThem()
    {
        assertEquals(30_000, Durations.parseMs("30s"));
        assertEquals(250, Durations.parseMs("250ms"));
        assertEquals(5_400_000, Durations.parseMs("1h30m"));
        assertEquals(86_400_000, Durations.parseMs("1d"));
        assertEquals(30_000, Durations.parseMs("PT30S"));
        assertEquals(90_000, Durations.parseMs(" 1m30s "));
    }

    @Test
    void shouldRefuseAnythingElseNamingTheForms()
    {
        for (final String bad : new String[] {"", "30", "s", "30x", "1h 30m", "-5s", "PTX"})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Durations.parseMs(bad), bad);
            assertEquals("not a duration: \"" + bad + "\" (write e.g. 30s, 5m, 1h30m, 250ms or PT30S)", ex.getMessage());
        }
    }
}
