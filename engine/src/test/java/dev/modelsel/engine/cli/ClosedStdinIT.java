package dev.modelsel.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code run} started by a shell with stdin closed: the file the JVM opened on descriptor 0 for itself is refused,
 * not read as requests, while stdin redirected from a user's file is read as ever. ProcessBuilder always gives a
 * child a stdin, so a shell closes it ({@code exec java ... <&-}).
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClosedStdinIT
{
    @TempDir
    Path dir;

    @Test
    void shouldRefuseInOneLineWhenStdinWasClosedAtStart() throws Exception
    {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "SKIPPED: no /proc/self/fd to close stdin under");
        final Shell result = shell("exec \"$0\" -jar \"$1\" run <&-");
        assertEquals("", result.out, "no answer to the JVM's own file");
        assertEquals(1, result.exitCode, result.err);
        assertTrue(result.err.startsWith("modelsel: stdin is /") && result.err.contains(", a file of this JVM's own") &&
            result.err.endsWith("(run < requests.jsonl)\n") && result.err.lines().count() == 1, result.err);
    }

    @Test
    void shouldAnswerRequestsRedirectedFromAFile() throws Exception
    {
        Files.writeString(dir.resolve("requests.jsonl"), "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 1}\n");
        final Shell result = shell("exec \"$0\" -jar \"$1\" run < \"$2\"");
        assertEquals(0, result.exitCode, result.err);
        assertEquals("", result.err);
        assertTrue(result.out.startsWith("{\"status\": \"OK\"") && result.out.lines().count() == 1, result.out);
    }

    private record Shell(int exitCode, String out, String err)
    {
    }

    /** Runs {@code script} under sh with $0 the java launcher, $1 the jar, $2 the requests file. */
    private Shell shell(final String script) throws Exception
    {
        final Path out = dir.resolve("stdout.txt");
        final Path err = dir.resolve("stderr.txt");
        final Process process = new ProcessBuilder("sh", "-c", script, ModelselJar.java(),
            ModelselJar.JAR.toString(), dir.resolve("requests.jsonl").toString())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "finished");
        return new Shell(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    }
}
