package dev.modelsel.engine.probe;

import dev.modelsel.engine.availability.AvailabilityRecord;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.modelsel.engine.probe.ProbeVerdict.State.COOLING;
import static dev.modelsel.engine.probe.ProbeVerdict.State.DOWN;
import static dev.modelsel.engine.probe.ProbeVerdict.State.FAILING;
import static dev.modelsel.engine.probe.ProbeVerdict.State.MISCONFIGURED;
import static dev.modelsel.engine.probe.ProbeVerdict.State.UP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each row of the mapping, on an in-memory table with a fixed clock. */
class ProbeJudgeTest
{
    private static final long NOW_MS = 1_800_000_000_000L;
    private static final String MODEL = "m";

    private final InMemoryAvailabilityTable table = new InMemoryAvailabilityTable();

    @Test
    void shouldClearDownOnA2xxAndLeaveTheCooldown()
    {
        table.setDown(MODEL);
        table.setRateLimited(MODEL, NOW_MS + 5_000);
        final ProbeVerdict verdict = judge(1).judge(ProbeResult.answered(MODEL, 204, null, 3));
        assertEquals(UP, verdict.state());
        assertFalse(record().down());
        assertEquals(NOW_MS + 5_000, record().cooldownUntilMs(), "the provider's cooldown stands");
    }

    @Test
    void shouldCoolDownOnA429ForRetryAfterInSecondsOrAsADate()
    {
        final ProbeJudge judge = judge(1);
        assertEquals(NOW_MS + 120_000, judge.judge(ProbeResult.answered(MODEL, 429, "120", 1)).cooldownUntilMs());
        final ProbeJudge other = judge(1);
        final ProbeVerdict dated = other.judge(ProbeResult.answered("n", 429, "Fri, 15 Jan 2027 08:00:00 GMT", 1));
        assertEquals(COOLING, dated.state());
        assertEquals(java.time.Instant.parse("2027-01-15T08:00:00Z").toEpochMilli(), dated.cooldownUntilMs());
        assertEquals(NOW_MS + 60_000, other.judge(ProbeResult.answered("o", 429, null, 1)).cooldownUntilMs());
        assertEquals(NOW_MS + 60_000, other.judge(ProbeResult.answered("p", 429, "soon", 1)).cooldownUntilMs());
        assertFalse(record().down(), "a 429 is no outage");
    }

    @Test
    void shouldMarkDownOnlyAfterFailuresToDownInARow()
    {
        final ProbeJudge judge = judge(3);
        assertEquals(FAILING, judge.judge(ProbeResult.answered(MODEL, 503, null, 1)).state());
        assertEquals(FAILING, judge.judge(ProbeResult.failed(MODEL, "connection refused", 1)).state());
        assertFalse(table.read(MODEL, new AvailabilityRecord()) && record().down(), "nothing written yet");
        final ProbeVerdict third = judge.judge(ProbeResult.failed(MODEL, "no answer within 200 ms", 200));
        assertEquals(DOWN, third.state());
        assertEquals(3, third.failuresInARow());
        assertTrue(record().down());

        assertEquals(UP, judge.judge(ProbeResult.answered(MODEL, 200, null, 1)).state());
        assertEquals(FAILING, judge.judge(ProbeResult.answered(MODEL, 500, null, 1)).state(), "the count starts again");
        assertFalse(record().down());
    }

    @Test
    void shouldReportOther4xxAndRedirectsAsConfigurationProblemsAndWriteNothing()
    {
        final ProbeJudge judge = judge(1);
        for (final int status : new int[] {401, 403, 404, 301, 101})
        {
            final ProbeVerdict verdict = judge.judge(ProbeResult.answered(MODEL, status, null, 1));
            assertEquals(MISCONFIGURED, verdict.state(), "status " + status);
        }
        assertFalse(table.read(MODEL, new AvailabilityRecord()), "no record was written");
        assertTrue(judge.judge(ProbeResult.answered(MODEL, 301, null, 1)).describe(1).contains("a redirect"));
    }

    @Test
    void shouldSayChangedOnlyWhenTheStateChanges()
    {
        final ProbeJudge judge = judge(2);
        final List<String> log = new ArrayList<>();
        final int[] script = {200, 200, 503, 200, 503, 503, 503, 429, 429, 200, 404, 404, 200};
        for (final int status : script)
        {
            final ProbeVerdict verdict = judge.judge(ProbeResult.answered(MODEL, status, "1", 1));
            if (verdict.changed())
            {
                log.add(verdict.state().name());
            }
        }
        assertEquals(List.of("UP", "DOWN", "COOLING", "UP", "MISCONFIGURED", "UP"), log,
            "a lone 503 below the threshold is no change; repeats are not logged");
        assertTrue(judge(1).judge(ProbeResult.answered("first", 503, null, 1)).changed());
        final ProbeJudge two = judge(2);
        assertTrue(two.judge(ProbeResult.answered("first", 503, null, 1)).changed(), "a model's first state is news");
        final ProbeVerdict second = two.judge(ProbeResult.answered("first", 502, null, 1));
        assertEquals(DOWN, second.state());
        assertTrue(second.changed());
    }

    @Test
    void shouldRefuseAThresholdBelowOne()
    {
        assertThrows(IllegalArgumentException.class, () -> judge(0));
    }

    private ProbeJudge judge(final int failuresToDown)
    {
        return new ProbeJudge(table, failuresToDown, () -> NOW_MS);
    }

    private AvailabilityRecord record()
    {
        final AvailabilityRecord record = new AvailabilityRecord();
        assertTrue(table.read(MODEL, record));
        return record;
    }
}
