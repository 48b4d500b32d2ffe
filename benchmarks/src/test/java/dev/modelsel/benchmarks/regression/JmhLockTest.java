package dev.modelsel.benchmarks.regression;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The smoke run, which CI runs, goes ahead while another JMH run on the machine holds JMH's lock file. */
class JmhLockTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldRunASmokeRunWhileAnotherRunHoldsTheLock() throws Exception
    {
        // JMH's lock is java.io.tmpdir/jmh.lock, read once when its runner loads: a private one here, so that this
        // test neither waits for nor stops a real run on the machine. No other test in this JVM loads the runner.
        final String tmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        try (FileChannel channel = FileChannel.open(tmp.resolve("jmh.lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
            FileLock held = channel.lock())
        {
            final RunnerException ex = assertThrows(RunnerException.class, () -> RegressionRun.runJmh(
                new OptionsBuilder().include("NoSuchBenchmark$").verbosity(VerboseMode.SILENT), true));
            assertInstanceOf(NoBenchmarksException.class, ex, "stopped at the lock: " + ex.getMessage());
        }
        finally
        {
            System.setProperty("java.io.tmpdir", tmpdir);
        }
    }
}
