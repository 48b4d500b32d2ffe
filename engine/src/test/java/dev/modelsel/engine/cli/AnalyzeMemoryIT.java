package dev.modelsel.engine.cli;

import dev.modelsel.engine.cost.EscalationAnalysis;
import dev.modelsel.engine.reference.ReferenceProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code analyze} reads a history of millions of bad lines in a small, fixed heap, and still counts every one. */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AnalyzeMemoryIT
{
    private static final int LINES = 2_000_000;
    private static final int GOOD_EVERY = 100_000;
    private static final byte[] BAD = "{\"category\": \"c\", \"complexity\": \"low\"}\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] GOOD = ("{\"category\": \"c\", \"complexity\": \"low\", \"initial_tier\": 3, " +
        "\"final_tier\": 3, \"model\": \"claude-3-haiku-20240307\", \"input_tokens\": 1000, \"output_tokens\": 10, " +
        "\"success\": true}\n").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void shouldCountMillionsOfSkippedLinesInASmallHeap() throws Exception
    {
        final File err = dir.resolve("stderr.txt").toFile();
        final Process process = ModelselJar.commandOnJvm(List.of("-Xmx64m"), "analyze", "--json", "/dev/stdin")
            .redirectError(err).start();
        try (OutputStream in = new BufferedOutputStream(process.getOutputStream(), 1 << 16))
        {
            for (int line = 1; line <= LINES; line++) // generated as it is written: the test holds no history
            {
                in.write(line % GOOD_EVERY == 0 ? GOOD : BAD);
            }
        }
        catch (final IOException ex)
        {
            // the command died (OutOfMemoryError, say): its exit status and stderr below say why
        }
        final byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "analyze did not finish");
        final String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), stderr.lines().limit(5).toList() + " ... " + tail(stderr));
        final int good = LINES / GOOD_EVERY;
        final Map<?, ?> report = ReferenceProtocol.JSON.readValue(out, Map.class);
        assertEquals(LINES - good, ((Number)report.get("skipped_lines")).longValue(), "exact, though not all listed");
        assertEquals(good, ((Number)((Map<?, ?>)((Map<?, ?>)report.get("categories")).get("c")).get("phases"))
            .intValue());
        final List<String> lines = stderr.lines().toList();
        assertEquals(EscalationAnalysis.MAX_SKIPPED_LISTED + 1, lines.size(), tail(stderr));
        assertTrue(lines.get(0).endsWith("line 1: skipped: missing initial_tier"), lines.get(0));
        assertTrue(lines.get(lines.size() - 1).contains(": " + (LINES - good - EscalationAnalysis.MAX_SKIPPED_LISTED) +
            " more lines skipped, not listed"), tail(stderr));
    }

    private static String tail(final String text)
    {
        return text.substring(Math.max(0, text.length() - 400));
    }
}
