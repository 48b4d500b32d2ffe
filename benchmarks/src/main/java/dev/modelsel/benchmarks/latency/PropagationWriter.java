package dev.modelsel.benchmarks.latency;

import dev.modelsel.engine.availability.SharedAvailabilityTable;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer process of {@link PropagationHarness}. Once the reader spins: toggles the model down and up as fast
 * as it can to warm both JVMs up (not measured), leaves it up, and waits for the reader to take that in; then
 * toggles it at a fixed rate, each change only after the reader has seen the one before (so no two changes fold
 * into one), stamping {@code System.nanoTime()} just before each write. Between changes it sleeps, spinning only
 * the last 100 µs: a second spinning process would leave the operating system and the JVMs' own threads no core
 * but the reader's.
 */
public final class PropagationWriter
{
    /** The writer spins only this long before each change, and sleeps the rest of the interval. */
    private static final long SPIN_NS = 100_000;

    /** The first word on the benchmarks jar's command line that starts this writer. */
    public static final String COMMAND = "propagation-writer";

    private PropagationWriter()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final HarnessOptions options = HarnessOptions.parse(
            "java -jar benchmarks/target/benchmarks.jar " + COMMAND + " ..." + System.lineSeparator() +
                "The writing half of the propagation harness, which starts it: not for use on its own.", args, List.of(
                new HarnessOptions.Option("table", "", "the shared table"),
                new HarnessOptions.Option("stamps", "", "the file of write stamps"),
                new HarnessOptions.Option("model", "", "the model to toggle"),
                new HarnessOptions.Option("changes", "0", "changes to make at the rate"),
                new HarnessOptions.Option("warmup-changes", "0", "changes to make first"),
                new HarnessOptions.Option("rate", "1000", "changes per second")),
            System.out);
        if (options == null)
        {
            return;
        }
        final UnsafeBuffer stamps = PropagationFiles.open(Path.of(options.text("stamps")));
        final String model = options.text("model");
        final long changes = options.number("changes", 0);
        final long intervalNs = 1_000_000_000L / options.number("rate", 1);
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(Path.of(options.text("table"))))
        {
            await(stamps, PropagationFiles.READY_OFFSET, 1);
            for (long w = 0, warmup = options.number("warmup-changes", 0); w < warmup; w++)
            {
                toggle(table, model, w);
            }
            table.setUp(model);
            stamps.putLongVolatile(PropagationFiles.PHASE_OFFSET, 1);
            await(stamps, PropagationFiles.READER_SEEN_OFFSET, 0);
            final long start = System.nanoTime();
            for (long k = 0; k < changes; k++)
            {
                final long due = start + k * intervalNs;
                final long sleepUntil = due - SPIN_NS; // sleep most of the interval: leave the other core to the rest
                for (long now = System.nanoTime(); now < sleepUntil; now = System.nanoTime())
                {
                    LockSupport.parkNanos(sleepUntil - now);
                }
                while (System.nanoTime() < due || stamps.getLongVolatile(PropagationFiles.READER_SEEN_OFFSET) < k)
                {
                    Thread.onSpinWait();
                }
                stamps.putLongVolatile(PropagationFiles.WRITE_BEGAN_NS_OFFSET, System.nanoTime());
                toggle(table, model, k);
                stamps.putLongVolatile(PropagationFiles.WRITES_DONE_OFFSET, k + 1);
            }
        }
    }

    private static void toggle(final SharedAvailabilityTable table, final String model, final long k)
    {
        if ((k & 1) == 0)
        {
            table.setDown(model);
        }
        else
        {
            table.setUp(model);
        }
    }

    private static void await(final UnsafeBuffer stamps, final int offset, final long value)
    {
        while (stamps.getLongVolatile(offset) < value)
        {
            Thread.onSpinWait();
        }
    }
}
