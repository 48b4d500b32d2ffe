package dev.modelsel.benchmarks.latency;

import dev.modelsel.engine.availability.AvailabilityRecord;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a {@link NamespaceCluster} does besides carrying one write at a time: how long its hosts take to agree after a
 * healed partition and under loss, and what a quiet cluster sends. Writes and looks go straight to the hosts' tables
 * from this process (tables are files); each look reads one record of each table, every 100 µs.
 * <p>
 * Not thread-safe.
 */
final class ClusterConvergence
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long LOOK_EVERY_NS = TimeUnit.MICROSECONDS.toNanos(100);

    private final NamespaceCluster cluster;
    private final SharedAvailabilityTable[] tables;
    private final AvailabilityRecord record = new AvailabilityRecord();

    ClusterConvergence(final NamespaceCluster cluster, final SharedAvailabilityTable[] tables)
    {
        this.cluster = cluster;
        this.tables = tables;
    }

    /** Sets every model up on the first host and waits until every host has a record of each. */
    void seed(final List<String> models) throws IOException
    {
        models.forEach(tables[0]::setUp);
        final long startNs = System.nanoTime();
        for (int host = 0; host < tables.length; host++)
        {
            for (final String model : models)
            {
                while (!tables[host].read(model, record))
                {
                    if (System.nanoTime() - startNs > TIMEOUT_NS)
                    {
                        throw new IOException("host " + host + " did not get " + model + " within " + ms(TIMEOUT_NS) +
                            " ms");
                    }
                    LockSupport.parkNanos(LOOK_EVERY_NS);
                }
            }
        }
    }

    /**
     * Each trial cuts the last host off, sets one model down on the first host and another on the cut one, waits
     * {@code partitionMs}, checks that neither write crossed, heals, and times until every host has both; then sets
     * both up again and waits for that (untimed). Models the hosts already hold: a model's first write costs more
     * (its replicator reads the whole table to find it), which is not what this measures.
     *
     * @return one line: each trial's time from the heal to agreement.
     */
    String afterPartition(final int trials, final long partitionMs, final List<String> models) throws Exception
    {
        final int cut = NamespaceCluster.HOSTS - 1;
        final StringBuilder times = new StringBuilder();
        for (int trial = 0; trial < trials; trial++)
        {
            final String onFirst = models.get((2 * trial) % models.size());
            final String onCut = models.get((2 * trial + 1) % models.size());
            cluster.partition(cut, true);
            tables[0].setDown(onFirst);
            tables[cut].setDown(onCut);
            Thread.sleep(partitionMs);
            if (isDown(cut, onFirst) || isDown(0, onCut))
            {
                throw new IOException("a write crossed the partition: the link did not go down");
            }
            cluster.partition(cut, false);
            final long healedNs = System.nanoTime();
            final long tookNs = awaitEverywhere(healedNs, true, onFirst, onCut);
            times.append(trial == 0 ? "" : ", ").append(ms(tookNs));
            tables[0].setUp(onFirst);
            tables[0].setUp(onCut);
            awaitEverywhere(System.nanoTime(), false, onFirst, onCut);
        }
        return String.format(Locale.ROOT, "after a %,d ms partition of one host of %d, healed: every host had both " +
            "sides' writes in %s ms (%d trial%s)", partitionMs, NamespaceCluster.HOSTS, times, trials,
            trials == 1 ? "" : "s");
    }

    /**
     * Makes {@code changes} changes one at a time, {@code gapMs} apart, on the hosts in turn: each sets one of
     * {@code models} down, or up again on the next round through them; and times each until every host has it. For
     * a cluster {@linkplain NamespaceCluster#throughRelays through lossy relays}.
     *
     * @return the times, ns.
     */
    Histogram underLoss(final int changes, final long gapMs, final List<String> models) throws Exception
    {
        final Histogram times = SelectLatencyHarness.histogram();
        for (int k = 0; k < changes; k++)
        {
            final String model = models.get(k % models.size());
            final boolean down = (k / models.size()) % 2 == 0;
            final SharedAvailabilityTable table = tables[k % NamespaceCluster.HOSTS];
            final long writtenNs = System.nanoTime();
            if (down)
            {
                table.setDown(model);
            }
            else
            {
                table.setUp(model);
            }
            times.recordValue(Math.min(times.getHighestTrackableValue(), awaitEverywhere(writtenNs, down, model)));
            Thread.sleep(gapMs);
        }
        return times;
    }

    /** @return bytes a second that each host sent over {@code seconds}, all headers included. */
    long[] quietBytesPerSecond(final long seconds) throws Exception
    {
        final long[] before = new long[NamespaceCluster.HOSTS];
        for (int host = 0; host < before.length; host++)
        {
            before[host] = cluster.bytesSent(host);
        }
        final long startNs = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        final long[] rates = new long[NamespaceCluster.HOSTS];
        for (int host = 0; host < rates.length; host++)
        {
            final long sent = cluster.bytesSent(host) - before[host];
            rates[host] = Math.round(sent * 1e9 / (System.nanoTime() - startNs));
        }
        return rates;
    }

    /** Waits until every host has each model down (or up). @return the time from {@code sinceNs}. */
    private long awaitEverywhere(final long sinceNs, final boolean down, final String... models) throws IOException
    {
        while (true)
        {
            final boolean agreed = everywhere(down, models);
            final long now = System.nanoTime();
            if (agreed)
            {
                return now - sinceNs;
            }
            if (now - sinceNs > TIMEOUT_NS)
            {
                throw new IOException("the hosts did not agree on " + List.of(models) + (down ? " down" : " up") +
                    " within " + ms(TIMEOUT_NS) + " ms");
            }
            LockSupport.parkNanos(LOOK_EVERY_NS);
        }
    }

    private boolean everywhere(final boolean down, final String... models)
    {
        for (int host = 0; host < tables.length; host++)
        {
            for (final String model : models)
            {
                if (isDown(host, model) != down)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean isDown(final int host, final String model)
    {
        return tables[host].read(model, record) && record.down();
    }

    static String ms(final long ns)
    {
        return PercentilePlot.trim(ns / 1e6);
    }
}
