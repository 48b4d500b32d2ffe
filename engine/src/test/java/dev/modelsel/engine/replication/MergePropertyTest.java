package dev.modelsel.engine.replication;

import dev.modelsel.engine.availability.AvailabilityRecord;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SPEC §6's merge, by property: random write histories on 2 to 5 simulated hosts, their messages delivered in random
 * order, repeated and lost, losses repaired by snapshots. Once writes stop and snapshots have gone round, every host
 * holds identical records, and each equals what SPEC §6 says of the writes made: the flag of the write with the
 * greatest version; the cooldown with the greatest (epoch, deadline). No merge lowers a deadline within an epoch.
 * A new seed every build; {@code -Dmodelsel.seed=N} replays one.
 */
class MergePropertyTest
{
    private static final String[] MODELS = {"m0", "m1", "m2", "m3"};

    @Test
    void shouldConvergeToTheSpecOnEveryHostWhateverTheDelivery()
    {
        final long seed = Long.getLong("modelsel.seed", new SecureRandom().nextLong());
        for (int trial = 0; trial < 2_000; trial++)
        {
            try
            {
                runTrial(new Random(seed + trial));
            }
            catch (final AssertionError failed)
            {
                fail("seed " + seed + " trial " + trial + " (replay: -Dmodelsel.seed=" + (seed + trial) +
                    " and trial 0): " + failed.getMessage(), failed);
            }
        }
    }

    @Test
    void shouldLetNoReplayUndoANewerWrite()
    {
        final ReplicatedRecord host = new ReplicatedRecord();
        host.setRateLimited(5_000, HybridClock.at(1_000), "a");
        final ReplicatedRecord old = new ReplicatedRecord().copyFrom(host);
        host.setUp(HybridClock.at(2_000), "b");
        host.setDown(HybridClock.at(3_000), "a");
        final ReplicatedRecord before = new ReplicatedRecord().copyFrom(host);

        assertEquals(0, host.merge(old), "replaying an older message changes nothing");
        assertTrue(host.sameAs(before));
        assertTrue(host.down());
        assertEquals(AvailabilityRecord.NO_COOLDOWN, host.cooldownUntilMs(), "the set_up's epoch stands");
    }

    @Test
    void shouldOrderEqualClocksByHostId()
    {
        final ReplicatedRecord a = new ReplicatedRecord();
        a.setDown(HybridClock.at(1_000), "host-a");
        final ReplicatedRecord b = new ReplicatedRecord();
        b.setUp(HybridClock.at(1_000), "host-b");

        final ReplicatedRecord onA = new ReplicatedRecord().copyFrom(a);
        onA.merge(b);
        final ReplicatedRecord onB = new ReplicatedRecord().copyFrom(b);
        onB.merge(a);
        assertTrue(onA.sameAs(onB));
        assertFalse(onA.down(), "host-b > host-a at the same clock");
    }

    @Test
    void shouldKeepTheClockAheadOfEverythingSeen()
    {
        long clock = HybridClock.tick(HybridClock.ZERO, 1_000);
        assertEquals(HybridClock.at(1_000), clock);
        assertEquals(HybridClock.at(1_000) + 1, HybridClock.tick(clock, 1_000), "same millisecond: the counter");
        assertEquals(HybridClock.at(1_000) + 1, HybridClock.tick(clock, 900), "a wall clock gone back: still ahead");
        clock = HybridClock.observe(clock, HybridClock.at(5_000) + 7);
        assertTrue(HybridClock.tick(clock, 1_000) > HybridClock.at(5_000) + 7, "above every version received");
        assertEquals(5_000, HybridClock.wallMs(HybridClock.at(5_000) + 7));
        assertEquals(7, HybridClock.counter(HybridClock.at(5_000) + 7));
    }

