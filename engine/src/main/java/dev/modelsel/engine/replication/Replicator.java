package dev.modelsel.engine.replication;

import io.aeron.Image;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One host's replicator (SPEC §6): sends every local change of its {@link ReplicaStore} to the other hosts, merges
 * theirs in, and sends its whole table every snapshot interval, which repairs lost messages, healed partitions and
 * late joiners. Driven by one thread calling {@link #doWork}; what a message carries is applied only after the
 * whole message has been checked ({@link MessageDecoder}).
 * <p>
 * What it last sent or merged for each model is remembered, so a record a peer sent is not echoed back, and a local
 * change is sent once.
 * <p>
 * Given {@link ClusterCounters}, it carries spend across hosts as well ({@link CountersExchange}).
 * <p>
 * Not thread-safe: one thread.
 */
final class Replicator implements FragmentHandler, MessageDecoder.Handler
{
    /** A peer not heard from for this many snapshot intervals is reported silent. */
    private static final int SILENT_AFTER_INTERVALS = 3;
    private static final long DROP_LOG_INTERVAL_MS = 60_000;
    private static final int REMOTE_CHANGE_LOG_LINES_PER_SECOND = 10;

    private final ClusterConfig config;
    private final ReplicaStore store;
    private final AeronTransport transport;
    private final ReplicationLog log;
    private final CountersExchange counters;
    private final MessageEncoder encoder;
    private final MessageDecoder decoder;
    private final Map<String, ReplicatedRecord> known = new HashMap<>();
    private final Map<Integer, Set<String>> idsByHash = new HashMap<>();
    private final Map<String, Long> peersLastHeardMs = new HashMap<>();
    private final Set<String> silentPeers = new HashSet<>();
    private final Map<String, Long> dropsLoggedMs = new HashMap<>();
    private final ReplicatedRecord scratch = new ReplicatedRecord();
    private final Set<String> changedIds = new HashSet<>();
    private final ReplicationStats stats = new ReplicationStats();
    private byte messageFlags;
    private long seenSequence = Long.MIN_VALUE;
    private long nextSnapshotMs;
    private long nowMs;
    private boolean fullScan;
    private long remoteChangeLogSecond;
    private int remoteChangeLogLines;

    Replicator(final ClusterConfig config, final ReplicaStore store, final AeronTransport transport,
        final ReplicationLog log)
    {
        this(config, store, transport, log, null);
    }

    /** @param counters this host's counters and the other hosts' slots; null: counters are neither sent nor kept. */
    Replicator(final ClusterConfig config, final ReplicaStore store, final AeronTransport transport,
        final ReplicationLog log, final ClusterCounters counters)
    {
        this.config = config;
        this.store = store;
        this.transport = transport;
        this.log = log;
        this.encoder = new MessageEncoder(config.cluster(), config.hostId(), config.key());
        this.decoder = new MessageDecoder(config.cluster(), config.key());
        this.counters = counters == null ? null :
            new CountersExchange(config, counters, transport, stats, log, this::logLimited);
    }

    ReplicationStats stats()
    {
        final AeronTransport.SendCounts sends = transport.counts();
        stats.notSentUnconnected = sends.notConnected;
        stats.notSentBackPressured = sends.backPressured;
        stats.notSentClosed = sends.failed;
        return stats;
    }

    /** One round: receive, send local changes, a snapshot when due, peers' liveness. @return work done. */
    int doWork(final long nowMs)
    {
        this.nowMs = nowMs;
        int work = transport.poll(this, 64);
        work += sendLocalChanges();
        if (nowMs >= nextSnapshotMs)
        {
            sendSnapshot();
            if (counters != null)
            {
                counters.send(true, nowMs);
            }
            nextSnapshotMs = nowMs + config.snapshotIntervalMs();
            checkSilentPeers();
            work++;
        }
        else if (counters != null && counters.due(nowMs))
        {
            work += counters.send(false, nowMs);
        }
        return work;
    }

    private int sendLocalChanges()
    {
        final long sequence = store.changeSequence();
        if (sequence == seenSequence)
        {
            return 0;
        }
        changedIds.clear();
        fullScan = false; // noteChangedHash sets it for a model not seen yet: or-ed in after, never overwritten
        final boolean told = seenSequence != Long.MIN_VALUE &&
            store.changes(seenSequence, sequence, this::noteChangedHash);
        fullScan |= !told;
        seenSequence = sequence;
        begin((byte)0);
        if (fullScan)
        {
            store.forEach(this::sendIfChanged);
        }
        else
        {
            for (final String modelId : changedIds)
            {
                if (store.read(modelId, scratch))
                {
                    sendIfChanged(modelId, scratch);
                }
            }
        }
        flush();
        return 1;
    }

    private void noteChangedHash(final int hash)
    {
        final Set<String> ids = idsByHash.get(hash);
        if (ids == null)
        {
            fullScan = true; // a model this replicator has not seen yet
        }
        else
        {
            changedIds.addAll(ids);
        }
    }

    private void sendIfChanged(final String modelId, final ReplicatedRecord record)
    {
        final ReplicatedRecord last = known.get(modelId);
        if (last != null && last.sameAs(record))
        {
            return;
        }
        remember(modelId, record);
        stats.localChangesSent++;
        add(modelId, record);
    }

    private void sendSnapshot()
    {
        begin(WireDescriptor.FLAG_SNAPSHOT);
        store.forEach((modelId, record) ->
        {
            remember(modelId, record);
            add(modelId, record);
        });
        flush();
        stats.snapshots++;
    }

    private void add(final String modelId, final ReplicatedRecord record)
    {
        if (encoder.addRecord(modelId, record))
        {
            return;
        }
        flush();
        if (!encoder.addRecord(modelId, record)) // alone in a message and still too big
        {
            stats.recordsTooLong++;
        }
    }

    /** Sends what the encoder holds, if anything, and begins the next message of the same kind. */
    private void flush()
    {
        if (encoder.entries() == 0)
        {
            return;
        }
        final int length = encoder.finish();
        transport.send(encoder.buffer(), length);
        stats.messagesSent++;
        stats.bytesSent += (long)length * Math.max(1, config.peers().size());
        begin(messageFlags);
    }

    private void begin(final byte flags)
    {
        messageFlags = flags;
        encoder.begin(WireDescriptor.TYPE_RECORDS, flags, nowMs);
    }

    private void remember(final String modelId, final ReplicatedRecord record)
    {
        final ReplicatedRecord last = known.get(modelId);
        if (last == null)
        {
            known.put(modelId, new ReplicatedRecord().copyFrom(record));
            idsByHash.computeIfAbsent(modelId.hashCode(), h -> new HashSet<>(2)).add(modelId);
        }
        else
        {
            last.copyFrom(record);
        }
    }

    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        stats.messagesReceived++;
        final String refusal = decoder.decode(buffer, offset, length, this);
        if (refusal == null)
        {
            return;
        }
        final String sender = decoder.sender();
        stats.messagesDropped++;
        final String source = header.context() instanceof Image image ? image.sourceIdentity() : "?";
        logLimited(source, "dropped a message from " + source + (sender == null ? "" : " (claiming host " + sender +
            ")") + ": " + refusal + "; " + stats.messagesDropped + " dropped so far (at most one line a minute per " +
            "sender)");
    }

    /** Logs the line unless a line of the same key was logged less than a minute ago. */
    private void logLimited(final String key, final String line)
    {
        final Long lastLogged = dropsLoggedMs.get(key);
        if (lastLogged == null || nowMs - lastLogged >= DROP_LOG_INTERVAL_MS)
        {
            dropsLoggedMs.put(key, nowMs);
            log.line(line);
        }
    }

    @Override
    public void record(final String fromHost, final boolean snapshot, final String modelId,
        final ReplicatedRecord record)
    {
        if (fromHost.equals(config.hostId()))
        {
            return; // our own, back from a multicast group
        }
        heardFrom(fromHost);
        final int changed = store.merge(modelId, record);
        if (changed == 0)
        {
            return;
        }
        stats.remoteChangesMerged++;
        store.read(modelId, scratch);
        remember(modelId, scratch); // merged: not to be sent back as a local change
        logRemoteChange(fromHost, modelId, changed, scratch);
    }

    @Override
    public void countersFile(final String fromHost, final boolean snapshot, final long incarnation)
    {
        if (fromHost.equals(config.hostId()))
        {
            return; // our own, back from a multicast group
        }
        heardFrom(fromHost);
        if (counters != null)
        {
            counters.countersFile(fromHost, incarnation, nowMs);
        }
    }

    @Override
    public void counters(final String fromHost, final boolean snapshot, final int kind, final String name,
        final long[] values)
    {
        if (counters != null && !fromHost.equals(config.hostId()))
        {
            counters.counters(fromHost, kind, name, values);
        }
    }

    private void heardFrom(final String host)
    {
        if (peersLastHeardMs.put(host, nowMs) == null)
        {
            log.line("peer " + host + " joined");
        }
        else if (silentPeers.remove(host))
        {
            log.line("peer " + host + " is back");
        }
    }

    private void checkSilentPeers()
    {
        final long silentAfterMs = SILENT_AFTER_INTERVALS * config.snapshotIntervalMs();
        peersLastHeardMs.forEach((host, lastMs) ->
        {
            if (nowMs - lastMs > silentAfterMs && silentPeers.add(host))
            {
                log.line("peer " + host + " went silent (nothing for " + (nowMs - lastMs) + " ms)");
            }
        });
    }

    private void logRemoteChange(final String fromHost, final String modelId, final int changed,
        final ReplicatedRecord now)
    {
        final long second = nowMs / 1_000;
        if (second != remoteChangeLogSecond)
        {
            if (remoteChangeLogLines > REMOTE_CHANGE_LOG_LINES_PER_SECOND)
            {
                log.line((remoteChangeLogLines - REMOTE_CHANGE_LOG_LINES_PER_SECOND) +
                    " more remote changes not shown");
            }
            remoteChangeLogSecond = second;
            remoteChangeLogLines = 0;
        }
        if (++remoteChangeLogLines > REMOTE_CHANGE_LOG_LINES_PER_SECOND)
        {
            return;
        }
        final StringBuilder line = new StringBuilder("from ").append(fromHost).append(": ").append(modelId);
        if ((changed & ReplicatedRecord.FLAG_CHANGED) != 0)
        {
            line.append(now.down() ? " down" : " up").append(" (by ").append(now.flagHost()).append(')');
        }
        if ((changed & ReplicatedRecord.COOLDOWN_CHANGED) != 0)
        {
            line.append(now.cooldownUntilMs() == dev.modelsel.engine.availability.AvailabilityRecord.NO_COOLDOWN ?
                " cooldown cleared" : " cooldown until " + now.cooldownUntilMs()).append(" (by ")
                .append(now.cooldownHost()).append(')');
        }
        log.line(line.toString());
    }
}
