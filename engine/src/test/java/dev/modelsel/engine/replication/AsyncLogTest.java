package dev.modelsel.engine.replication;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsyncLogTest
{
    @Test
    void shouldWriteEveryLineInOrder()
    {
        final List<String> written = Collections.synchronizedList(new ArrayList<>());
        final AsyncLog log = new AsyncLog(written::add);
        for (int i = 0; i < 100; i++)
        {
            log.line("line " + i);
        }
        log.close();
        assertEquals(100, written.size());
        assertEquals("line 99", written.get(99));
    }

    /** A log nobody reads (stdout a stalled pipe) never holds up the replicator: lines are dropped and counted. */
    @Test
    void shouldNeverBlockOnALogThatCannotBeWritten() throws Exception
    {
        final CountDownLatch stuck = new CountDownLatch(1);
        final List<String> written = Collections.synchronizedList(new ArrayList<>());
        final AsyncLog log = new AsyncLog(line ->
        {
            written.add(line);
            try
            {
                stuck.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        final long startNs = System.nanoTime();
        for (int i = 0; i < 10 * AsyncLog.CAPACITY; i++)
        {
            log.line("line " + i);
        }
        log.close(); // waits at most its 2 s for the stuck writer
        final long tookMs = (System.nanoTime() - startNs) / 1_000_000;
        assertTrue(tookMs < 5_000, "took " + tookMs + " ms");
        stuck.countDown();
        Thread.sleep(200);
        assertTrue(written.stream().anyMatch(line -> line.endsWith("log lines dropped: the log was not written " +
            "fast enough")), written.toString());
    }
}