    private static void runTrial(final Random random)
    {
        final int hostCount = 2 + random.nextInt(4);
        final List<SimulatedHost> hosts = new ArrayList<>();
        for (int i = 0; i < hostCount; i++)
        {
            hosts.add(new SimulatedHost("h" + random.nextInt(1_000) + "-" + i));
        }
        final List<Message> inFlight = new ArrayList<>();
        final Map<String, List<ReplicatedRecord>> written = new HashMap<>(); // every part written, per model
        long wallMs = 1_000_000;
        final int steps = 5 + random.nextInt(60);
        for (int step = 0; step < steps; step++)
        {
            wallMs += random.nextInt(3) - (random.nextInt(10) == 0 ? 5 : 0); // clocks stall and step back too
            final int action = random.nextInt(10);
            if (action < 4 || inFlight.isEmpty())
            {
                final SimulatedHost host = hosts.get(random.nextInt(hostCount));
                final String model = MODELS[random.nextInt(MODELS.length)];
                final ReplicatedRecord record = host.write(model, random, wallMs + random.nextInt(3));
                if (record != null)
                {
                    written.computeIfAbsent(model, k -> new ArrayList<>()).add(new ReplicatedRecord().copyFrom(record));
                    for (final SimulatedHost other : hosts)
                    {
                        if (other != host)
                        {
                            inFlight.add(new Message(other, model, new ReplicatedRecord().copyFrom(record)));
                        }
                    }
                }
            }
            else if (action < 8)
            {
                final Message message = inFlight.get(random.nextInt(inFlight.size()));
                if (random.nextInt(4) != 0) // else: delivered again later, a repeat
                {
                    inFlight.remove(message);
                }
                if (random.nextInt(5) != 0) // else: lost
                {
                    message.to.receive(message.model, message.record);
                }
            }
            else if (action == 8)
            {
                hosts.get(random.nextInt(hostCount)).snapshotTo(hosts, inFlight);
            }
            else
            {
                inFlight.remove(random.nextInt(inFlight.size())); // lost
            }
        }
        // Writes stop; what is still in flight arrives in some order, then every host's snapshot reaches every other.
        while (!inFlight.isEmpty())
        {
            final Message message = inFlight.remove(random.nextInt(inFlight.size()));
            message.to.receive(message.model, message.record);
        }
        for (final SimulatedHost host : hosts)
        {
            host.snapshotTo(hosts, inFlight);
        }
        for (final Message message : inFlight)
        {
            message.to.receive(message.model, message.record);
        }

        for (final String model : MODELS)
        {
            final List<ReplicatedRecord> writes = written.get(model);
            for (final SimulatedHost host : hosts)
            {
                final ReplicatedRecord held = host.records.get(model);
                if (writes == null)
                {
                    assertTrue(held == null || held.sameAs(new ReplicatedRecord()), host.id + " holds " + held +
                        " for " + model + ", which nobody wrote");
                    continue;
                }
                final ReplicatedRecord expected = specOf(writes);
                assertTrue(held != null && expected.sameAs(held), host.id + " holds " + held + " for " + model +
                    ", SPEC says " + expected);
            }
        }
    }

    /** SPEC §6 straight: the flag of the greatest version written; the greatest (epoch, deadline) written. */
    private static ReplicatedRecord specOf(final List<ReplicatedRecord> writes)
    {
        final ReplicatedRecord flag = writes.stream().max(Comparator
            .comparingLong((ReplicatedRecord r) -> r.flagClock).thenComparing(r -> r.flagHost)).orElseThrow();
        final ReplicatedRecord cooldown = writes.stream().max(Comparator
            .comparingLong((ReplicatedRecord r) -> r.epochClock).thenComparing(r -> r.epochHost)
            .thenComparingLong(r -> r.cooldownUntilMs)
            .thenComparingLong(r -> r.cooldownClock).thenComparing(r -> r.cooldownHost)).orElseThrow();
        return new ReplicatedRecord().set(flag.down, flag.flagClock, flag.flagHost, cooldown.epochClock,
            cooldown.epochHost, cooldown.cooldownUntilMs, cooldown.cooldownClock, cooldown.cooldownHost);
    }

    private record Message(SimulatedHost to, String model, ReplicatedRecord record)
    {
    }

    private static final class SimulatedHost
    {
        final String id;
        final Map<String, ReplicatedRecord> records = new HashMap<>();
        long clock = HybridClock.ZERO;

        SimulatedHost(final String id)
        {
            this.id = id;
        }

        /** One of SPEC §6's writes, made on this host's copy. @return the record after it, or null if it wrote nothing. */
        ReplicatedRecord write(final String model, final Random random, final long wallMs)
        {
            final ReplicatedRecord record = records.computeIfAbsent(model, k -> new ReplicatedRecord());
            clock = HybridClock.tick(clock, wallMs);
            switch (random.nextInt(4))
            {
                case 0:
                    record.setDown(clock, id);
                    return record;
                case 1:
                    return record.clearDown(clock, id) ? record : null;
                case 2:
                    return record.setRateLimited(wallMs + random.nextInt(1_000), clock, id) ? record : null;
                default:
                    record.setUp(clock, id);
                    return record;
            }
        }

        void receive(final String model, final ReplicatedRecord received)
        {
            final ReplicatedRecord record = records.computeIfAbsent(model, k -> new ReplicatedRecord());
            final ReplicatedRecord before = new ReplicatedRecord().copyFrom(record);
            record.merge(received);
            clock = HybridClock.observe(clock, received.maxClock());
            if (before.epochClock == record.epochClock && before.epochHost.equals(record.epochHost))
            {
                assertTrue(record.cooldownUntilMs >= before.cooldownUntilMs,
                    id + ": a merge lowered a deadline within an epoch: " + before + " -> " + record);
            }
            assertEquals(0, record.merge(received), "merging the same record twice changes nothing");
        }

        void snapshotTo(final List<SimulatedHost> hosts, final List<Message> inFlight)
        {
            for (final SimulatedHost other : hosts)
            {
                if (other != this)
                {
                    records.forEach((model, record) ->
                        inFlight.add(new Message(other, model, new ReplicatedRecord().copyFrom(record))));
                }
            }
        }
    }
}
