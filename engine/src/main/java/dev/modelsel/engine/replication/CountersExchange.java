package dev.modelsel.engine.replication;

import dev.modelsel.engine.cost.CounterSlots;
import dev.modelsel.engine.cost.CountersFullException;

import java.io.IOException;

/**
 * The counters half of a {@link Replicator} (issue 13, spend across hosts): sends the host's own counters, every
 * record in each snapshot and those that changed at most every {@link #INTERVAL_MS} in between, and takes each
 * other host's into its slot ({@link ClusterCounters}). Values are absolute and slots keep the highest, so a message
 * repeated or lost costs only a late value. Counters received are never sent on: each host sends only its own.
 * <p>
 * SPEC §7's limits ride along (issue 14): each host's takes from its buckets and its own part of each budget, sent
 * as totals the same way, and applied by the receiver to its own limits ({@code OtherHostsTakes}), so that every
 * host counts what the others took, one send interval plus the network late.
 * <p>
 * Its own encoder: a COUNTERS message is built and sent whole between two of the replicator's RECORDS messages.
 * Not thread-safe: the replicator's thread.
 */
final class CountersExchange
{
    /**
     * Counters that changed are sent at most this often between snapshots: how long spend on one host takes to show on
     * the others, plus the network.
     */
    static final long INTERVAL_MS = 50;
    /**
     * SPEC §7's takes that changed are sent at most this often: the larger part of the replication delay by which
     * the hosts together may overshoot a limit (issue 14, docs/limits.md), so shorter than the counters'. A collect
     * reads the 4,096 records' states, a few microseconds.
     */
    static final long LIMITS_INTERVAL_MS = 10;

    /** Logs a line unless one of the same key was logged less than a minute ago. */
    @FunctionalInterface
    interface LimitedLog
    {
        void line(String key, String line);
    }

    private final ClusterConfig config;
    private final ClusterCounters counters;
    private final AeronTransport transport;
    private final ReplicationStats stats;
    private final ReplicationLog log;
    private final LimitedLog limitedLog;
    private final MessageEncoder encoder;
    private long nextSendMs;
    private long nextLimitsSendMs;
    private long nowMs;
    private byte flags;
    private int messagesSent;
    private String takingFrom;

    CountersExchange(final ClusterConfig config, final ClusterCounters counters, final AeronTransport transport,
        final ReplicationStats stats, final ReplicationLog log, final LimitedLog limitedLog)
    {
        this.config = config;
        this.counters = counters;
        this.transport = transport;
        this.stats = stats;
        this.log = log;
        this.limitedLog = limitedLog;
        this.encoder = new MessageEncoder(config.cluster(), config.hostId(), config.key());
        counters.local().hostId(config.hostId());
    }

    /** Whether changed counters or takes may be sent now. */
    boolean due(final long nowMs)
    {
        return nowMs >= Math.min(nextSendMs, nextLimitsSendMs);
    }

    /**
     * Sends the host's own counters: every record ({@code snapshot}, first following a file made anew), else those
     * changed since the last send. A snapshot sends at least one message, empty if the file is, to tell its
     * incarnation.
     *
     * @return 1 when it sent something, else 0.
     */
    int send(final boolean snapshot, final long nowMs)
    {
        this.nowMs = nowMs;
        if (snapshot)
        {
            follow(); // a new file is new to its CountersChanges: sent whole
        }
        flags = snapshot ? WireDescriptor.FLAG_SNAPSHOT : 0;
        messagesSent = 0;
        encoder.beginCounters(flags, nowMs, counters.incarnation());
        int collected = 0;
        if (snapshot || nowMs >= nextSendMs)
        {
            nextSendMs = nowMs + INTERVAL_MS;
            collected += counters.collect(snapshot, false, this::add);
            if (encoder.entries() > 0 || (snapshot && messagesSent == 0))
            {
                sendMessage();
            }
        }
        if (snapshot || nowMs >= nextLimitsSendMs)
        {
            // SPEC §7's takes in messages of their own: a replicator of the version before drops a message with a
            // kind it does not know, and so still takes the counters (issue 14)
            nextLimitsSendMs = nowMs + LIMITS_INTERVAL_MS;
            collected += counters.collect(snapshot, true, this::add);
            if (encoder.entries() > 0)
            {
                sendMessage();
            }
        }
        stats.countersSent += collected;
        return collected == 0 ? 0 : 1;
    }

    private void follow()
    {
        try
        {
            final String change = counters.follow();
            if (change != null)
            {
                counters.local().hostId(config.hostId());
                log.line("counters: " + change + "; now sending the file at the path (a new incarnation: the " +
                    "other hosts make this host's slot anew)");
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            limitedLog.line("follow counters", "counters: " + counters.path() + " cannot be opened again (" +
                ex.getMessage() + "); still sending the file opened before (at most one line a minute)");
        }
    }

    private void add(final int kind, final String name, final long[] values)
    {
        if (encoder.addCounters(kind, name, values))
        {
            return;
        }
        sendMessage();
        if (!encoder.addCounters(kind, name, values))
        {
            stats.recordsTooLong++; // cannot be: a stored name is at most 232 bytes
        }
    }

    private void sendMessage()
    {
        final int length = encoder.finish();
        transport.send(encoder.buffer(), length);
        messagesSent++;
        stats.messagesSent++;
        stats.bytesSent += (long)length * Math.max(1, config.peers().size());
        encoder.beginCounters(flags, nowMs, counters.incarnation());
    }

    /** A COUNTERS message from another host, before its entries: readies the host's slot. */
    void countersFile(final String fromHost, final long incarnation, final long nowMs)
    {
        this.nowMs = nowMs;
        takingFrom = null;
        try
        {
            final CounterSlots.Arrival arrival = counters.begin(fromHost, incarnation, nowMs);
            if (arrival == CounterSlots.Arrival.RETIRED)
            {
                return; // a late message of a file the host has replaced
            }
            if (arrival == CounterSlots.Arrival.REPLACED)
            {
                stats.countersSlotsReplaced++;
                limitedLog.line("replaced " + fromHost, "counters: host " + fromHost + " sends another counters " +
                    "file (made anew, or two hosts share the id): its slot starts again from what that file holds " +
                    "(at most one line a minute per host)");
            }
            takingFrom = fromHost;
        }
        catch (final IOException | RuntimeException ex)
        {
            limitedLog.line("slot " + fromHost, "counters: host " + fromHost + "'s counters not kept: " +
                ex.getMessage() + " (at most one line a minute per host)");
        }
    }

    /** One entry of that message: raised into the host's slot. */
    void counters(final String fromHost, final int kind, final String name, final long[] values)
    {
        if (!fromHost.equals(takingFrom))
        {
            stats.countersIgnored++;
            return;
        }
        try
        {
            if (counters.raise(fromHost, kind, name, values, nowMs))
            {
                stats.remoteCountersRaised++;
            }
        }
        catch (final CountersFullException | IllegalArgumentException ex)
        {
            stats.countersIgnored++;
            limitedLog.line("slot " + fromHost, "counters: host " + fromHost + "'s counters not all kept: " +
                ex.getMessage() + " (at most one line a minute per host)");
        }
    }
}
