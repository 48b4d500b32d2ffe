package dev.modelsel.engine.availability;

import dev.modelsel.engine.cost.CountersDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shared file truncated in place ({@code : > PATH.seq}) under a process that maps it, in a JVM of its own
 * ({@link TruncationWorker}): what this JVM does when the mapping is touched, and what modelsel makes of it. The
 * first test is the ground the others stand on (docs/shared-table.md, "Files deleted under running processes"): a
 * read of a page the truncation took away is an InternalError Java can catch, but a compare-and-set made from the
 * interpreter kills the JVM. So a look must never find such a file standing, and closing never touches it.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TruncatedFilesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldFaultAsAnInternalErrorOnAReadButDieOnACompareAndSetFromTheInterpreter() throws Exception
    {
        final List<String> read = run(List.of(), "read", dir.resolve("read.bin"));
        assertTrue(read.get(0).startsWith("read threw InternalError: a fault occurred in "),
            read.toString());

        final List<String> compareAndSet = run(List.of(), "compare-and-set", dir.resolve("cas.bin"));
        assertTrue(compareAndSet.stream().anyMatch(line -> line.contains("SIGBUS")) &&
            compareAndSet.stream().anyMatch(line -> line.contains("Unsafe_CompareAndSetLong")), "if this JVM now " +
            "throws here instead of dying, docs/shared-table.md should say so: " + compareAndSet);
    }

    /**
     * Before the next look (up to 10 ms in {@code run}) a read of the truncated {@code PATH.seq} faults. The JVM raises
     * that InternalError asynchronously, at the thread's next call into the VM: within modelsel's catch, which makes
     * it a SharedTableException, or later, as the InternalError itself (which {@code run} answers ERROR). Never a
     * crash; then the look says what happened, and closing the table does not touch the file.
     */
    @Test
    void shouldSurviveReadsOfATruncatedSequenceFileThenCallItStaleAndCloseWithoutTouchingIt() throws Exception
    {
        final List<String> lines = run(List.of(), "table", dir.resolve("t.table"));
        assertEquals(5, lines.size(), "every step answered, the JVM alive to the end: " + lines);
        assertReturnedOrFaulted(lines.get(0), "changeSequence", "SharedTableException", "reading the change sequence");
        assertReturnedOrFaulted(lines.get(1), "read", "SharedTableException", "reading \"a\"");
        assertReturnedOrFaulted(lines.get(2), "forEach", "SharedTableException", "listing it");
        assertTrue(lines.subList(0, 3).stream().anyMatch(line -> line.contains(" threw ")), "the file was read: " + lines);
        assertTrue(lines.get(3).startsWith("staleReason ") &&
            lines.get(3).endsWith("t.table.seq was truncated to 0 bytes (it had 4096)"), lines.get(3));
        assertEquals("closed", lines.get(4), "closing did not take this process off the truncated file's count");
    }

    /** The same for the counters file, its adding code compiled first: from the interpreter it would kill the JVM. */
    @Test
    void shouldSurviveAddsToATruncatedCountersFileOnceCompiledThenCallItStale() throws Exception
    {
        final List<String> lines = run(List.of("-XX:-BackgroundCompilation"), "counters", dir.resolve("counters"));
        assertEquals(4, lines.size(), "every step answered, the JVM alive to the end: " + lines);
        assertReturnedOrFaulted(lines.get(0), "addAttempt", "CountersFaultException", "adding");
        assertReturnedOrFaulted(lines.get(1), "forEachModel", "CountersFaultException", "reading");
        assertTrue(lines.subList(0, 2).stream().anyMatch(line -> line.contains(" threw ")), "the file was read: " + lines);
        assertTrue(lines.get(2).endsWith("counters was truncated to 0 bytes (it had " +
            CountersDescriptor.FILE_LENGTH + ")"), lines.get(2));
        assertEquals("closed", lines.get(3));
    }

    /**
     * @param what the step as modelsel's exception names it, when the JVM raised the fault within modelsel's catch;
     *             raised later, it is the InternalError itself, in whichever step came next.
     */
    private static void assertReturnedOrFaulted(final String line, final String step, final String exception,
        final String what)
    {
        assertTrue(line.startsWith(step + " returned ") ||
            line.startsWith(step + " threw InternalError: a fault occurred in ") ||
            (line.startsWith(step + " threw " + exception + ": ") && line.contains(": " + what + " faulted (") &&
                line.contains("truncated under this process")), line);
    }

    /** @return what the worker printed, a JVM's fatal error report included. */
    private List<String> run(final List<String> jvmArgs, final String step, final Path file)
        throws IOException, InterruptedException
    {
        final List<String> args = new ArrayList<>(jvmArgs);
        args.add("-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"));
        args.add("-XX:-CreateCoredumpOnCrash");
        final Process worker = Jvms.start(true, args, TruncationWorker.class, step, file.toString());
        final String out = new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(worker.waitFor(60, TimeUnit.SECONDS));
        if (!step.equals("compare-and-set"))
        {
            assertEquals(0, worker.exitValue(), out);
        }
        else
        {
            assertNotEquals(0, worker.exitValue(), out);
        }
        return out.lines().filter(line -> !line.isBlank()).toList();
    }
}
