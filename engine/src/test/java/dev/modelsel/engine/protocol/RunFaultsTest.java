package dev.modelsel.engine.protocol;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.FaultyTable;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A line that a full counters file cannot take is answered ERROR, adds nothing (not half a record), and the lines
 * after it are served as ever.
 */
class RunFaultsTest
{
    @Test
    void shouldFlushTheAnswersAlreadyGivenWhenTheInputFails() throws Exception
    {
        final byte[] twoLines = ("{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 10}\n" +
            "{\"op\": \"set_down\", \"model\": \"m\"}\n").getBytes(StandardCharsets.UTF_8);
        final boolean[] inputFailed = new boolean[1];
        final InputStream failsAfterTwoLines = new InputStream()
        {
            private int next;

            @Override
            public int read()
            {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(final byte[] into, final int offset, final int length) throws IOException
            {
                if (next == twoLines.length)
                {
                    inputFailed[0] = true;
                    throw new IOException("the input failed");
                }
                final int count = Math.min(length, twoLines.length - next);
                System.arraycopy(twoLines, next, into, offset, count);
                next += count;
                return count;
            }
        };
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final OutputStream buffered = new BufferedOutputStream(written, 1 << 16)
        {
            @Override
            public synchronized void flush() throws IOException
            {
                if (inputFailed[0]) // before, the answers stay buffered, as a slow pipe may leave them
                {
                    super.flush();
                }
            }
        };
        final RunSession session = new RunSession(Selector.create(CatalogLoader.loadDefault().compile(),
            new InMemoryAvailabilityTable()), () -> 0L);
        assertThrows(IOException.class, () -> RunLoop.run(failsAfterTwoLines, buffered, session));
        assertEquals(2, written.toString(StandardCharsets.UTF_8).lines().count(), "both answers reached the output");
    }

    @Test
    void shouldAnswerEveryLineAndGoOnWhenTheCountersFileIsFull(@TempDir final Path dir) throws Exception
    {
        try (SharedPhaseCounters counters = SharedPhaseCounters.open(dir.resolve("counters")))
        {
            final RunSession session = new RunSession(Selector.create(CatalogLoader.loadDefault().compile(),
                new InMemoryAvailabilityTable()), () -> 0L, () -> { }, counters);
            int errors = 0;
            long line = 0;
            for (int category = 0; category < 5_000; category++)
            {
                final String answer = session.handle(++line, "{\"op\": \"record\", \"category\": \"c" + category + "\", " +
                    "\"complexity\": \"low\", \"initial_tier\": 3, \"final_tier\": 3, \"model\": " +
                    "\"claude-3-haiku-20240307\", \"input_tokens\": 10, \"output_tokens\": 1, \"success\": true}");
                if (answer.startsWith("{\"status\": \"ERROR\""))
                {
                    assertTrue(answer.contains("line " + line + ": ") && answer.contains("full"), answer);
                    errors++;
                }
                else
                {
                    assertTrue(answer.startsWith("{\"status\": \"OK\""), answer);
                }
            }
            assertTrue(errors > 0, "5,000 categories and a model overflow the 4,096 records");
            final long[] attempts = new long[1];
            counters.forEachModel((model, counts) -> attempts[0] += counts.attempts());
            assertEquals(5_000 - errors, attempts[0], "a refused record adds nothing, not its model's half");
            final String select = session.handle(++line, "{\"op\": \"select\", \"complexity\": \"high\", \"tokens\": 10}");
            assertTrue(select.startsWith("{\"status\": \"OK\""), select);
            assertEquals(5_001, line);
        }
    }

    /**
     * A fault in a mapped file's memory reaches Java as an InternalError, raised when the JVM next calls into the VM
     * (docs/shared-table.md): wherever it lands in a line, that line is answered ERROR and the run goes on.
     */
    @Test
    void shouldAnswerErrorForALineInWhichAMappedFileFaulted()
    {
        final FaultyTable faulty = new FaultyTable("changeSequence");
        final RunSession session = new RunSession(Selector.create(CatalogLoader.loadDefault().compile(),
            faulty.table()), () -> 0L);
        final String select = "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 10}";
        assertTrue(session.handle(1, select).startsWith("{\"status\": \"OK\""));
        faulty.fail(args -> new InternalError("a fault occurred in a recent unsafe memory access operation"));
        final String faulted = session.handle(2, select);
        assertTrue(faulted.startsWith("{\"status\": \"ERROR\", \"error\": \"line 2: a shared file's memory faulted " +
            "(a fault occurred in a recent unsafe memory access operation): "), faulted);
        faulty.fail(null);
        assertTrue(session.handle(3, select).startsWith("{\"status\": \"OK\""), "the run goes on");
    }
}
