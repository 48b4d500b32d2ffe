package dev.modelsel.engine.availability;

import dev.modelsel.engine.cost.SharedPhaseCounters;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * One writer of {@link StressIT}, in a JVM of its own ({@link Jvms}):
 * {@code TABLE COUNTERS LOG STOP_FILE WRITER INCARNATION SEED}.
 * <p>
 * Opens the shared table and the shared counters, prints {@code ready} (with {@code recovered} when its open
 * recovered the table), then carries out the ops {@link Op} draws from SEED, one after another, as fast as it can.
 * Every {@link #MARK_EVERY} ops, once the last one returned, it appends {@code done N ;} to LOG with one write: ops
 * 0 to N−1 are acknowledged, and nothing after op N+{@link #MARK_EVERY}−1 was begun (a line cut short by a kill
 * lacks its {@code ;} and counts for nothing); then it pauses a little. At a mark where STOP_FILE exists it appends
 * {@code end ;}, closes both files and exits 0. A table write refused because a segment lock is held by a process
 * that was killed prints {@code stuck} and exits 4: only stopping every process lets the next one recover the table.
 * Anything else prints its error and exits 3.
 */
public final class StressWriter
{
    static final int MARK_EVERY = 64;
    static final int EXIT_STUCK = 4;
    /** A pause after each mark: eight writers busy on two cores would starve the writers being restarted. */
    private static final long PAUSE_NS = 500_000;

    private StressWriter()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path stop = Path.of(args[3]);
        final Op op = new Op(Integer.parseInt(args[4]), Integer.parseInt(args[5]), Long.parseLong(args[6]));
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(Path.of(args[0]));
            SharedPhaseCounters counters = SharedPhaseCounters.open(Path.of(args[1]));
            FileOutputStream log = new FileOutputStream(args[2], true))
        {
            System.out.println(table.recoveredOnOpen() ? "ready recovered" : "ready");
            System.out.flush();
            for (long done = 0; ; done++)
            {
                if (done % MARK_EVERY == 0)
                {
                    log.write(("done " + done + " ;\n").getBytes(StandardCharsets.US_ASCII));
                    if (Files.exists(stop))
                    {
                        log.write("end ;\n".getBytes(StandardCharsets.US_ASCII));
                        break;
                    }
                    LockSupport.parkNanos(PAUSE_NS);
                }
                op.next();
                try
                {
                    op.applyTo(table);
                }
                catch (final SharedTableException stuck)
                {
                    System.out.println("stuck " + stuck.getMessage());
                    System.out.flush();
                    System.exit(EXIT_STUCK);
                }
                op.applyTo(counters);
            }
        }
        catch (final Exception ex)
        {
            System.out.println(ex.getClass().getSimpleName() + ": " + ex.getMessage());
            System.out.flush();
            System.exit(3);
        }
    }

    /**
     * The ops of one writer's incarnation, drawn one after another from its seed: {@link StressIT} draws the same ones
     * to check. Each op is a table write and a counted record:
     * <ul>
     *   <li>half the time a cooldown on one of {@link #COOLING} models that every writer shares, with a deadline that
     *       grows with the incarnation and the op, so that most writes change the entry; else {@code set_down} or
     *       {@code set_up} on one of {@link #FLAGGED} models of this writer's own, so that their last state is
     *       known;</li>
     *   <li>an attempt on one of {@link #COUNTED} shared models and a phase in one of {@link #CATEGORIES} shared
     *       categories, with random token counts and flags.</li>
     * </ul>
     */
    static final class Op
    {
        static final int COOLING = 12;
        static final int FLAGGED = 4;
        static final int COUNTED = 8;
        static final int CATEGORIES = 4;
        static final long BASE_MS = 1_700_000_000_000L;

        private final String[] coolingModels = names("cool-", COOLING);
        private final String[] flaggedModels;
        private final String[] countedModels = names("count-", COUNTED);
        private final String[] categoryNames = names("cat-", CATEGORIES);
        private final int incarnation;
        private final Random random;
        private long index = -1;

        boolean cooldown;
        String model;
        long untilMs;
        boolean down;
        String counted;
        boolean failed;
        boolean escalated;
        long inputTokens;
        long outputTokens;
        long spendMicros;
        boolean pricedByDefaults;
        boolean outputUnpriced;
        String category;

        Op(final int writer, final int incarnation, final long seed)
        {
            this.flaggedModels = names("w" + writer + "-flag-", FLAGGED);
            this.incarnation = incarnation;
            this.random = new Random(seed);
        }

        static String[] names(final String prefix, final int count)
        {
            final String[] names = new String[count];
            for (int i = 0; i < count; i++)
            {
                names[i] = prefix + i;
            }
            return names;
        }

        /** Draws the next op. */
        void next()
        {
            index++;
            cooldown = random.nextBoolean();
            if (cooldown)
            {
                model = coolingModels[random.nextInt(COOLING)];
                untilMs = BASE_MS + ((long)incarnation << 32) + (index << 4) + random.nextInt(16);
            }
            else
            {
                model = flaggedModels[random.nextInt(FLAGGED)];
                down = random.nextBoolean();
            }
            counted = countedModels[random.nextInt(COUNTED)];
            failed = random.nextBoolean();
            escalated = random.nextInt(4) == 0;
            inputTokens = random.nextInt(100_000);
            outputTokens = random.nextInt(10_000);
            spendMicros = random.nextInt(1_000_000);
            pricedByDefaults = random.nextInt(8) == 0;
            outputUnpriced = random.nextInt(8) == 0;
            category = categoryNames[random.nextInt(CATEGORIES)];
        }

        void applyTo(final SharedAvailabilityTable table)
        {
            if (cooldown)
            {
                table.setRateLimited(model, untilMs);
            }
            else if (down)
            {
                table.setDown(model);
            }
            else
            {
                table.setUp(model);
            }
        }

        void applyTo(final SharedPhaseCounters counters)
        {
            counters.addAttempt(counted, failed, escalated, inputTokens, outputTokens, spendMicros, pricedByDefaults,
                outputUnpriced);
            counters.addPhase(category, escalated);
        }
    }
}
