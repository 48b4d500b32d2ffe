package dev.modelsel.engine.probe;

import dev.modelsel.engine.availability.AvailabilityRecord;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.probe.ScriptedServer.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLException;

import static dev.modelsel.engine.probe.ProbeVerdict.State.COOLING;
import static dev.modelsel.engine.probe.ProbeVerdict.State.DOWN;
import static dev.modelsel.engine.probe.ProbeVerdict.State.FAILING;
import static dev.modelsel.engine.probe.ProbeVerdict.State.MISCONFIGURED;
import static dev.modelsel.engine.probe.ProbeVerdict.State.UP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The prober over real HTTP against a loopback server scripted to answer 200, 429, 503, slowly, or not at all, and
 * a raw one that closes kept-alive connections, resets them or never answers.
 */
@Timeout(60)
class ProberTest
{
    private static final String SECRET = "Bearer sk-test-0123456789";

    private final ScriptedServer server = new ScriptedServer();
    private final InMemoryAvailabilityTable table = new InMemoryAvailabilityTable();

    @AfterEach
    void stopServer()
    {
        server.close();
    }

    @Test
    void shouldWriteWhatEachAnswerMeans() throws Exception
    {
        final String inAnHour = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC)
            .format(Instant.now().plusSeconds(3600));
        server.always("/ok", Answer.of(200))
            .always("/limited", new Answer(429, "120", 0))
            .always("/limited-date", new Answer(429, inAnHour, 0))
            .always("/limited-bare", Answer.of(429))
            .always("/unavailable", Answer.of(503))
            .always("/slow", new Answer(200, null, 3_000))
            .always("/missing", Answer.of(404));
        table.setDown("ok");
        final long before = System.currentTimeMillis();
        final List<ProbeTarget> targets = new ArrayList<>(List.of(target("ok", "/ok", 2_000),
            target("limited", "/limited", 2_000), target("limited-date", "/limited-date", 2_000),
            target("limited-bare", "/limited-bare", 2_000), target("unavailable", "/unavailable", 2_000),
            target("slow", "/slow", 200), target("missing", "/missing", 2_000)));
        targets.add(new ProbeTarget("refused", URI.create("http://127.0.0.1:" + closedPort() + "/"), "GET", Map.of(),
            2_000));
        final List<ProbeVerdict> verdicts;
        try (Prober prober = new Prober(new ProbeConfig(targets, 1_000, 1, 8), table,
            ProbeListener.IGNORE))
        {
            verdicts = prober.probeOnce();
        }
        final long after = System.currentTimeMillis();
        assertEquals(List.of(UP, COOLING, COOLING, COOLING, DOWN, DOWN, MISCONFIGURED, DOWN),
            verdicts.stream().map(ProbeVerdict::state).toList(), verdicts.toString());
        assertFalse(record("ok").down(), "a 2xx clears down");
        assertBetween(before + 120_000, after + 120_000, record("limited").cooldownUntilMs());
        assertEquals(DateTimeFormatter.RFC_1123_DATE_TIME.parse(inAnHour, Instant::from).toEpochMilli(),
            record("limited-date").cooldownUntilMs());
        assertBetween(before + 60_000, after + 60_000, record("limited-bare").cooldownUntilMs());
        assertTrue(record("unavailable").down());
        assertTrue(record("slow").down(), "no answer within the timeout");
        assertTrue(verdicts.get(5).result().failure().startsWith("no answer within 200 ms"), verdicts.get(5).toString());
        assertTrue(record("refused").down());
        assertFalse(table.read("missing", new AvailabilityRecord()), "a 404 writes nothing");
        assertEquals(List.of(SECRET), server.authorizations.stream().distinct().toList(), "the header was sent");
    }

    @Test
    void shouldFollowAFlappingEndpointLoggingOnlyChanges() throws Exception
    {
        server.sequence("/flap", Answer.of(200), Answer.of(503), Answer.of(200), Answer.of(503), Answer.of(503),
            Answer.of(502), Answer.of(200), Answer.of(200), Answer.of(429), Answer.of(200));
        final List<ProbeVerdict> changes = new CopyOnWriteArrayList<>();
        final List<ProbeVerdict> all = new CopyOnWriteArrayList<>();
        try (Prober prober = new Prober(new ProbeConfig(List.of(target("flap", "/flap", 2_000)), 20, 2, 8), table,
            listener(all, changes)))
        {
            prober.start();
            waitUntil(() -> all.size() >= 14);
        }
        assertEquals(List.of(UP, FAILING, UP, FAILING, DOWN, DOWN, UP, UP, COOLING, UP),
            all.stream().limit(10).map(ProbeVerdict::state).toList());
        assertEquals(List.of(UP, DOWN, UP, COOLING, UP), changes.stream().map(ProbeVerdict::state).toList(),
            "one line per change: a lone 503 under failures_to_down changes nothing");
        assertFalse(record("flap").down());
    }

    @Test
    void shouldKeepOneProbePerModelInFlightAndMaxConcurrentInAll() throws Exception
    {
        final List<ProbeTarget> targets = new ArrayList<>();
        for (int m = 0; m < 5; m++)
        {
            server.always("/m" + m, new Answer(200, null, 40));
            targets.add(target("m" + m, "/m" + m, 2_000));
        }
        final List<ProbeVerdict> all = new CopyOnWriteArrayList<>();
        try (Prober prober = new Prober(new ProbeConfig(targets, 1, 1, 2), table, listener(all, new ArrayList<>())))
        {
            prober.start();
            waitUntil(() -> all.size() >= 40);
        }
        assertTrue(server.mostInFlight() <= 2, "max_concurrent 2, saw " + server.mostInFlight());
        assertEquals(2, server.mostInFlight(), "both slots were used");
        for (int m = 0; m < 5; m++)
        {
            assertEquals(1, server.mostInFlight("/m" + m), "one probe of m" + m + " at a time");
            assertTrue(server.served("/m" + m) >= 3, "every model gets its turn: m" + m + " " + server.served("/m" + m));
        }
    }

    @Test
    void shouldStopAtOnceDroppingQueuedAndUnfinishedProbes() throws Exception
    {
        final List<ProbeTarget> targets = new ArrayList<>();
        for (int m = 0; m < 4; m++)
        {
            server.always("/late" + m, new Answer(503, null, 2_000));
            targets.add(target("late" + m, "/late" + m, 10_000));
        }
        final List<ProbeVerdict> all = new CopyOnWriteArrayList<>();
        final Prober prober = new Prober(new ProbeConfig(targets, 50, 1, 1), table, listener(all, new ArrayList<>()));
        prober.start();
        waitUntil(() -> prober.probesSent() == 1);
        final long startNs = System.nanoTime();
        prober.close();
        assertTrue(System.nanoTime() - startNs < 1_900_000_000L, "close does not wait for the 2 s answer");
        Thread.sleep(2_500);
        assertEquals(1, prober.probesSent(), "queued probes are dropped, not sent");
        assertEquals(List.of(), all, "an abandoned probe says nothing");
        assertFalse(table.read("late0", new AvailabilityRecord()), "and writes nothing");
    }

    @Test
    void shouldNotMarkDownAServerThatClosesEachKeptAliveConnection() throws Exception
    {
        try (RawServer closing = new RawServer(RawServer.Behaviour.CLOSE_ON_REUSE))
        {
            final List<ProbeTarget> targets = new ArrayList<>();
            for (int m = 0; m < 8; m++)
            {
                targets.add(new ProbeTarget("c" + m, URI.create(closing.url("/c" + m)), "GET", Map.of(), 2_000));
            }
            final List<ProbeVerdict> verdicts = new ArrayList<>();
            try (Prober prober = new Prober(new ProbeConfig(targets, 1_000, 1, 8), table, ProbeListener.IGNORE))
            {
                for (int round = 0; round < 38; round++)
                {
                    verdicts.addAll(prober.probeOnce());
                }
            }
            assertEquals(List.of(), verdicts.stream().filter(verdict -> verdict.state() != UP).toList(),
                "304 probes of a healthy server, each answered on a new connection if the reused one was closed");
            assertEquals(304, closing.answered(), "one answer per probe");
        }
    }

    @Test
    void shouldRetryAConnectionResetOnceAndStillMarkItDown() throws Exception
    {
        try (RawServer resetGet = new RawServer(RawServer.Behaviour.RESET);
            RawServer resetPost = new RawServer(RawServer.Behaviour.RESET))
        {
            final List<ProbeVerdict> verdicts = new ArrayList<>();
            try (Prober prober = new Prober(new ProbeConfig(List.of(
                new ProbeTarget("get", URI.create(resetGet.url("/")), "GET", Map.of(), 2_000),
                new ProbeTarget("post", URI.create(resetPost.url("/")), "POST", Map.of(), 2_000)), 1_000, 3, 8), table,
                ProbeListener.IGNORE))
            {
                for (int probe = 1; probe <= 3; probe++)
                {
                    verdicts.addAll(prober.probeOnce());
                    assertEquals(2 * probe, resetPost.requests(), "each probe is sent twice, never more");
                    assertTrue(resetGet.requests() <= 4 * probe,
                        "the JDK's client sends a GET again by itself, once per request: " + resetGet.requests());
                }
            }
            assertEquals(List.of(FAILING, FAILING, FAILING, FAILING, DOWN, DOWN),
                verdicts.stream().map(ProbeVerdict::state).toList());
            assertTrue(record("get").down(), "down after failures_to_down probes, not requests");
            assertTrue(record("post").down());
            assertTrue(verdicts.get(5).result().failure().endsWith("(again on a new connection)"),
                verdicts.get(5).toString());
        }
    }

    @Test
    void shouldNeverRetryATimeoutOrAnHttpStatus() throws Exception
    {
        server.always("/unavailable", Answer.of(503)).always("/error", Answer.of(500))
            .always("/limited", Answer.of(429));
        try (RawServer silent = new RawServer(RawServer.Behaviour.SILENT))
        {
            final List<ProbeVerdict> verdicts;
            try (Prober prober = new Prober(new ProbeConfig(List.of(
                new ProbeTarget("silent", URI.create(silent.url("/")), "GET", Map.of(), 200),
                target("unavailable", "/unavailable", 2_000), target("error", "/error", 2_000),
                target("limited", "/limited", 2_000)), 1_000, 1, 8), table, ProbeListener.IGNORE))
            {
                verdicts = prober.probeOnce();
            }
            assertEquals(List.of(DOWN, DOWN, DOWN, COOLING), verdicts.stream().map(ProbeVerdict::state).toList());
            assertEquals(1, silent.requests(), "a timeout is not retried");
        }
        assertEquals(1, server.served("/unavailable"));
        assertEquals(1, server.served("/error"));
        assertEquals(1, server.served("/limited"));
    }

    @Test
    void shouldRetryOnlyAConnectionThatEndedBeforeTheFirstByteOfAnAnswer()
    {
        final String noBytes = "HTTP/1.1 header parser received no bytes";
        assertTrue(Prober.endedBeforeAnswering(new IOException(noBytes, new IOException(noBytes,
            new EOFException("EOF reached while reading")))), "the end of a reused connection");
        assertTrue(Prober.endedBeforeAnswering(new IOException(noBytes, new IOException(noBytes,
            new SocketException("Connection reset")))), "a reset reused connection");
        assertTrue(Prober.endedBeforeAnswering(new IOException("subscription is finished", new IOException(noBytes))),
            "the JDK's own retries used up");
        assertFalse(Prober.endedBeforeAnswering(new IOException("HTTP/1.1 header parser received 12 bytes",
            new EOFException())), "an answer cut off");
        assertFalse(Prober.endedBeforeAnswering(new HttpTimeoutException("request timed out")));
        assertFalse(Prober.endedBeforeAnswering(new ConnectException("Connection refused")));
        assertFalse(Prober.endedBeforeAnswering(new SSLException(noBytes)), "TLS failures are not retried");
        assertFalse(Prober.endedBeforeAnswering(new IOException((String)null)));
    }

    private ProbeTarget target(final String model, final String path, final long timeoutMs)
    {
        return new ProbeTarget(model, URI.create(server.url(path)), "GET", Map.of("Authorization", SECRET), timeoutMs);
    }

    private static ProbeListener listener(final List<ProbeVerdict> all, final List<ProbeVerdict> changes)
    {
        return new ProbeListener()
        {
            @Override
            public void onVerdict(final ProbeVerdict verdict)
            {
                all.add(verdict);
                if (verdict.changed())
                {
                    changes.add(verdict);
                }
            }

            @Override
            public void onError(final String model, final RuntimeException failure)
            {
                throw new AssertionError(model, failure);
            }
        };
    }

    private AvailabilityRecord record(final String model)
    {
        final AvailabilityRecord record = new AvailabilityRecord();
        assertTrue(table.read(model, record), model + " has a record");
        return record;
    }

    private static void assertBetween(final long low, final long high, final long value)
    {
        assertTrue(value >= low && value <= high, value + " not in [" + low + ", " + high + "]");
    }

    private static int closedPort() throws Exception
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    private static void waitUntil(final BooleanSupplier condition) throws InterruptedException
    {
        while (!condition.getAsBoolean())
        {
            Thread.sleep(5);
        }
    }
}
