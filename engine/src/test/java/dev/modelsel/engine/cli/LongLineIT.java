package dev.modelsel.engine.cli;

import dev.modelsel.engine.protocol.RunLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request line far over {@link RunLoop#MAX_LINE_BYTES} through a pipe to the packaged command: answered
 * {@code INVALID_REQUEST} at once, in a heap smaller than the line, and the lines after it answered as usual.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LongLineIT
{
    private static final int HUGE_BYTES = 64 << 20;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseA64MiBLineQuicklyInA64MiBHeapAndAnswerTheNextLines() throws Exception
    {
        final File err = dir.resolve("stderr.txt").toFile();
        final long startNs = System.nanoTime();
        // the old loop doubled its buffer to hold the whole line (128 MiB here) and rescanned it after every read
        final Process process = ModelselJar.startOnJvm(List.of("-Xmx64m"), err, "run");
        try (OutputStream in = new BufferedOutputStream(process.getOutputStream(), 64 * 1024))
        {
            in.write(line("{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 1}"));
            in.write("{\"op\": \"set_down\", \"model\": \"".getBytes(StandardCharsets.UTF_8));
            final byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte)'m');
            for (int written = 0; written < HUGE_BYTES; written += chunk.length)
            {
                in.write(chunk);
            }
            in.write(line("\"}"));
            in.write(line("{\"op\": \"select\", \"complexity\": \"high\", \"tokens\": 1}"));
        }
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        System.out.println("LongLineIT: a " + (HUGE_BYTES >> 20) + " MiB line and two others answered in " + elapsedMs +
            " ms, JVM start included");

        final String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), stderr);
        assertEquals("", stderr);
        final List<String> answers = out.lines().toList();
        assertEquals(3, answers.size(), "one answer per line: " + out);
        assertTrue(answers.get(0).startsWith("{\"status\": \"OK\", \"model\": "), answers.get(0));
        assertEquals("{\"status\": \"INVALID_REQUEST\", \"error\": \"line 2: longer than 1048576 bytes, the most a " +
            "request line may hold; skipped to its end\"}", answers.get(1));
        assertTrue(answers.get(2).startsWith("{\"status\": \"OK\", \"model\": "), answers.get(2));
        assertTrue(elapsedMs < 30_000, "a 64 MiB line is skipped in linear time, not " + elapsedMs + " ms");
    }

    private static byte[] line(final String text)
    {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
