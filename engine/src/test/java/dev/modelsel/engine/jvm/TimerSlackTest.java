package dev.modelsel.engine.jvm;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TimerSlackTest
{
    @Test
    void setsTheCallingThreadsSlackAndNoOtherThreads() throws Exception
    {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "no /proc/thread-self: not Linux 3.17+");
        final AtomicLong before = new AtomicLong();
        final AtomicLong after = new AtomicLong();
        final String[] refused = new String[1];
        final Thread thread = new Thread(() ->
        {
            before.set(TimerSlack.ofThisThread());
            refused[0] = TimerSlack.setForThisThread(before.get() + 1_234);
            after.set(TimerSlack.ofThisThread());
        });
        thread.start();
        thread.join();
        assertNull(refused[0]);
        assertEquals(before.get() + 1_234, after.get(), "the thread's own slack, read back");
        assertNotEquals(after.get(), TimerSlack.ofThisThread(), "this thread's slack is its own");
    }
}
