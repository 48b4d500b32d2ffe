package dev.modelsel.engine.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/** A host's records in a map, for replicator tests: local writes as SPEC §6's table, merges, a change log. */
class InMemoryReplicaStore implements ReplicaStore
{
    private final String hostId;
    private final Map<String, ReplicatedRecord> records = new TreeMap<>();
    private final List<Integer> changedHashes = new ArrayList<>();
    private long clock = HybridClock.ZERO;

    InMemoryReplicaStore(final String hostId)
    {
        this.hostId = hostId;
    }

    synchronized void setDown(final String modelId)
    {
        record(modelId).setDown(tick(), hostId);
        changed(modelId);
    }

    synchronized void setUp(final String modelId)
    {
        record(modelId).setUp(tick(), hostId);
        changed(modelId);
    }

    synchronized void setRateLimited(final String modelId, final long untilMs)
    {
        if (record(modelId).setRateLimited(untilMs, tick(), hostId))
        {
            changed(modelId);
        }
    }

    synchronized ReplicatedRecord get(final String modelId)
    {
        final ReplicatedRecord record = records.get(modelId);
        return record == null ? null : new ReplicatedRecord().copyFrom(record);
    }

    synchronized Map<String, String> snapshot()
    {
        final Map<String, String> copy = new TreeMap<>();
        records.forEach((id, record) -> copy.put(id, record.toString()));
        return copy;
    }

    private long tick()
    {
        clock = HybridClock.tick(clock, System.currentTimeMillis());
        return clock;
    }

    private ReplicatedRecord record(final String modelId)
    {
        return records.computeIfAbsent(modelId, k -> new ReplicatedRecord());
    }

    private void changed(final String modelId)
    {
        changedHashes.add(modelId.hashCode());
    }

    @Override
    public synchronized long changeSequence()
    {
        return changedHashes.size();
    }

    @Override
    public synchronized boolean changes(final long fromSequence, final long toSequence, final IntConsumer changed)
    {
        for (long s = fromSequence; s < toSequence; s++)
        {
            changed.accept(changedHashes.get((int)s));
        }
        return true;
    }

    @Override
    public synchronized void forEach(final BiConsumer<String, ReplicatedRecord> visitor)
    {
        final ReplicatedRecord scratch = new ReplicatedRecord();
        records.forEach((id, record) -> visitor.accept(id, scratch.copyFrom(record)));
    }

    @Override
    public synchronized boolean read(final String modelId, final ReplicatedRecord into)
    {
        final ReplicatedRecord record = records.get(modelId);
        if (record == null)
        {
            into.clear();
            return false;
        }
        into.copyFrom(record);
        return true;
    }

    @Override
    public synchronized int merge(final String modelId, final ReplicatedRecord received,
        final ReplicatedRecord merged)
    {
        final int changed = record(modelId).merge(received);
        merged.copyFrom(record(modelId));
        clock = HybridClock.observe(clock, received.maxClock());
        if (changed != 0)
        {
            changed(modelId);
        }
        return changed;
    }
}
