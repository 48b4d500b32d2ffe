package dev.modelsel.engine.cli;

import dev.modelsel.engine.availability.AvailabilityRecord;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
import dev.modelsel.engine.cli.ModelselJar.Result;
import dev.modelsel.engine.probe.ScriptedServer;
import dev.modelsel.engine.probe.ScriptedServer.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.modelsel.engine.cli.ModelselJar.modelsel;
import static dev.modelsel.engine.cli.ModelselJar.modelselWith;
import static dev.modelsel.engine.cli.ModelselJar.startWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code modelsel probe} through the packaged command, against a loopback server in this JVM. */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProbeIT
{
    private static final String SONNET = "claude-3-sonnet-20240229";
    private static final String OPUS = "claude-3-opus-20240229";
    private static final String HAIKU = "claude-3-haiku-20240307";
    private static final String SECRET = "sk-ant-SECRET-4f9c2e7d1b";
    private static final Map<String, String> ENV = Map.of("ANTHROPIC_API_KEY", SECRET);

    @TempDir
    Path dir;

    private final ScriptedServer server = new ScriptedServer()
        .always("/ok", Answer.of(200))
        .always("/unavailable", Answer.of(503))
        .always("/limited", new Answer(429, "300", 0))
        .always("/forbidden", Answer.of(403));

    @AfterEach
    void stopServer()
    {
        server.close();
    }

    @Test
    void shouldProbeOnceSummarizeAndSteerTheNextSelect() throws Exception
    {
        final Path table = dir.resolve("availability.table");
        final Path config = config("once.yaml", SONNET, "/unavailable", OPUS, "/ok", HAIKU, "/limited",
            "gpt-4-turbo-preview", "/forbidden");
        final Result once = modelselWith(ENV, null, "probe", "--table", table.toString(), "--config",
            config.toString(), "--once");
        assertEquals(1, once.exitCode(), "a configuration problem is a failure: " + once.out() + once.err());
        assertTrue(once.out().contains(SONNET + ": down (503 in "), once.out());
        assertTrue(once.out().contains(OPUS + ": up (200 in "), once.out());
        assertTrue(once.out().contains(HAIKU + ": rate limited, cooling down until "), once.out());
        assertTrue(once.out().contains("gpt-4-turbo-preview: configuration problem, nothing written (403 in "),
            once.out());
        assertTrue(once.out().contains("Probed 4 models: 1 up, 1 cooling down, 1 down, 0 failing but not down yet, " +
            "1 with a configuration problem"), once.out());
        assertNoSecret(once.out() + once.err());
        assertEquals(List.of("Bearer " + SECRET), server.authorizations.stream().distinct().toList());

        final Result select = modelsel(null, "select", "--availability", table.toString(), "--complexity", "high",
            "--tokens", "145000", "--explain");
        assertEquals(0, select.exitCode(), select.err());
        assertTrue(select.out().contains("Answer: OK " + OPUS + ", tier 1 (initial tier 1, fallback SAME_TIER)"),
            select.out());
    }

    @Test
    void shouldRunTwoProbersOnOneTableUntilStoppedLoggingChangesOnly() throws Exception
    {
        final Path table = dir.resolve("shared.table");
        final Path first = config("first.yaml", SONNET, "/unavailable", OPUS, "/ok");
        final Path second = config("second.yaml", HAIKU, "/limited", OPUS, "/ok");
        try (SharedAvailabilityTable shared = SharedAvailabilityTable.open(table))
        {
            shared.setDown(OPUS); // for the probers to clear
        }
        final List<Process> probers = new ArrayList<>();
        try
        {
            probers.add(startWith(ENV, "probe", "--table", table.toString(), "--config", first.toString(), "--interval",
                "50ms"));
            probers.add(startWith(ENV, "probe", "--table", table.toString(), "--config", second.toString(), "--interval",
                "50ms"));
            final long deadline = System.currentTimeMillis() + 120_000;
            while (server.served("/ok") < 40 || server.served("/limited") < 10 || server.served("/unavailable") < 10)
            {
                assertTrue(System.currentTimeMillis() < deadline, "the probers keep probing");
                Thread.sleep(50);
            }
            try (SharedAvailabilityTable shared = SharedAvailabilityTable.open(table))
            {
                final AvailabilityRecord record = new AvailabilityRecord();
                assertTrue(shared.read(SONNET, record) && record.down(), "written by the first prober");
                assertTrue(shared.read(HAIKU, record) && record.cooldownUntilMs() > System.currentTimeMillis(),
                    "written by the second");
                assertTrue(shared.read(OPUS, record) && !record.down(), "opus answers: its down was cleared");
            }
            for (final Process prober : probers)
            {
                // SIGTERM as a service manager sends it (Process.destroy would also close the streams we read)
                assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(prober.pid())).start().waitFor());
            }
            for (final Process prober : probers)
            {
                final String out = new String(prober.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                final String err = new String(prober.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(prober.waitFor(60, TimeUnit.SECONDS), "stops on SIGTERM");
                assertEquals(143, prober.exitValue(), "the status of a process ended by SIGTERM");
                assertEquals(1, out.lines().filter(l -> l.contains(OPUS + ": up")).count(),
                    "one line per state change, not per probe:\n" + out);
                assertTrue(out.lines().anyMatch(l -> l.matches(".* stopped after \\d+ probes")), out);
                assertEquals("", err);
                assertNoSecret(out);
            }
        }
        finally
        {
            probers.forEach(Process::destroyForcibly); // a failed assertion must not leave probers running
        }
        assertEquals(0, modelsel(null, "availability", "--table", table.toString(), "reset").exitCode(),
            "closed cleanly: nobody holds the table");
    }

    @Test
    void shouldRefuseBadConfigurationWithoutShowingSecrets() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("bad.yaml"), """
            probes:
              - model: m
                url: %s
                headers:
                  Authorization: "Bearer ${NOT_SET_ANYWHERE}"
                  X-Key: "${ANTHROPIC_API_KEY}"
                  Host: "${ANTHROPIC_API_KEY}"
            """.formatted(server.url("/ok")));
        final Result result = modelselWith(ENV, null, "probe", "--table", dir.resolve("t").toString(), "--config",
            config.toString(), "--once");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("environment variable NOT_SET_ANYWHERE is not set"), result.err());
        assertTrue(result.err().contains("headers.Host (line 7): cannot be sent"), result.err());
        assertTrue(result.err().contains("nothing probed"), result.err());
        assertNoSecret(result.out() + result.err());
        assertFalse(Files.exists(dir.resolve("t")), "no table opened for a bad configuration");
        assertEquals(2, modelselWith(ENV, null, "probe", "--config", config.toString(), "--interval", "soon")
            .exitCode());
        assertEquals(2, modelselWith(ENV, null, "probe", "--config", config.toString()).exitCode(),
            "--once or --interval");
    }

    private Path config(final String name, final String... modelsAndPaths) throws Exception
    {
        final StringBuilder yaml = new StringBuilder("failures_to_down: 1\nprobes:\n");
        for (int i = 0; i < modelsAndPaths.length; i += 2)
        {
            yaml.append("  - model: ").append(modelsAndPaths[i]).append('\n')
                .append("    url: ").append(server.url(modelsAndPaths[i + 1])).append('\n')
                .append("    headers: {Authorization: \"Bearer ${ANTHROPIC_API_KEY}\"}\n");
        }
        return Files.writeString(dir.resolve(name), yaml.toString());
    }

    private static void assertNoSecret(final String output)
    {
        assertFalse(output.contains(SECRET) || output.contains("SECRET-4f9c"), "a secret leaked:\n" + output);
    }
}
