package dev.modelsel.engine.cli;

import dev.modelsel.engine.availability.TableBytes;
import dev.modelsel.engine.jvm.JvmFlags;
import dev.modelsel.engine.reference.ReferenceProtocol;
import dev.modelsel.engine.replication.HostId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared availability table through the packaged command: {@code modelsel run --availability} processes
 * seeing each other's writes, the {@code availability} command, refusals, and the jar's hygiene (no analytics,
 * a clear message without the JVM flags).
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedTableIT
{
    private static final Path JAR = Path.of("target", "modelsel.jar");
    private static final String SONNET = "claude-3-sonnet-20240229";
    private static final String OPUS = "claude-3-opus-20240229";
    private static final String SELECT_HIGH = "{\"op\": \"select\", \"complexity\": \"high\", \"tokens\": 145000}";

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopProcesses()
    {
        started.forEach(Process::destroyForcibly);
    }

    /** One {@code modelsel run} process, request by request. */
    private final class Runner
    {
        private final Process process;
        private final OutputStream in;
        private final BufferedReader out;

        Runner(final String... args) throws IOException
        {
            process = start(args);
            in = process.getOutputStream();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Sends one line and waits for its answer: when this returns, the request has been served. */
        Map<?, ?> ask(final String request) throws IOException
        {
            in.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            final String answer = out.readLine();
            assertTrue(answer != null, "no answer to " + request + " (exit " + (process.isAlive() ? "-" : process.exitValue()) + ")");
            return ReferenceProtocol.JSON.readValue(answer, Map.class);
        }

        void finish() throws Exception
        {
            in.close();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue());
        }
    }

    @Test
    void shouldShowOneProcessesWriteToTheNextSelectOfAnother() throws Exception
    {
        final String table = dir.resolve("shared.table").toString();
        final Runner a = new Runner("run", "--availability", table);
        final Runner b = new Runner("run", "--availability", table);
        assertEquals(SONNET, a.ask(SELECT_HIGH).get("model"));
        assertEquals(SONNET, b.ask(SELECT_HIGH).get("model"));

        assertEquals("OK", a.ask(setDown(SONNET)).get("status"));
        assertAnswer(b.ask(SELECT_HIGH), OPUS, "SAME_TIER", "B sees A's set_down");
        assertEquals("OK", b.ask("{\"op\": \"set_up\", \"model\": \"" + SONNET + "\"}").get("status"));
        assertAnswer(a.ask(SELECT_HIGH), SONNET, "NONE", "A sees B's set_up");

        final long now = System.currentTimeMillis();
        assertEquals("OK", a.ask("{\"op\": \"set_rate_limited\", \"model\": \"" + SONNET + "\", \"until_ms\": " +
            (now + 600_000) + "}").get("status"));
        assertAnswer(b.ask(SELECT_HIGH), OPUS, "SAME_TIER", "B sees A's cooldown");
        final Map<?, ?> wait = b.ask("{\"op\": \"rate_limited\", \"complexity\": \"high\", \"tokens\": 145000, " +
            "\"model\": \"" + OPUS + "\", \"tier\": 1, \"retry_after_ms\": 600000}");
        assertEquals("WAIT", wait.get("status"), "B: opus rate limited and sonnet cooling (A's write): " + wait);
        assertEquals(OPUS, wait.get("model"));
        final Map<?, ?> waiting = a.ask(SELECT_HIGH);
        assertEquals("NO_MODEL_AVAILABLE", waiting.get("status"), "A sees B's rate_limited write: both tier-1 models cool");
        assertEquals("OK", b.ask("{\"op\": \"set_up\", \"model\": \"" + OPUS + "\"}").get("status"));
        assertAnswer(a.ask(SELECT_HIGH), OPUS, "SAME_TIER", "A sees B's set_up of opus while sonnet still cools");
        a.finish();
        b.finish();
    }

    @Test
    void shouldWriteAndShowTheTableFromTheShell() throws Exception
    {
        final String table = dir.resolve("cli.table").toString();
        assertEquals(0, modelsel("availability", "--table", table, "set-down", SONNET).exitCode());
        final Result cooldown = modelsel("availability", "--table", table, "cooldown", OPUS, "--for", "10m");
        assertEquals(0, cooldown.exitCode(), cooldown.err());
        assertTrue(cooldown.out().contains("cooling down until"), cooldown.out());
        assertEquals(0, modelsel("availability", "--table", table, "cooldown", "other/model:free", "--until-ms", "5").exitCode());

        final Result show = modelsel("availability", "--table", table, "show", "--json");
        assertEquals(0, show.exitCode(), show.err());
        assertEquals(1, show.out().lines().count(), "exactly one JSON object");
        final Map<?, ?> records = ReferenceProtocol.JSON.readValue(show.out(), Map.class);
        assertEquals(3, records.size(), records.toString());
        assertEquals(true, ((Map<?, ?>)records.get(SONNET)).get("down"));
        assertEquals(null, ((Map<?, ?>)records.get(SONNET)).get("cooldown_until_ms"));
        assertTrue(((Number)((Map<?, ?>)records.get(OPUS)).get("cooldown_until_ms")).longValue() > System.currentTimeMillis());
        assertEquals(5, ((Number)((Map<?, ?>)records.get("other/model:free")).get("cooldown_until_ms")).intValue(),
            "an id no catalog has is kept and listed");
        final String host = HostId.ofThisHost();
        final Map<?, ?> sonnet = (Map<?, ?>)records.get(SONNET);
        assertEquals(host, sonnet.get("flag_by"), "the table's creator stamped this host's name: " + sonnet);
        assertTrue(Math.abs(((Number)sonnet.get("flag_at_ms")).longValue() - System.currentTimeMillis()) < 600_000,
            sonnet.toString());
        assertEquals(null, sonnet.get("cooldown_by"), "no cooldown was ever set");
        assertEquals(null, sonnet.get("cooldown_at_ms"));
        assertEquals(null, sonnet.get("epoch_by"), "never set up: the first epoch");
        final Map<?, ?> opus = (Map<?, ?>)records.get(OPUS);
        assertEquals(host, opus.get("cooldown_by"), opus.toString());
        assertTrue(((Number)opus.get("cooldown_at_ms")).longValue() >= ((Number)sonnet.get("flag_at_ms")).longValue());
        assertEquals(null, opus.get("flag_by"), "its flag was never written");

        final Result explain = modelsel("select", "--complexity", "high", "--tokens", "145000", "--availability", table,
            "--explain");
        assertEquals(1, explain.exitCode(), explain.out());
        assertTrue(explain.out().contains(SONNET) && explain.out().contains(" down "), explain.out());
        assertTrue(explain.out().contains("Answer: NO_MODEL_AVAILABLE, retry at"), explain.out());

        assertEquals(0, modelsel("availability", "--table", table, "set-up", SONNET).exitCode());
        final Result human = modelsel("availability", "--table", table, "show");
        assertTrue(human.out().contains("(3 models), written here as host " + host) &&
            human.out().contains("cooling until"), human.out());
        final List<String> rows = human.out().lines().toList();
        assertTrue(rows.get(1).matches(" +model +state +changes +writer +changed +flag by +flag at +cooldown by " +
            "+cooldown at +epoch"), rows.get(1));
        final String at = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z";
        assertTrue(rows.stream().anyMatch(row -> row.matches("  " + SONNET + " +available +2 +pid \\d+ .* " + host +
            " +" + at + " +" + host + " +" + at + " +" + host + " " + at)),
            "set-up: flag, cooldown and epoch: " + rows);
        assertTrue(rows.stream().anyMatch(row -> row.matches("  " + OPUS + " +cooling until .* - +- +" + host + " +" +
            at + " +-")), "a cooldown, no flag, the first epoch: " + rows);

        assertEquals(0, modelsel("availability", "--table", table, "reset").exitCode());
        assertFalse(Files.exists(Path.of(table)));
        assertEquals("{}", modelsel("availability", "--table", table, "show", "--json").out().trim());
        assertFalse(Files.exists(Path.of(table)), "show creates nothing");
    }

    @Test
    void shouldAnswerMistakesWithOneLine() throws Exception
    {
        final String table = dir.resolve("mistakes.table").toString();
        for (final String[] args : List.of(
            new String[] {"availability", "--table", table, "set-down", ""},
            new String[] {"availability", "--table", table, "cooldown", "m", "--for", "PT-1S"},
            new String[] {"availability", "--table", table, "cooldown", "m", "--for", "soon"},
            new String[] {"availability", "--table", table, "cooldown", "m"},
            new String[] {"availability", "--table", table, "cooldown", "m", "--for", "1s", "--until-ms", "5"}))
        {
            final Result result = modelsel(args);
            final String what = String.join(" ", args) + " -> " + result.err();
            assertEquals(2, result.exitCode(), what);
            assertEquals(1, result.err().lines().count(), what);
        }
        final Result unwritable = modelsel("availability", "--table", "/proc/modelsel/t.table", "set-down", "m");
        assertEquals(1, unwritable.exitCode());
        assertTrue(unwritable.err().matches("modelsel: /proc/modelsel(/t.table)?: \\S.*\\R"), unwritable.err());

        final Result forever = modelsel("availability", "--table", table, "cooldown", "m", "--for", "9223372036854775807ms");
        assertEquals(0, forever.exitCode(), forever.err());
        assertTrue(forever.out().contains("kept to a day ahead"), forever.out()); // SPEC §3: no deadline past a day
    }

    @Test
    void shouldRefuseATableInUseToReset() throws Exception
    {
        final String table = dir.resolve("busy.table").toString();
        final Runner user = new Runner("run", "--availability", table);
        user.ask(setDown("m"));
        final Result reset = modelsel("availability", "--table", table, "reset");
        assertEquals(1, reset.exitCode());
        assertTrue(reset.err().contains("in use by another process"), reset.err());
        assertTrue(Files.exists(Path.of(table)));
        user.finish();
    }

    @Test
    void shouldRefuseFilesThatAreNotOurTablesAndLeaveThemAlone() throws Exception
    {
        final Path junk = Files.write(dir.resolve("junk.table"), "#!/bin/sh\necho not a table\n".repeat(500)
            .getBytes(StandardCharsets.UTF_8));
        final String before = sha256(junk);
        for (final String[] args : List.of(
            new String[] {"availability", "--table", junk.toString(), "show"},
            new String[] {"availability", "--table", junk.toString(), "set-down", "m"},
            new String[] {"availability", "--table", junk.toString(), "reset"},
            new String[] {"select", "--complexity", "low", "--tokens", "1", "--availability", junk.toString()}))
        {
            final Result result = modelsel(args);
            final String what = String.join(" ", args) + " -> " + result.err();
            assertEquals(1, result.exitCode(), what);
            assertEquals(1, result.err().lines().count(), what);
            assertTrue(result.err().contains("not a modelsel availability table") &&
                result.err().contains("left as it is"), what);
        }
        assertEquals(before, sha256(junk));
        final Result run = modelsel("run", "--availability", junk.toString());
        assertEquals(1, run.exitCode(), run.err());
        assertEquals(before, sha256(junk));
    }

    @Test
    void shouldShowACorruptRecordAsCorruptAndRepairItWithSetUp() throws Exception
    {
        final Path table = dir.resolve("corrupt.table");
        assertEquals(0, modelsel("availability", "--table", table.toString(), "set-down", SONNET).exitCode());
        assertEquals(0, modelsel("availability", "--table", table.toString(), "cooldown", OPUS, "--for", "1h")
            .exitCode());
        final byte[] bytes = Files.readAllBytes(table);
        final byte[] key = OPUS.getBytes(StandardCharsets.UTF_8);
        final int at = TableBytes.indexOfKey(bytes, OPUS);
        bytes[at + key.length + 1 + 6] ^= 0x7F; // its cooldown: thousands of years ahead, were it believed
        Files.write(table, bytes);

        final Result human = modelsel("availability", "--table", table.toString(), "show");
        assertEquals(1, human.exitCode(), human.err());
        assertTrue(human.out().lines().anyMatch(line -> line.startsWith("  " + OPUS) && line.contains("CORRUPT")),
            human.out());
        assertTrue(human.out().lines().anyMatch(line -> line.startsWith("  " + SONNET) && line.contains("down")),
            human.out());
        assertEquals(1, human.err().lines().count(), human.err());
        assertTrue(human.err().startsWith("modelsel: " + table + ": 1 corrupt record, listed above. set-up MODEL " +
            "rewrites a corrupt record;"), human.err());

        final Result json = modelsel("availability", "--table", table.toString(), "show", "--json");
        assertEquals(1, json.exitCode(), json.err());
        final Map<?, ?> records = ReferenceProtocol.JSON.readValue(json.out(), Map.class);
        assertEquals(true, ((Map<?, ?>)records.get(OPUS)).get("corrupt"));
        assertEquals(null, ((Map<?, ?>)records.get(OPUS)).get("cooldown_until_ms"), "none of its fields is believed");
        assertEquals(false, ((Map<?, ?>)records.get(SONNET)).get("corrupt"));

        final Result select = modelsel("select", "--complexity", "high", "--tokens", "145000", "--availability",
            table.toString());
        assertEquals(0, select.exitCode(), select.err());
        assertTrue(select.out().contains(OPUS), "a corrupt record bars no model: " + select.out());

        final Result cooldown = modelsel("availability", "--table", table.toString(), "cooldown", OPUS, "--for", "5m");
        assertEquals(0, cooldown.exitCode(), cooldown.err());
        assertFalse(cooldown.out().contains("a later deadline was already set"), cooldown.out());
        assertEquals(0, modelsel("availability", "--table", table.toString(), "set-up", OPUS).exitCode());
        final Result repaired = modelsel("availability", "--table", table.toString(), "show");
        assertEquals(0, repaired.exitCode(), repaired.out() + repaired.err());
        assertFalse(repaired.out().contains("CORRUPT"), repaired.out());
    }

    @Test
    void shouldRefuseADamagedTableInOneLineAndLetResetDeleteIt() throws Exception
    {
        final Path table = dir.resolve("damaged.table");
        assertEquals(0, modelsel("availability", "--table", table.toString(), "set-down", SONNET).exitCode());
        final byte[] bytes = Files.readAllBytes(table);
        final int headerEnd = 12 + (bytes[8] & 0xFF | (bytes[9] & 0xFF) << 8 | (bytes[10] & 0xFF) << 16 |
            (bytes[11] & 0x3F) << 24);
        final int segmentHeaders = ((headerEnd + 63) / 64 * 64 + 1024 + 4095) / 4096 * 4096;
        bytes[segmentHeaders + 16 + 3] = 0x55; // segment 0's next tier: a tier that does not exist
        Files.write(table, bytes);
        for (final String[] args : List.of(
            new String[] {"availability", "--table", table.toString(), "show"},
            new String[] {"availability", "--table", table.toString(), "set-up", SONNET},
            new String[] {"select", "--complexity", "low", "--tokens", "1", "--availability", table.toString()}))
        {
            final Result result = modelsel(args);
            final String what = String.join(" ", args) + " -> " + result.err();
            assertEquals(1, result.exitCode(), what);
            assertEquals(1, result.err().lines().count(), what);
            assertTrue(result.err().startsWith("modelsel: " + table + ": a modelsel availability table, damaged: " +
                "segment 0: its next tier reads ") && result.err().contains("modelsel availability reset deletes it"),
                what);
        }
        assertEquals(0, modelsel("availability", "--table", table.toString(), "reset").exitCode());
        assertFalse(Files.exists(table));
        assertEquals(0, modelsel("availability", "--table", table.toString(), "set-down", SONNET).exitCode());
    }

    @Test
    void shouldReloadAChangedCatalogAndKeepAvailability() throws Exception
    {
        final Path catalog = dir.resolve("catalog.yaml");
        Files.writeString(catalog, "version: 1\nmodels: {a: {capability: 1}, b: {capability: 0.5}}\n" +
            "tiers: [{tier: 1, models: [a, b]}]\n");
        final Runner runner = new Runner("run", "--catalog", catalog.toString(), "--availability",
            dir.resolve("reload.table").toString());
        assertEquals("a", runner.ask(select()).get("model"));
        runner.ask(setDown("c"));

        Files.writeString(catalog, "version: 1\nmodels: {a: {capability: 1}, b: {capability: 0.5}, " +
            "c: {capability: 9}, d: {capability: 3}}\ntiers: [{tier: 1, models: [a, b, c, d]}]\n");
        final long deadline = System.currentTimeMillis() + 10_000;
        Map<?, ?> answer = runner.ask(select());
        while ("a".equals(answer.get("model")) && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(200);
            answer = runner.ask(select());
        }
        assertAnswer(answer, "d", "SAME_TIER", "the new catalog is in force, and c is still down");

        Files.writeString(catalog, "version: 1\ntiers: []\n");
        Thread.sleep(1_200);
        assertEquals("d", runner.ask(select()).get("model"), "a catalog that does not load leaves the last one in force");
        runner.finish();
    }

    @Test
    void shouldShipNoAnalyticsAndNameMissingFlags() throws Exception
    {
        try (JarFile jar = new JarFile(JAR.toFile()))
        {
            assertTrue(jar.stream().anyMatch(e -> e.getName().startsWith("net/openhft/chronicle/map/")), "Chronicle Map is in");
            assertFalse(jar.stream().anyMatch(e -> e.getName().startsWith("net/openhft/chronicle/analytics/")),
                "chronicle-analytics is not in the jar");
        }
        for (final String[] args : List.of(new String[] {"set-down", "m"}, new String[] {"reset"}))
        {
            final List<String> command = new ArrayList<>(List.of(java(), "-cp", JAR.toString(),
                ModelselCommand.class.getName(), "availability", "--table", dir.resolve("flags.table").toString()));
            command.addAll(List.of(args));
            final Result bare = run(new ProcessBuilder(command).start(), null);
            assertEquals(1, bare.exitCode(), bare.err());
            assertEquals(1, bare.err().lines().count(), bare.err());
            final String opensAndExports = JvmFlags.all().stream().filter(flag -> flag.startsWith("--add-"))
                .collect(Collectors.joining(" "));
            assertTrue(bare.err().startsWith("modelsel: the shared availability table needs these JVM flags, " +
                "missing here: " + opensAndExports + " ("), bare.err());
            assertFalse(Files.exists(dir.resolve("flags.table")));
        }
    }

    private static String select()
    {
        return "{\"op\": \"select\", \"complexity\": \"high\", \"tokens\": 10}";
    }

    private static String setDown(final String model)
    {
        return "{\"op\": \"set_down\", \"model\": \"" + model + "\"}";
    }

    private static void assertAnswer(final Map<?, ?> answer, final String model, final String fallback, final String what)
    {
        assertEquals("OK", answer.get("status"), what + ": " + answer);
        assertEquals(model, answer.get("model"), what + ": " + answer);
        assertEquals(fallback, answer.get("fallback"), what + ": " + answer);
    }

    record Result(int exitCode, String out, String err)
    {
    }

    private Result modelsel(final String... args) throws Exception
    {
        return run(start(args), null);
    }

    private Process start(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).start();
        started.add(process);
        return process;
    }

    private static Result run(final Process process, final String input) throws Exception
    {
        try (OutputStream in = process.getOutputStream())
        {
            if (input != null)
            {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        final byte[] out = process.getInputStream().readAllBytes();
        final byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static String java()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
    private static String sha256(final Path path) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
    }
}
