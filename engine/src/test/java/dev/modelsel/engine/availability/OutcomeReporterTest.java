package dev.modelsel.engine.availability;

import dev.modelsel.engine.probe.ScriptedServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP outcomes to availability, the one mapping that LLM clients and the prober share. */
class OutcomeReporterTest
{
    private static final long NOW = 1_445_412_480_000L; // Wed, 21 Oct 2015 07:28:00 GMT

    private final InMemoryAvailabilityTable table = new InMemoryAvailabilityTable();
    private final OutcomeReporter reporter = new OutcomeReporter(table, () -> NOW);
    private final AvailabilityRecord record = new AvailabilityRecord();

    @Test
    void shouldCoolDownFor60SecondsOnA429WithoutRetryAfter()
    {
        final OutcomeReporter.Outcome outcome = reporter.reportStatus("m", 429, null);
        assertEquals(OutcomeReporter.Effect.COOLDOWN, outcome.effect());
        assertEquals(NOW + 60_000, outcome.cooldownUntilMs());
        assertEquals(NOW + 60_000, reporter.reportStatus("m", 429, "soon, please").cooldownUntilMs(), "unparseable");
        assertEquals(NOW + 60_000, reporter.reportStatus("n", 429, "-5").cooldownUntilMs(), "negative is unparseable");
    }

    @Test
    void shouldReportAnHttpClientResponseAsItsStatusAndRetryAfter() throws Exception
    {
        try (ScriptedServer server = new ScriptedServer().always("/limited", new ScriptedServer.Answer(429, "30", 0)))
        {
            final HttpResponse<Void> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.url("/limited"))).build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(NOW + 30_000, reporter.reportResponse("m", response).cooldownUntilMs());
        }
    }

    @Test
    void shouldReadRetryAfterInSecondsAndAsAnHttpDate()
    {
        assertEquals(NOW + 120_000, reporter.reportStatus("a", 429, "120").cooldownUntilMs());
        assertEquals(NOW + 90_000, reporter.reportStatus("b", 429, "Wed, 21 Oct 2015 07:29:30 GMT").cooldownUntilMs());
        assertEquals(NOW + 30_000, reporter.reportStatus("c", 429, "Wednesday, 21-Oct-15 07:28:30 GMT").cooldownUntilMs());
        assertEquals(NOW + 5_000, reporter.reportStatus("d", 429, "Wed Oct 21 07:28:05 2015").cooldownUntilMs());
        assertEquals(NOW, reporter.reportStatus("e", 429, "Tue, 20 Oct 2015 07:28:00 GMT").cooldownUntilMs(),
            "a date already past: available now");
        assertEquals(NOW + 86_400_000, reporter.reportStatus("f", 429, "99999999999999999999").cooldownUntilMs(),
            "at most a day: one absurd header must not keep a model out for good");
        assertEquals(NOW + 86_400_000, reporter.reportStatus("g", 429, "Fri, 31 Dec 9999 23:59:59 GMT")
            .cooldownUntilMs());
    }

    @Test
    void shouldKeepTheLaterCooldown()
    {
        reporter.reportStatus("m", 429, "600");
        assertEquals(NOW + 600_000, reporter.reportStatus("m", 429, "10").cooldownUntilMs());
    }

    @Test
    void shouldMarkDownOn5xxAndOnIoFailure()
    {
        assertEquals(OutcomeReporter.Effect.DOWN, reporter.reportStatus("a", 503, null).effect());
        assertTrue(table.read("a", record) && record.down());
        assertEquals(OutcomeReporter.Effect.DOWN, reporter.reportIoFailure("b").effect());
        assertTrue(table.read("b", record) && record.down());
        reporter.reportStatus("c", 599, null);
        assertTrue(table.read("c", record) && record.down());
    }

    @Test
    void shouldClearDownButKeepTheCooldownOn2xx()
    {
        reporter.reportStatus("m", 500, null);
        reporter.reportStatus("m", 429, "30");
        assertEquals(OutcomeReporter.Effect.UP, reporter.reportStatus("m", 200, null).effect());
        table.read("m", record);
        assertFalse(record.down());
        assertEquals(NOW + 30_000, record.cooldownUntilMs(), "the provider's cooldown stands until it expires");
        reporter.reportStatus("m", 204, null);
        assertFalse(record.isAvailable(NOW + 29_999));
    }

    @Test
    void shouldChangeNothingOnOther4xxAnd3xx()
    {
        final long before = table.changeSequence();
        for (final int status : new int[] {400, 401, 403, 404, 408, 413, 301, 304, 101, 600})
        {
            assertEquals(OutcomeReporter.Effect.NONE, reporter.reportStatus("m", status, "5").effect(), "status " + status);
        }
        assertEquals(before, table.changeSequence());
        assertFalse(table.read("m", record));
        assertThrows(IllegalArgumentException.class, () -> reporter.reportStatus("", 404, null));
    }
}
