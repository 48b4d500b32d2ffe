package dev.modelsel.engine.cost;

import dev.modelsel.engine.limits.LimitsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static dev.modelsel.engine.cost.CountersDescriptor.KIND_MODEL;
import static dev.modelsel.engine.cost.CountersDescriptor.RECORD_COUNT;
import static dev.modelsel.engine.cost.CountersDescriptor.STATE_ABANDONED;
import static dev.modelsel.engine.cost.CountersDescriptor.STATE_CLAIMING;
import static dev.modelsel.engine.cost.CountersDescriptor.recordOffset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A claimer slower than the wait for it (descheduled, or a stopped process resumed): the prober that gave up on its
 * claim and the claimer, once it finishes, must end on one record for the name. Two instances on one file stand for
 * two processes; the slow claimer is held between writing the name and publishing the record.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedPhaseCountersClaimTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCountANameInOneRecordWhenItsClaimerIsSlowerThanTheWaitForIt() throws Exception
    {
        final Path file = dir.resolve("counters");
        try (SharedPhaseCounters slow = SharedPhaseCounters.open(file);
            SharedPhaseCounters prober = SharedPhaseCounters.open(file))
        {
            runWithSlowClaim(slow, () -> slow.addAttempt("gpt-x", false, false, 1, 0, 0, false, false), () ->
            {
                final long began = System.nanoTime();
                prober.addAttempt("gpt-x", false, false, 2, 0, 0, false, false);
                assertTrue(System.nanoTime() - began >= 900_000_000L, "waited for the claim before giving up on it");
            });
            slow.addAttempt("gpt-x", false, false, 4, 0, 0, false, false); // each through the record it cached
            prober.addAttempt("gpt-x", false, false, 8, 0, 0, false, false);
            try (SharedPhaseCounters newcomer = SharedPhaseCounters.open(file))
            {
                newcomer.addAttempt("gpt-x", false, false, 16, 0, 0, false, false);
                final List<String> models = new ArrayList<>();
                newcomer.forEachModel((name, c) -> models.add(name + " " + c.attempts() + " " + c.inputTokens()));
                assertEquals(List.of("gpt-x 5 31"), models, "one record, every process's counts in it");
                final List<String> corrupt = new ArrayList<>();
                newcomer.forEachCorrupt((record, why) -> corrupt.add(record + ": " + why));
                assertEquals(List.of(), corrupt, "the abandoned claim is not a damaged record");
                final List<String> sent = new ArrayList<>();
                new CountersChanges(newcomer).collect(true, false, (kind, name, counters) ->
                    sent.add(kind + " " + name + " " + counters[0]));
                assertEquals(List.of(KIND_MODEL + " gpt-x 5"), sent, "the replicator sends the one record only");
            }
        }
    }

    @Test
    void shouldDrawAModelsRateBucketsFromOneRecordWhenTheirClaimerIsSlowerThanTheWaitForIt() throws Exception
    {
        final Path file = dir.resolve("counters");
        try (SharedPhaseCounters slow = SharedPhaseCounters.open(file);
            SharedPhaseCounters prober = SharedPhaseCounters.open(file))
        {
            final AtomicReference<LimitsStore.Slot> slowSlot = new AtomicReference<>();
            final AtomicReference<LimitsStore.Slot> proberSlot = new AtomicReference<>();
            runWithSlowClaim(slow, () -> slowSlot.set(slow.buckets("gpt-x")),
                () -> proberSlot.set(prober.buckets("gpt-x")));
            assertEquals(proberSlot.get().offset(), slowSlot.get().offset(), "both processes draw from one bucket");
            try (SharedPhaseCounters newcomer = SharedPhaseCounters.open(file))
            {
                assertEquals(proberSlot.get().offset(), newcomer.buckets("gpt-x").offset());
            }
        }
    }

    @Test
    void shouldAbandonADeadClaimersRecordOnceSoThatLaterProbersPassItAtOnce() throws Exception
    {
        final Path file = dir.resolve("counters");
        try (SharedPhaseCounters first = SharedPhaseCounters.open(file);
            SharedPhaseCounters second = SharedPhaseCounters.open(file))
        {
            final int start = startOf("gpt-x");
            final long deadClaim = 4_999_999L << 8 | STATE_CLAIMING; // above any pid_max: no process finishes it
            first.header().putLongVolatile(recordOffset(start), deadClaim);
            final long firstBegan = System.nanoTime();
            first.addAttempt("gpt-x", false, false, 1, 0, 0, false, false);
            assertTrue(System.nanoTime() - firstBegan >= 900_000_000L, "the first prober waits for the claim");
            assertEquals(STATE_ABANDONED, first.header().getLongVolatile(recordOffset(start)));
            final long secondBegan = System.nanoTime();
            second.addAttempt("gpt-x", false, false, 2, 0, 0, false, false);
            assertTrue(System.nanoTime() - secondBegan < 500_000_000L, "an abandoned record is not waited on again");
            final List<String> models = new ArrayList<>();
            second.forEachModel((name, c) -> models.add(name + " " + c.attempts() + " " + c.inputTokens()));
            assertEquals(List.of("gpt-x 2 3"), models);
        }
    }

    /**
     * Runs {@code claim} on a thread of its own, held after it has claimed a record and written the name; while it is
     * held runs {@code meanwhile} (which outwaits the claim); then lets the claim finish.
     */
    private static void runWithSlowClaim(final SharedPhaseCounters slow, final Runnable claim,
        final Runnable meanwhile) throws Exception
    {
        final CountDownLatch claimed = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
        slow.whileClaiming = () ->
        {
            claimed.countDown();
            try
            {
                resume.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        };
        final AtomicReference<Throwable> failed = new AtomicReference<>();
        final Thread claimer = new Thread(() ->
        {
            try
            {
                claim.run();
            }
            catch (final Throwable ex)
            {
                failed.set(ex);
            }
        }, "slow-claimer");
        claimer.start();
        claimed.await();
        try
        {
            meanwhile.run();
        }
        finally
        {
            resume.countDown();
            claimer.join();
        }
        assertNull(failed.get());
    }

    private static int startOf(final String model)
    {
        final long hash = SharedPhaseCounters.hash(KIND_MODEL, model.getBytes(StandardCharsets.UTF_8));
        return (int)Long.remainderUnsigned(hash, RECORD_COUNT);
    }
}
