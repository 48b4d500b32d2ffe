package dev.modelsel.engine.replication;

import io.aeron.Image;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
    /**
     * A snapshot's messages offered in one round, at most: about 10 KiB, a third of what a peer's stream holds
     * unacknowledged (half its 64 KiB term). A larger table goes out over several rounds, as the peers take it.
     */
    private static final int SNAPSHOT_MESSAGES_PER_ROUND = 8;
    /** Senders whose last drop line time is kept; more (a flood of sources) and the times are forgotten. */
    private static final int MAX_LOG_KEYS = 1_024;

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
    /** The current snapshot's models not yet sent, and those in the message being filled. */
    private final ArrayDeque<String> snapshotIds = new ArrayDeque<>();
    private final List<String> snapshotMessageIds = new ArrayList<>();
    private final ReplicatedRecord snapshotRecord = new ReplicatedRecord();
    private boolean snapshotting;
    /** A fault of the store met while a message was handled: ends the loop ({@link #doWork} throws it). */
    private RuntimeException storeFailure;
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

    /**
     * One round: receive, send local changes, a snapshot when due (or the rest of one), peers' liveness.
     *
     * @return work done.
     * @throws RuntimeException a fault of the table (damaged, stuck, deleted or replaced): replication cannot go on.
     */
    int doWork(final long nowMs)
    {
        this.nowMs = nowMs;
        int work = transport.poll(this, 64);
        if (storeFailure != null)
        {
            throw storeFailure;
        }
        work += sendLocalChanges();
        if (nowMs >= nextSnapshotMs)
        {
            final String stale = store.staleReason();
            if (stale != null)
            {
                throw new IllegalStateException(stale + ": start the replicator again to replicate the table now " +
                    "at that path");
            }
            if (!snapshotting) // else the last one is still going out: it goes on, and counts for this one
            {
                startSnapshot();
            }
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
        if (snapshotting)
        {
            work += continueSnapshot();
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

    private void startSnapshot()
    {
        snapshotIds.clear();
        store.forEach((modelId, record) -> snapshotIds.add(modelId));
        snapshotting = true;
        stats.snapshots++;
    }

    /**
     * Sends the next few messages of the snapshot, each record as it is now. A message a peer's stream has no room
     * for is offered again in a later round, so a snapshot always gets through whole: it is what repairs what was
     * lost, and dropping the same tail of a large table every time would repair nothing.
     *
     * @return 1 (work done).
     */
    private int continueSnapshot()
    {
        begin(WireDescriptor.FLAG_SNAPSHOT);
        snapshotMessageIds.clear();
        int messages = 0;
        while (!snapshotIds.isEmpty())
        {
            final String modelId = snapshotIds.peekFirst();
            if (!store.read(modelId, snapshotRecord))
            {
                snapshotIds.pollFirst(); // gone since the snapshot began
                continue;
            }
            if (encoder.addRecord(modelId, snapshotRecord))
            {
                snapshotIds.pollFirst();
                snapshotMessageIds.add(modelId);
                remember(modelId, snapshotRecord);
                continue;
            }
            if (encoder.entries() == 0) // alone in a message and still too big
            {
                snapshotIds.pollFirst();
                stats.recordsTooLong++;
                continue;
            }
            if (!sendSnapshotMessage() || ++messages == SNAPSHOT_MESSAGES_PER_ROUND)
            {
                return 1;
            }
            begin(WireDescriptor.FLAG_SNAPSHOT);
        }
        if (encoder.entries() > 0 && !sendSnapshotMessage())
        {
            return 1;
        }
        snapshotting = false;
        return 1;
    }

    /** @return false when a peer had no room: the message's models go back to the front of the snapshot. */
    private boolean sendSnapshotMessage()
    {
        final int length = encoder.finish();
        final boolean taken = transport.send(encoder.buffer(), length);
        stats.messagesSent++;
        stats.bytesSent += (long)length * Math.max(1, config.peers().size());
        if (!taken)
        {
            for (int i = snapshotMessageIds.size() - 1; i >= 0; i--)
            {
                snapshotIds.addFirst(snapshotMessageIds.get(i));
            }
        }
        snapshotMessageIds.clear();
        return taken;
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
        String refusal;
        try
        {
            refusal = decoder.decode(buffer, offset, length, nowMs, this);
        }
        catch (final RuntimeException ex) // a message the decoder should have refused: dropped like one
        {
            refusal = "it could not be read (" + ex + ")";
        }
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
            if (dropsLoggedMs.size() >= MAX_LOG_KEYS)
            {
                dropsLoggedMs.clear(); // a flood of sources: forgetting lets each log once more, no more
            }
            dropsLoggedMs.put(key, nowMs);
            log.line(line);
        }
    }

    @Override
    public void record(final String fromHost, final boolean snapshot, final String modelId,
        final ReplicatedRecord record)
    {
        if (isOwn(fromHost))
        {
            return;
        }
        heardFrom(fromHost);
        final int changed;
        try
        {
            changed = store.merge(modelId, record, scratch);
        }
        catch (final RuntimeException fault) // the table is damaged, stuck or full: nothing more can be merged
        {
            if (storeFailure == null)
            {
                storeFailure = fault;
            }
            return;
        }
        if (changed == 0)
        {
            return;
        }
        stats.remoteChangesMerged++;
        remember(modelId, scratch); // merged: not to be sent back as a local change
        logRemoteChange(fromHost, modelId, changed, scratch);
    }

    @Override
    public void countersFile(final String fromHost, final boolean snapshot, final long incarnation)
    {
        if (isOwn(fromHost))
        {
            return;
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
        if (counters != null && !isOwn(fromHost))
        {
            counters.counters(fromHost, kind, name, values);
        }
    }

    /**
     * Our own messages come back from a multicast group, and are ignored. Unicast, one claiming our id comes from
     * another host configured with the same {@code host_id}: ignored too, and said (at most once a minute).
     */
    private boolean isOwn(final String fromHost)
    {
        if (!fromHost.equals(config.hostId()))
        {
            return false;
        }
        if (config.multicast() == null)
        {
            logLimited("\0own-host-id", "ignored a message claiming this host's id " + fromHost + ": is another " +
                "host configured with the same host_id? (at most one line a minute)");
        }
        return true;
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
