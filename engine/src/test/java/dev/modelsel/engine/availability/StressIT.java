package dev.modelsel.engine.availability;

import dev.modelsel.engine.cost.PhaseCounters;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Eight writer JVMs ({@link StressWriter}) hammer the shared table and the shared counters while this test SIGKILLs
 * random ones (one, sometimes two or three at once, every 0.2 to 1 s) and starts them again, for
 * {@code -Dmodelsel.stress.seconds} of writing (default {@value #DEFAULT_SECONDS}; the long form is 120, see
 * docs/shared-table.md). A write holds its segment's lock for well under a microsecond, so a random kill rarely lands
 * inside one; every {@value #HOLD_EVERY_SECONDS} s (first at half the run, at most 15 s in) a {@link TableWorker}
 * takes a shared model's segment lock and is SIGKILLed holding it, for certain. The writers of that segment then
 * report it stuck and, as the table's documentation tells an operator, every writer is stopped (SIGKILL too) and
 * started again; the first to open recovers the table. Between kills, every writer that has the table open must hold
 * Chronicle's shared lock on the map file, on which "recover only when no other process has it open" rests. At the
 * end every writer stops cleanly, and nothing acknowledged may be missing:
 * <ul>
 *   <li>each shared model's cooldown is at least the latest acknowledged deadline written to it, and is one of the
 *       deadlines some writer wrote (acknowledged, or in flight when its writer was killed);</li>
 *   <li>each writer's own down/up models end in the state of their last acknowledged write, or of a write after it
 *       that was in flight;</li>
 *   <li>each counter is at least the sum of the acknowledged records and at most that plus the records in flight: a
 *       killed record may be added in part (its counters are added one by one), never twice, never lost once
 *       acknowledged; no counter is negative, none reads as damaged, no name holds two records.</li>
 * </ul>
 * An op is acknowledged when its writer's log says so (written after the op returned); the ops in flight are the
 * {@link StressWriter#MARK_EVERY} after a killed incarnation's last mark. The ops are drawn from seeds derived from
 * one printed seed ({@code -Dmodelsel.stress.seed} draws the same ops again; the kills' timing differs), so the check
 * replays them exactly.
 */
@Timeout(value = 1800, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StressIT
{
    static final int DEFAULT_SECONDS = 10;
    private static final int WRITERS = 8;
    private static final int HOLD_EVERY_SECONDS = 30;
    private static final List<String> WRITER_JVM = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path dir;

    private final List<Incarnation> incarnations = new ArrayList<>();
    private final Incarnation[] current = new Incarnation[WRITERS];
    private long seed;
    private int kills;
    private int killedMidWrite;
    private int fullRestarts;
    /** /proc/locks could not be read, and the run said so once. */
    private boolean sharedLocksUnchecked;

    @Test
    void shouldLoseNothingAcknowledgedWhileWritersAreKilledAndRestarted() throws Exception
    {
        final long seconds = Long.getLong("modelsel.stress.seconds", DEFAULT_SECONDS);
        seed = Long.getLong("modelsel.stress.seed", System.nanoTime());
        System.out.println("StressIT: seed " + seed + ", " + seconds + " s, " + WRITERS + " writers");
        final Random random = new Random(seed);
        final long startNs = System.nanoTime();
        final List<Process> holders = new ArrayList<>();
        try
        {
            for (int w = 0; w < WRITERS; w++)
            {
                start(w);
            }
            awaitReady();
            final long writingNs = System.nanoTime();
            final long endNs = writingNs + TimeUnit.SECONDS.toNanos(seconds);
            long holdAtNs = writingNs + TimeUnit.SECONDS.toNanos(Math.min(seconds / 2, HOLD_EVERY_SECONDS / 2));
            while (System.nanoTime() < endNs)
            {
                final long pauseEndNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200 + random.nextInt(800));
                while (System.nanoTime() < pauseEndNs && !anyStuck())
                {
                    Thread.sleep(20);
                }
                requireSharedLocks();
                if (anyStuck())
                {
                    restartAll();
                }
                else if (System.nanoTime() >= holdAtNs)
                {
                    holders.add(killMidWrite(random));
                    holdAtNs += TimeUnit.SECONDS.toNanos(HOLD_EVERY_SECONDS);
                    awaitStuck();
                    restartAll();
                }
                else
                {
                    killSome(random);
                }
            }
            awaitReady();
            stopAll();
        }
        finally
        {
            incarnations.forEach(incarnation -> incarnation.process.destroyForcibly());
            holders.forEach(Process::destroyForcibly);
        }
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        check(elapsedMs);
    }

    /**
     * A process that dies in the middle of a write, for certain: {@link TableWorker}'s {@code hold} takes the write
     * lock of a shared model's segment and is SIGKILLed holding it. Writers of that segment then wait 2 s and report
     * it stuck. (A writer SIGKILLed at random is rarely inside a write: a write holds its lock for well under a
     * microsecond.)
     */
    private Process killMidWrite(final Random random) throws Exception
    {
        final String model = "cool-" + random.nextInt(StressWriter.Op.COOLING);
        final Process holder = Jvms.start(true, TableWorker.class, "hold", dir.resolve("stress.table").toString(), model);
        final String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
        holder.destroyForcibly();
        assertTrue(holder.waitFor(60, TimeUnit.SECONDS), "the holder dies");
        if ("holding".equals(line))
        {
            killedMidWrite++;
        }
        else // a writer killed at random left that segment locked already: the writers report it soon
        {
            assertTrue(line != null && line.startsWith("InterProcessDeadLockException"), "the holder took " + model +
                "'s lock, or found it stuck: " + line + " (seed " + seed + ")");
        }
        return holder;
    }

    /**
     * Kills one writer, or sometimes two or three at once, each with SIGKILL, and starts each again; only writers that
     * are writing, never one that is opening. The new ones open while the others write.
     */
    private void killSome(final Random random) throws Exception
    {
        final List<Integer> writing = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++)
        {
            if (current[w].ready)
            {
                writing.add(w);
            }
        }
        final int count = Math.min(writing.size(), random.nextInt(5) == 0 ? 2 + random.nextInt(2) : 1);
        final List<Integer> victims = new ArrayList<>();
        while (victims.size() < count)
        {
            victims.add(writing.remove(random.nextInt(writing.size())));
        }
        for (final int w : victims)
        {
            kill(current[w]);
        }
        for (final int w : victims)
        {
            start(w);
        }
        kills += count;
    }

    /** What an operator does about a stuck segment: stops every process (here by SIGKILL) and starts them again. */
    private void restartAll() throws Exception
    {
        awaitReady();
        for (final Incarnation incarnation : current)
        {
            kill(incarnation);
        }
        for (int w = 0; w < WRITERS; w++)
        {
            start(w);
        }
        fullRestarts++;
    }

    /** Asks every writer to stop at its next mark, and waits for them. */
    private void stopAll() throws Exception
    {
        Files.createFile(dir.resolve("stop"));
        for (final Incarnation incarnation : current)
        {
            assertTrue(incarnation.process.waitFor(120, TimeUnit.SECONDS), incarnation + " stops");
            final int exit = incarnation.process.exitValue();
            assertTrue(exit == 0 || exit == StressWriter.EXIT_STUCK, incarnation + " exited " + exit + ": " +
                incarnation.lines);
            incarnation.stopped = exit == 0;
        }
    }

    private void start(final int writer) throws IOException
    {
        final int number = incarnations.size();
        final long incarnationSeed = seed * 1_000_003L + number;
        final Path log = dir.resolve("w" + writer + "-i" + number + ".log");
        final Process process = Jvms.start(true, WRITER_JVM, StressWriter.class, dir.resolve("stress.table").toString(),
            dir.resolve("counters").toString(), log.toString(), dir.resolve("stop").toString(), String.valueOf(writer),
            String.valueOf(number), String.valueOf(incarnationSeed));
        final Incarnation incarnation = new Incarnation(writer, number, incarnationSeed, log, process);
        incarnations.add(incarnation);
        current[writer] = incarnation;
        final Thread reader = new Thread(incarnation::readOutput, "stress-out-" + number);
        reader.setDaemon(true);
        reader.start();
    }

    /** Never kills a writer that is opening: one killed while it creates or recovers the map leaves it refused. */
    private void awaitReady() throws InterruptedException
    {
        for (final Incarnation incarnation : current)
        {
            final long giveUpNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!incarnation.ready && !incarnation.stuck)
            {
                if (!incarnation.process.isAlive() && incarnation.outputEnded)
                {
                    fail(incarnation + " ended before it was ready, exit " + incarnation.process.exitValue() + ": " +
                        incarnation.lines + " (seed " + seed + ")");
                }
                assertTrue(System.nanoTime() < giveUpNs, incarnation + " is not ready after 120 s (seed " + seed + ")");
                Thread.sleep(5);
            }
        }
    }

    /**
     * Every writer that has the table open holds Chronicle's shared lock on the map file (Linux's {@code /proc/locks}):
     * an opener recovers the map only when it can lock the file exclusively, so a writer without it would be written
     * under by a recovery.
     */
    private void requireSharedLocks() throws IOException
    {
        final Path locks = Path.of("/proc/locks");
        if (!Files.isReadable(locks))
        {
            if (!sharedLocksUnchecked)
            {
                sharedLocksUnchecked = true;
                System.err.println("StressIT: " + locks + " cannot be read here: whether every writer holds the " +
                    "map file's shared lock is not checked in this run");
            }
            return;
        }
        final String inode = ":" + Files.getAttribute(dir.resolve("stress.table"), "unix:ino") + " ";
        final Set<Long> holders = new HashSet<>();
        for (final String line : Files.readAllLines(locks))
        {
            if (line.contains(inode))
            {
                holders.add(Long.parseLong(line.trim().split("\\s+")[4])); // "1: POSIX ADVISORY READ PID DEV:INODE ..."
            }
        }
        for (final Incarnation incarnation : current)
        {
            assertTrue(!incarnation.ready || holders.contains(incarnation.process.pid()) ||
                !incarnation.process.isAlive(), incarnation + " has the table open without its shared lock" +
                " (seed " + seed + ")");
        }
    }

    /** Every writer writes each shared model often: one soon waits out the lock timeout and reports it stuck. */
    private void awaitStuck() throws InterruptedException
    {
        final long giveUpNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!anyStuck())
        {
            assertTrue(System.nanoTime() < giveUpNs, "a writer reports the segment left locked (seed " + seed + ")");
            Thread.sleep(20);
        }
    }

    private boolean anyStuck()
    {
        for (final Incarnation incarnation : current)
        {
            if (incarnation.stuck)
            {
                return true;
            }
            if (!incarnation.process.isAlive() && incarnation.outputEnded)
            {
                fail(incarnation + " ended unasked, exit " + incarnation.process.exitValue() + ": " + incarnation.lines +
                    " (seed " + seed + ")");
            }
        }
        return false;
    }

    private static void kill(final Incarnation incarnation) throws InterruptedException
    {
        incarnation.process.destroyForcibly(); // SIGKILL: no shutdown hook, locks and counts left as they are
        assertTrue(incarnation.process.waitFor(60, TimeUnit.SECONDS), incarnation + " dies");
    }

    private void check(final long elapsedMs) throws IOException
    {
        final String where = " (seed " + seed + ")";
        final Map<String, Long> latestAcknowledged = new HashMap<>();
        final Map<String, Set<Long>> written = new HashMap<>();
        final Map<String, Set<Boolean>> flagStates = new HashMap<>();
        final Map<String, long[]> modelLow = new TreeMap<>();
        final Map<String, long[]> modelHigh = new TreeMap<>();
        final Map<String, long[]> categoryLow = new TreeMap<>();
        final Map<String, long[]> categoryHigh = new TreeMap<>();
        long acknowledged = 0;
        long inFlight = 0;
        int recoveries = 0;
        for (final Incarnation incarnation : incarnations) // in start order: each writer's incarnations in turn
        {
            recoveries += incarnation.recovered ? 1 : 0;
            final long done = incarnation.acknowledged();
            final long drawn = incarnation.stopped ? done : done + StressWriter.MARK_EVERY;
            acknowledged += done;
            inFlight += drawn - done;
            final StressWriter.Op op = new StressWriter.Op(incarnation.writer, incarnation.number, incarnation.seed);
            for (long i = 0; i < drawn; i++)
            {
                op.next();
                final boolean sure = i < done;
                if (op.cooldown)
                {
                    written.computeIfAbsent(op.model, m -> new HashSet<>()).add(op.untilMs);
                    if (sure)
                    {
                        latestAcknowledged.merge(op.model, op.untilMs, Math::max);
                    }
                }
                else
                {
                    final Set<Boolean> states = flagStates.computeIfAbsent(op.model, m -> new HashSet<>(Set.of(false)));
                    if (sure)
                    {
                        states.clear();
                    }
                    states.add(op.down);
                }
                final long[] attempt = {1, op.failed ? 1 : 0, op.escalated ? 1 : 0, op.inputTokens, op.outputTokens,
                    op.spendMicros, op.pricedByDefaults ? 1 : 0, op.outputUnpriced ? 1 : 0};
                final long[] phase = {1, op.escalated ? 1 : 0};
                add(modelHigh, op.counted, attempt);
                add(categoryHigh, op.category, phase);
                if (sure)
                {
                    add(modelLow, op.counted, attempt);
                    add(categoryLow, op.category, phase);
                }
            }
        }
        System.out.printf("StressIT: %d s in all, %d writers, %d SIGKILLs (%d of one to three writers at random, " +
                "%d of a process holding a segment's write lock, %d restarts of all after a stuck segment), " +
                "%d recoveries, %d writer incarnations; %,d ops acknowledged (each a table write and a counted " +
                "record), at most %,d more in flight at kills%s%n", elapsedMs / 1000, WRITERS,
            kills + killedMidWrite + WRITERS * fullRestarts, kills, killedMidWrite, fullRestarts, recoveries,
            incarnations.size(), acknowledged, inFlight, where);
        assertTrue(killedMidWrite == 0 || fullRestarts > 0 && recoveries > 0,
            "a segment left locked is reported stuck, and recovered once every writer is restarted" + where);
        assertTrue(acknowledged > 0, "the writers wrote" + where);

        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(dir.resolve("stress.table")))
        {
            final AvailabilityRecord record = new AvailabilityRecord();
            for (final Map.Entry<String, Set<Long>> model : written.entrySet())
            {
                final Long latest = latestAcknowledged.get(model.getKey());
                final boolean present = table.read(model.getKey(), record);
                if (latest != null)
                {
                    assertTrue(present && record.cooldownUntilMs() >= latest, model.getKey() + ": acknowledged " +
                        "cooldown until " + latest + " lost: " + (present ? record : "no record") + where);
                }
                assertTrue(!present || model.getValue().contains(record.cooldownUntilMs()), model.getKey() + ": " +
                    record.cooldownUntilMs() + " was never written" + where);
            }
            for (final Map.Entry<String, Set<Boolean>> model : flagStates.entrySet())
            {
                final boolean down = table.read(model.getKey(), record) && record.down();
                assertTrue(model.getValue().contains(down), model.getKey() + ": down " + down + ", but the last " +
                    "acknowledged write and those in flight after it leave " + model.getValue() + where);
            }
        }
        try (SharedPhaseCounters counters = SharedPhaseCounters.open(dir.resolve("counters")))
        {
            final Map<String, long[]> models = new TreeMap<>();
            counters.forEachModel((name, c) -> assertTrue(models.put(name, new long[] {c.attempts(), c.failures(),
                c.escalations(), c.inputTokens(), c.outputTokens(), c.spendMicros(), c.pricedByDefaults(),
                c.outputUnpriced()}) == null, name + " holds two records" + where));
            final Map<String, long[]> categories = new TreeMap<>();
            counters.forEachCategory((name, c) -> assertTrue(categories.put(name, new long[] {c.phases(),
                c.escalations()}) == null, name + " holds two records" + where));
            final List<String> corrupt = new ArrayList<>();
            counters.forEachCorrupt((index, why) -> corrupt.add(index + ": " + why));
            assertEquals(List.of(), corrupt, "no counter record reads as damaged" + where);
            within("model", modelLow, modelHigh, models, where);
            within("category", categoryLow, categoryHigh, categories, where);
        }
        System.out.println("StressIT: nothing acknowledged lost, nothing counted twice" + where);
    }

    private static void add(final Map<String, long[]> sums, final String name, final long[] values)
    {
        final long[] sum = sums.computeIfAbsent(name, n -> new long[values.length]);
        for (int i = 0; i < values.length; i++)
        {
            sum[i] += values[i];
        }
    }

    /** Each counter between the acknowledged records' sum and that plus the records in flight. */
    private static void within(final String kind, final Map<String, long[]> low, final Map<String, long[]> high,
        final Map<String, long[]> actual, final String where)
    {
        assertTrue(high.keySet().containsAll(actual.keySet()), kind + "s never written: " + actual.keySet() + where);
        for (final Map.Entry<String, long[]> name : high.entrySet())
        {
            final long[] counts = actual.getOrDefault(name.getKey(), new long[name.getValue().length]);
            final long[] floor = low.getOrDefault(name.getKey(), new long[name.getValue().length]);
            for (int i = 0; i < counts.length; i++)
            {
                assertTrue(counts[i] >= 0 && counts[i] >= floor[i] && counts[i] <= name.getValue()[i],
                    kind + " " + name.getKey() + " counter " + i + ": " + counts[i] + ", acknowledged " + floor[i] +
                        ", at most " + name.getValue()[i] + where);
            }
        }
    }

    /** One run of one writer: its process, what it printed, its log. */
    private static final class Incarnation
    {
        final int writer;
        final int number;
        final long seed;
        final Path log;
        final Process process;
        final List<String> lines = new ArrayList<>();
        volatile boolean ready;
        volatile boolean recovered;
        volatile boolean stuck;
        volatile boolean outputEnded;
        boolean stopped;

        Incarnation(final int writer, final int number, final long seed, final Path log, final Process process)
        {
            this.writer = writer;
            this.number = number;
            this.seed = seed;
            this.log = log;
            this.process = process;
        }

        void readOutput()
        {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)))
            {
                for (String line = out.readLine(); line != null; line = out.readLine())
                {
                    synchronized (lines)
                    {
                        lines.add(line);
                    }
                    recovered |= line.equals("ready recovered");
                    ready |= line.startsWith("ready");
                    stuck |= line.startsWith("stuck ");
                }
            }
            catch (final IOException ex)
            {
                // the process was killed
            }
            outputEnded = true;
        }

        /** The ops its log acknowledges: the last complete mark; an incarnation that stopped must have said so. */
        long acknowledged() throws IOException
        {
            long done = 0;
            boolean ended = false;
            if (Files.exists(log))
            {
                for (final String line : Files.readAllLines(log, StandardCharsets.US_ASCII))
                {
                    if (line.startsWith("done ") && line.endsWith(" ;"))
                    {
                        done = Long.parseLong(line.substring(5, line.length() - 2));
                    }
                    ended |= line.equals("end ;");
                }
            }
            assertEquals(stopped, ended, this + ": a writer that stopped logs its end, a killed one cannot");
            return done;
        }

        @Override
        public String toString()
        {
            return "writer " + writer + " (incarnation " + number + ", pid " + process.pid() + ")";
        }
    }
}
