package dev.modelsel.engine.cli;

import dev.modelsel.engine.cli.ModelselJar.Result;
import dev.modelsel.engine.reference.ReferenceProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.modelsel.engine.cli.ModelselJar.modelsel;
import static dev.modelsel.engine.mapped.Looks.waitForTheNextLook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: the shared table's files, or the counters file, deleted under a running {@code modelsel run} and made
 * again by another process. The run must follow them to the new file, not go on answering from (and writing into)
 * a file no other process sees; and while no file can be opened, answer ERROR and go on.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeletedFilesIT
{
    private static final String SONNET = "claude-3-sonnet-20240229";
    private static final String OPUS = "claude-3-opus-20240229";
    private static final String HAIKU = "claude-3-haiku-20240307";
    private static final String SELECT_HIGH = "{\"op\": \"select\", \"complexity\": \"high\", \"tokens\": 145000}";

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopProcesses()
    {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void shouldFollowATableDeletedAndMadeAgainByAnotherProcess() throws Exception
    {
        final Path table = dir.resolve("t.table");
        final Runner run = new Runner("run", "--availability", table.toString());
        assertEquals("OK", run.ask(setDown(SONNET)).get("status"));
        assertAnswer(run.ask(SELECT_HIGH), OPUS, "SAME_TIER", "sonnet is down in the table the run opened");

        Files.delete(table);
        Files.delete(dir.resolve("t.table.seq"));
        final Result other = modelsel(null, "availability", "--table", table.toString(), "set-down", OPUS);
        assertEquals(0, other.exitCode(), other.err());
        waitForTheNextLook();
        assertAnswer(run.ask(SELECT_HIGH), SONNET, "NONE", "the new table: opus down, sonnet up");

        assertEquals("OK", run.ask(setDown(HAIKU)).get("status"));
        final Map<?, ?> shown = show(table);
        assertEquals(Boolean.TRUE, ((Map<?, ?>)shown.get(HAIKU)).get("down"), "another process sees the run's write");
        assertEquals(Boolean.TRUE, ((Map<?, ?>)shown.get(OPUS)).get("down"));
        assertFalse(shown.containsKey(SONNET), "the deleted table's record is gone with it: " + shown);

        Files.delete(table);
        Files.writeString(table, "not a table\n".repeat(100));
        waitForTheNextLook();
        final Map<?, ?> refused = run.ask(SELECT_HIGH);
        assertEquals("ERROR", refused.get("status"), refused.toString());
        assertTrue(refused.get("error").toString().contains("not a modelsel availability table"), refused.toString());
        assertEquals("ERROR", run.ask(setDown(SONNET)).get("status"), "no write into a table nobody else sees");

        Files.delete(table);
        waitForTheNextLook();
        assertAnswer(run.ask(SELECT_HIGH), SONNET, "NONE", "a new table once one can be made");
        assertEquals("OK", run.ask(setDown(SONNET)).get("status"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>)show(table).get(SONNET)).get("down"));

        final String err = run.finish();
        final List<String> lines = err.lines().toList();
        assertEquals(3, lines.size(), "one line per move and one for the failure: " + err);
        assertTrue(lines.get(0).contains("t.table was replaced by another file; opened the availability table now " +
            "at "), err);
        assertTrue(lines.get(1).contains("t.table was replaced by another file; opening the availability table now " +
            "at ") && lines.get(1).contains("not a modelsel availability table"), err);
        assertTrue(lines.get(2).contains("; opened the availability table now at "), err);
    }

    @Test
    void shouldRecordIntoACountersFileDeletedAndMadeAgainByAnotherProcess() throws Exception
    {
        final Path counters = dir.resolve("counters");
        final Runner run = new Runner("run", "--counters", counters.toString());
        assertEquals("OK", run.ask(record("before")).get("status"));

        Files.delete(counters);
        final Result other = modelsel(record("other") + "\n", "run", "--counters", counters.toString());
        assertEquals(0, other.exitCode(), other.err());
        waitForTheNextLook();
        assertEquals("OK", run.ask(record("after")).get("status"));

        final Result stats = modelsel(null, "stats", "--counters", counters.toString(), "--json");
        assertEquals(0, stats.exitCode(), stats.err());
        final Map<?, ?> models = (Map<?, ?>)ReferenceProtocol.JSON.readValue(stats.out(), Map.class).get("models");
        assertEquals(List.of("after", "other"), models.keySet().stream().map(String::valueOf).sorted().toList(),
            "the run's record after the delete is in the new file: " + models);
        final String err = run.finish();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("counters was deleted; opened the counters file now at ") ||
            err.contains("counters was replaced by another file; opened the counters file now at "), err);
    }

    @Test
    void shouldAnswerErrorRatherThanDieWhenTheSequenceFileIsEmptiedInPlace() throws Exception
    {
        final Path table = dir.resolve("t.table");
        final Path sequence = dir.resolve("t.table.seq");
        final Runner run = new Runner("run", "--availability", table.toString());
        assertEquals("OK", run.ask(setDown(SONNET)).get("status"));
        assertAnswer(run.ask(SELECT_HIGH), OPUS, "SAME_TIER", "sonnet is down");

        Files.write(sequence, new byte[0]); // : > t.table.seq, the same file emptied: its pages gone under the mapping
        waitForTheNextLook();
        for (int i = 0; i < 2; i++)
        {
            final Map<?, ?> refused = run.ask(i == 0 ? SELECT_HIGH : setDown(HAIKU));
            assertEquals("ERROR", refused.get("status"), refused.toString());
            assertTrue(refused.get("error").toString().contains("t.table.seq was truncated to 0 bytes") &&
                refused.get("error").toString().contains("not a modelsel sequence file (0 bytes"), refused.toString());
        }

        Files.delete(sequence); // the way out: a new one is made beside the map
        waitForTheNextLook();
        assertAnswer(run.ask(SELECT_HIGH), OPUS, "SAME_TIER", "the map itself stood: sonnet still down");
        final String err = run.finish();
        assertEquals(2, err.lines().count(), "the failure and the move, once each: " + err);
    }

    @Test
    void shouldAnswerErrorRatherThanDieWhenTheCountersFileIsEmptiedInPlace() throws Exception
    {
        final Path counters = dir.resolve("counters");
        final Runner run = new Runner("run", "--counters", counters.toString());
        assertEquals("OK", run.ask(record("before")).get("status"));

        Files.write(counters, new byte[0]);
        waitForTheNextLook();
        final Map<?, ?> refused = run.ask(record("before"));
        assertEquals("ERROR", refused.get("status"), refused.toString());
        assertTrue(refused.get("error").toString().contains("counters was truncated to 0 bytes"), refused.toString());
        assertAnswer(run.ask(SELECT_HIGH), SONNET, "NONE", "a line that needs no counters is served");

        Files.delete(counters);
        waitForTheNextLook();
        assertEquals("OK", run.ask(record("after")).get("status"));
        final String err = run.finish();
        assertEquals(2, err.lines().count(), "the failure and the move, once each: " + err);
    }

    /** One {@code modelsel run} process, request by request, its stderr kept in a file. */
    private final class Runner
    {
        private final Process process;
        private final File err;
        private final OutputStream in;
        private final BufferedReader out;

        Runner(final String... args) throws IOException
        {
            err = dir.resolve("run-stderr.txt").toFile();
            process = ModelselJar.startOnJvm(List.of(), err, args);
            started.add(process);
            in = process.getOutputStream();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Sends one line and waits for its answer. */
        Map<?, ?> ask(final String request) throws IOException
        {
            in.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            final String answer = out.readLine();
            assertTrue(answer != null, "no answer to " + request);
            return ReferenceProtocol.JSON.readValue(answer, Map.class);
        }

        /** @return what the run printed on stderr. */
        String finish() throws Exception
        {
            in.close();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue());
            return Files.readString(err.toPath(), StandardCharsets.UTF_8);
        }
    }

    private static Map<?, ?> show(final Path table) throws Exception
    {
        final Result show = modelsel(null, "availability", "--table", table.toString(), "show", "--json");
        assertEquals(0, show.exitCode(), show.err());
        return ReferenceProtocol.JSON.readValue(show.out(), Map.class);
    }
    private static String setDown(final String model)
    {
        return "{\"op\": \"set_down\", \"model\": \"" + model + "\"}";
    }

    private static String record(final String model)
    {
        return "{\"op\": \"record\", \"category\": \"c\", \"complexity\": \"high\", \"initial_tier\": 1, " +
            "\"final_tier\": 1, \"model\": \"" + model + "\", \"input_tokens\": 10, \"output_tokens\": 1, " +
            "\"success\": true}";
    }

    private static void assertAnswer(final Map<?, ?> answer, final String model, final String fallback,
        final String what)
    {
        assertEquals("OK", answer.get("status"), what + ": " + answer);
        assertEquals(model, answer.get("model"), what + ": " + answer);
        assertEquals(fallback, answer.get("fallback"), what + ": " + answer);
    }
}
