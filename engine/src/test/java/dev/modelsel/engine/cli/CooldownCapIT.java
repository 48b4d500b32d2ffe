package dev.modelsel.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.modelsel.engine.cli.ModelselJar.modelsel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC §3: a cooldown set from the command line lasts at most a day, whatever deadline is asked for. */
class CooldownCapIT
{
    @Test
    void shouldKeepAFarFutureCooldownToADayAhead(@TempDir final Path dir) throws Exception
    {
        final String table = dir.resolve("availability.table").toString();
        final long before = System.currentTimeMillis();
        final ModelselJar.Result set = modelsel(null, "availability", "--table", table, "cooldown", "m",
            "--until-ms", String.valueOf(Long.MAX_VALUE));
        assertEquals(0, set.exitCode(), set.err());
        assertTrue(set.out().contains("kept to a day ahead"), set.out());
        final ModelselJar.Result shown = modelsel(null, "availability", "--table", table, "show", "--json");
        final long deadline = Long.parseLong(shown.out().replaceAll("(?s).*\"cooldown_until_ms\": ?(\\d+).*", "$1"));
        assertTrue(deadline >= before + 86_400_000L && deadline <= System.currentTimeMillis() + 86_400_000L,
            deadline + " is a day after the command ran");
    }
}
