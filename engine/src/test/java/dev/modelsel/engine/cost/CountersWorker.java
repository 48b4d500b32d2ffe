package dev.modelsel.engine.cost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A separate JVM for the counters test: {@code COUNTERS SEED RECORDS GO_FILE}. Once GO_FILE exists, adds RECORDS
 * random attempts over 40 models and 12 categories (new names claimed while the other process claims too), then
 * prints its own totals: {@code totals ATTEMPTS FAILURES ESCALATIONS INPUT OUTPUT SPEND}.
 */
public final class CountersWorker
{
    private CountersWorker()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        try (SharedPhaseCounters counters = SharedPhaseCounters.open(Path.of(args[0])))
        {
            final Random random = new Random(Long.parseLong(args[1]));
            final int records = Integer.parseInt(args[2]);
            System.out.println("ready");
            System.out.flush();
            while (!Files.exists(Path.of(args[3])))
            {
                Thread.onSpinWait();
            }
            long failures = 0;
            long escalations = 0;
            long input = 0;
            long output = 0;
            long spend = 0;
            for (int i = 0; i < records; i++)
            {
                final boolean failed = random.nextBoolean();
                final boolean escalated = random.nextInt(4) == 0;
                final long in = random.nextInt(100_000);
                final long out = random.nextInt(10_000);
                final long micros = random.nextInt(1_000_000);
                counters.addAttempt("model-" + random.nextInt(40), failed, escalated, in, out, micros, false, false);
                counters.addPhase("category-" + random.nextInt(12), escalated);
                failures += failed ? 1 : 0;
                escalations += escalated ? 1 : 0;
                input += in;
                output += out;
                spend += micros;
            }
            System.out.println("totals " + records + " " + failures + " " + escalations + " " + input + " " + output + " " +
                spend);
        }
    }
}
