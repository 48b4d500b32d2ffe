package dev.modelsel.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.modelsel.engine.cli.ModelselJar.modelsel;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * No command prints a JVM or library notice on stderr ({@code WARNING:} from the JDK, as Java 24+ prints for
 * {@code sun.misc.Unsafe} and for native access; {@code SLF4J:} from a logging binding that does not match; a
 * background thread's stack trace, as Chronicle prints when it initialises while a command exits), on
 * whichever Java runs the tests: .ci/run runs them on Java 17 and on Java 25. Every command that opens the shared
 * table or the counters is here, on files of this test's own.
 */
class NoJvmWarningsIT
{
    @TempDir
    Path dir;

    @Test
    void shouldPrintNoJvmOrLoggingNoticeFromAnyCommand() throws Exception
    {
        final String table = dir.resolve("availability.table").toString();
        final String counters = dir.resolve("counters").toString();
        final Path history = dir.resolve("history.jsonl");
        Files.writeString(history, "{\"category\": \"docs\", \"complexity\": \"low\", \"initial_tier\": 3, " +
            "\"final_tier\": 3, \"model\": \"claude-3-haiku-20240307\", \"input_tokens\": 1000, \"output_tokens\": 100, " +
            "\"success\": true}\n");
        final List<List<String>> commands = List.of(
            List.of("select", "--complexity", "high", "--tokens", "145000"),
            List.of("select", "--complexity", "high", "--tokens", "145000", "--availability", table, "--explain"),
            List.of("availability", "--table", table, "set-down", "claude-3-sonnet-20240229"),
            List.of("availability", "--table", table, "cooldown", "claude-3-opus-20240229", "--for", "1m"),
            List.of("availability", "--table", table, "show"),
            List.of("availability", "--table", table, "show", "--json"),
            List.of("run", "--availability", table, "--counters", counters),
            List.of("stats", "--counters", counters),
            List.of("analyze", history.toString()),
            List.of("catalog", "show"),
            List.of("--version"),
            List.of("availability", "--table", table, "cooldown", "claude-3-opus-20240229"), // a mistake: exits early
            List.of("availability", "--table", table, "reset"));
        final List<String> notices = new ArrayList<>();
        for (final List<String> args : commands)
        {
            final String input = args.get(0).equals("run") ?
                "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 10}\n" : null;
            final ModelselJar.Result result = modelsel(input, args.toArray(String[]::new));
            result.err().lines()
                .filter(line -> line.startsWith("WARNING") || line.startsWith("SLF4J") || line.startsWith("Exception in"))
                .forEach(line -> notices.add(String.join(" ", args) + ": " + line));
        }
        assertEquals(List.of(), notices, "on Java " + Runtime.version().feature());
    }
}
