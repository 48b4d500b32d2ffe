package dev.modelsel.benchmarks.latency;

import dev.modelsel.engine.availability.SharedAvailabilityTable;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer process of {@link PropagationHarness}. Once the reader spins: toggles the model down and up as fast
 * as it can to warm both JVMs up (not measured), leaves it up, and waits for the reader to take that in; then
 * toggles it at a fixed rate, each change only after the reader has seen the one before (so no two changes fold
 * into one), stamping {@code System.nanoTime()} just before each write. Between changes it sleeps, spinning only
 * the last 100 µs: a second spinning process would leave the operating system and the JVMs' own threads no core
 * but the reader's. A change the reader has not seen by the next one's due time it waits for parking, not spinning
 * (the next change is late, and {@link PropagationRun} records it so).
 * <p>
 * With {@code --redis-port} it writes to Redis instead of the table, as LiteLLM shares a cooldown: down is a
 * {@code SET deployment:{id}:cooldown} of a small JSON value with a TTL, up a {@code DEL} of that key, each waiting
 * for its reply.
 */
public final class PropagationWriter
{
    /** The writer spins only this long before each change, and sleeps the rest of the interval. */
    private static final long SPIN_NS = 100_000;
    /** How long the writer parks at a time while it waits for the reader. */
    private static final long WAIT_NS = 10_000;

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
                new HarnessOptions.Option("redis-port", "0", "write to Redis on this loopback port, not the table"),
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
        final long redisPort = options.number("redis-port", 0);
        try (Target target = redisPort == 0 ? new TableTarget(Path.of(options.text("table")), model) :
            new RedisTarget((int)redisPort, model))
        {
            await(stamps, PropagationFiles.READY_OFFSET, 1);
            for (long w = 0, warmup = options.number("warmup-changes", 0); w < warmup; w++)
            {
                target.set((w & 1) == 0);
            }
            target.set(false);
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
                while (System.nanoTime() < due)
                {
                    Thread.onSpinWait();
                }
                await(stamps, PropagationFiles.READER_SEEN_OFFSET, k); // a slow change: no spinning through it
                stamps.putLongVolatile(PropagationFiles.WRITE_BEGAN_NS_OFFSET, System.nanoTime());
                target.set((k & 1) == 0);
                stamps.putLongVolatile(PropagationFiles.WRITES_DONE_OFFSET, k + 1);
            }
        }
    }

    /** Where the writer marks the model down or up. */
    private interface Target extends AutoCloseable
    {
        void set(boolean down) throws IOException;

        @Override
        void close() throws IOException;
    }

    private static final class TableTarget implements Target
    {
        private final SharedAvailabilityTable table;
        private final String model;

        TableTarget(final Path path, final String model) throws IOException
        {
            this.table = SharedAvailabilityTable.open(path);
            this.model = model;
        }

        @Override
        public void set(final boolean down)
        {
            if (down)
            {
                table.setDown(model);
            }
            else
            {
                table.setUp(model);
            }
        }

        @Override
        public void close()
        {
            table.close();
        }
    }

    private static final class RedisTarget implements Target
    {
        private final RespClient redis;
        private final String key;
        private final byte[] delete;

        RedisTarget(final int port, final String model) throws IOException, InterruptedException
        {
            this.redis = RespClient.connect(port, 10_000);
            this.key = RedisSelect.cooldownKey(model);
            this.delete = RespClient.encode("DEL", key);
        }

        @Override
        public void set(final boolean down) throws IOException
        {
            if (down)
            {
                // What LiteLLM's cooldown cache stores: the exception, its status, when, and for how long.
                redis.call(RespClient.encode("SET", key, "{\"exception_received\": \"RateLimitError\", " +
                    "\"status_code\": \"429\", \"timestamp\": " + System.currentTimeMillis() / 1000.0 +
                    ", \"cooldown_time\": 60}", "EX", "60"));
            }
            else
            {
                redis.call(delete);
            }
        }

        @Override
        public void close() throws IOException
        {
            redis.close();
        }
    }

    /**
     * Waits, parking, for the reader: across hosts the change it waits for is carried by processes that need the
     * core a spinning writer would take.
     */
    private static void await(final UnsafeBuffer stamps, final int offset, final long value)
    {
        while (stamps.getLongVolatile(offset) < value)
        {
            LockSupport.parkNanos(WAIT_NS);
        }
    }
}
