package dev.modelsel.engine.replication;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.engine.cost.CounterSlots;
import dev.modelsel.engine.cost.PhaseCounters;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import dev.modelsel.engine.limits.Limiter;
import io.aeron.logbuffer.Header;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spend across hosts (issue 13) end to end on real Aeron over loopback: replicators with real counters files, each
 * host's own counters arriving as its slot on every other host, and nothing counted twice.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReplicatorCountersTest
{
    private static final byte[] KEY = "loopback-test-cluster-key".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path directory;

    private final List<AeronTransport> transports = new ArrayList<>();
    private final List<ClusterCounters> opened = new ArrayList<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close() throws IOException
    {
        transports.forEach(AeronTransport::close);
        for (final ClusterCounters counters : opened)
        {
            counters.close();
        }
    }

    @Test
    void shouldLetOneReplicatorAloneServeACountersFile() throws Exception
    {
        final ClusterCounters first = open(counters(0));
        assertThrows(IllegalStateException.class, () -> ClusterCounters.open(counters(0)));
        first.close();
        opened.remove(first);
        open(counters(0));
    }

    @Test
    void shouldCarryEachHostsOwnCountersToEveryOtherHostBetweenSnapshotsAndCountNothingTwice() throws Exception
    {
        final int[] ports = Loopback.freePorts(3);
        final SharedPhaseCounters[] own = new SharedPhaseCounters[3];
        final Replicator[] replicators = new Replicator[3];
        for (int i = 0; i < 3; i++)
        {
            final ClusterCounters counters = open(counters(i));
            own[i] = counters.local();
            replicators[i] = replicator(i, ports, counters, 600_000); // one snapshot, at the start
        }
        Loopback.await(replicators, () -> transports.stream().allMatch(t -> t.connectedPeers() == 2));

        for (int i = 0; i < 3; i++)
        {
            for (int n = 0; n <= i; n++)
            {
                own[i].addAttempt("gpt-4o", n == 0, false, 1_000L * (i + 1), 100, 2_500L * (i + 1), false, false);
            }
            own[i].addAttempt("model-" + i, false, true, 10, 1, 3, i == 2, false);
            own[i].addPhase("docs", i == 1);
        }
        Loopback.await(replicators, () -> everySlotMatches(own));
        for (int i = 0; i < 3; i++)
        {
            assertFalse(Files.exists(CounterSlots.directoryOf(counters(i)).resolve("host-" + i)), "no slot of its own");
            assertEquals("host-" + i, own[i].hostId(), "the replicator names its host's file");
        }

        own[1].addAttempt("gpt-4o", false, false, 7, 7, 7, false, false);
        Loopback.await(replicators, () -> everySlotMatches(own)); // a change, long before the next snapshot

        // host-1's counters as host-1 sends them, delivered to host-0 again, and an older one late: nothing moves.
        final Map<String, Object> slotBefore = slotOf(0, "host-1");
        final long raisedBefore = replicators[0].stats().remoteCountersRaised;
        final PhaseCounters.ModelCounts gpt = ((Map<?, ?>)slotBefore.get("models")).entrySet().stream()
            .filter(e -> e.getKey().equals("gpt-4o")).map(e -> (PhaseCounters.ModelCounts)e.getValue())
            .findFirst().orElseThrow();
        assertEquals(3, gpt.attempts());
        final byte[] current = countersMessage("host-1", own[1].incarnation(), "gpt-4o",
            new long[] {gpt.attempts(), gpt.failures(), gpt.escalations(), gpt.inputTokens(), gpt.outputTokens(),
                gpt.spendMicros(), gpt.pricedByDefaults(), gpt.outputUnpriced()});
        final byte[] older = countersMessage("host-1", own[1].incarnation(), "gpt-4o",
            new long[] {gpt.attempts() - 1, gpt.failures(), 0, gpt.inputTokens() - 7, gpt.outputTokens() - 7,
                gpt.spendMicros() - 7, 0, 0});
        deliver(replicators[0], current);
        deliver(replicators[0], current);
        deliver(replicators[0], older);
        assertEquals(slotBefore, slotOf(0, "host-1"));
        assertEquals(raisedBefore, replicators[0].stats().remoteCountersRaised);
        assertEquals(slotOf(0, "host-1"), countersOf(own[1]), "and still host-1's own");

        // Refused whole: a negative counter, a name that is not UTF-8.
        final long droppedBefore = replicators[0].stats().messagesDropped;
        deliver(replicators[0], countersMessage("host-1", own[1].incarnation(), "gpt-4o",
            new long[] {1_000, 0, 0, -1, 0, 1_000_000, 0, 0}));
        final byte[] badName = countersMessage("host-1", own[1].incarnation(), "\u00e9-model",
            new long[] {1_000, 0, 0, 0, 0, 1_000_000, 0, 0});
        final int at = indexOf(badName, "\u00e9".getBytes(StandardCharsets.UTF_8));
        badName[at + 1] = '(';
        new MessageAuthenticator(KEY).sign(badName, badName.length - WireDescriptor.MAC_LENGTH);
        deliver(replicators[0], badName);
        assertEquals(droppedBefore + 2, replicators[0].stats().messagesDropped);
        assertEquals(slotBefore, slotOf(0, "host-1"));
        assertTrue(log.stream().anyMatch(line -> line.contains("a negative counter")), log.toString());
    }

    /**
     * SPEC §7 across hosts (issue 14): each host's takes from a model's buckets and its spend reach every other
     * host's limits, once each, and a replayed total moves nothing.
     */
    @Test
    void shouldSubtractFromEveryHostsLimitsWhatTheOtherHostsTook() throws Exception
    {
        final long at = System.currentTimeMillis() + 60_000; // a minute ahead: no refill while the test runs
        final CompiledCatalog catalog = CatalogLoader.parse("catalog.yaml", String.join("\n",
            "version: 1",
            "models:",
            "  m: {input_cost_per_mtok: 1000, provider: p, limits: {rpm: 100, tpm: 10000}}",
            "tiers:",
            "  - {tier: 1, models: [m]}",
            "budgets:",
            "  - {name: hourly, provider: p, usd: 1, period: hour}",
            ""), false).compile();
        final int[] ports = Loopback.freePorts(3);
        final Limiter[] limiters = new Limiter[3];
        final Replicator[] replicators = new Replicator[3];
        for (int i = 0; i < 3; i++)
        {
            final ClusterCounters counters = open(counters(i));
            limiters[i] = Limiter.of(catalog, counters.local());
            replicators[i] = replicator(i, ports, counters, 600_000);
        }
        Loopback.await(replicators, () -> transports.stream().allMatch(t -> t.connectedPeers() == 2));

        for (int i = 0; i < 3; i++)
        {
            for (int n = 0; n <= i; n++)
            {
                assertTrue(limiters[i].reserve(0, 1_000, at));
            }
            limiters[i].record("m", 100 * (i + 1), 10_000, at);
        }
        // 6 requests of 1,000 tokens, 600 output tokens, $0.03: on every host
        Loopback.await(replicators, () -> Arrays.stream(limiters).allMatch(limiter ->
            limiter.requestsLeft(0, at) == 94 && limiter.tokensLeft(0, at) == 10_000 - 6_000 - 600 &&
                limiter.spentMicros(0, at) == 30_000));

        final String name = "m\0rpm=100,tpm=10000";
        final long applied = replicators[0].stats().remoteCountersRaised;
        deliver(replicators[0], limitsMessage("host-2", counters(2), name, new long[] {3, 3_300, at, at, 0, 0, 0, 0}));
        deliver(replicators[0], limitsMessage("host-2", counters(2), name, new long[] {1, 1_000, at, at, 0, 0, 0, 0}));
        assertEquals(applied, replicators[0].stats().remoteCountersRaised, "host-2's totals again, and older ones");
        assertEquals(94, limiters[0].requestsLeft(0, at));
        deliver(replicators[0], limitsMessage("host-2", counters(2), name, new long[] {4, 3_300, at, at, 0, 0, 0, 0}));
        assertEquals(93, limiters[0].requestsLeft(0, at), "one more request of host-2's");
    }

    private static byte[] limitsMessage(final String host, final Path countersFile, final String name,
        final long[] values) throws IOException
    {
        final MessageEncoder encoder = new MessageEncoder("test", host, KEY);
        encoder.beginCounters((byte)0, System.currentTimeMillis(), SharedPhaseCounters.open(countersFile).incarnation());
        assertTrue(encoder.addCounters(WireDescriptor.KIND_BUCKET_TAKES, name, values));
        final byte[] message = new byte[encoder.finish()];
        encoder.buffer().getBytes(0, message);
        return message;
    }

    @Test
    void shouldStartAHostsSlotAgainEverywhereWhenItsCountersFileIsMadeAnew() throws Exception
    {
        final int[] ports = Loopback.freePorts(2);
        final ClusterCounters first = open(counters(0));
        final ClusterCounters second = open(counters(1));
        final Replicator[] replicators = {replicator(0, ports, first, 100), replicator(1, ports, second, 100)};
        final SharedPhaseCounters[] own = {first.local(), SharedPhaseCounters.open(counters(1))};
        own[1].addAttempt("gpt-4o", false, false, 1_000_000, 1_000, 9_000_000, false, false);
        own[1].addAttempt("claude", false, false, 1, 1, 1, false, false);
        Loopback.await(replicators, () -> everySlotMatches(own));
        final long oldIncarnation = own[1].incarnation();

        Files.delete(counters(1)); // host-1 counts afresh
        own[1] = SharedPhaseCounters.open(counters(1));
        own[1].addAttempt("gpt-4o", false, false, 5, 5, 5, false, false);
        Loopback.await(replicators, () -> everySlotMatches(own));
        assertEquals(Map.of("models", Map.of("gpt-4o", new PhaseCounters.ModelCounts(1, 0, 0, 5, 5, 5, 0, 0)),
            "categories", Map.of()), slotOf(0, "host-1"), "the new file's values, lower; claude gone");

        final Map<String, Object> slotNow = slotOf(0, "host-1");
        deliver(replicators[0], countersMessage("host-1", oldIncarnation, "gpt-4o",
            new long[] {2, 0, 0, 2_000_000, 2_000, 18_000_000, 0, 0}));
        assertEquals(slotNow, slotOf(0, "host-1"), "a late message of the old file is ignored");
        assertTrue(log.stream().anyMatch(line -> line.contains("host-1 sends another counters file")), log.toString());
        assertTrue(log.stream().anyMatch(line -> line.contains("now sending the file at the path")), log.toString());

        // A third file, then the first's message replayed: the slot stays on the third and takes its changes.
        Files.delete(counters(1));
        own[1] = SharedPhaseCounters.open(counters(1));
        own[1].addAttempt("claude", false, false, 3, 3, 3, false, false);
        Loopback.await(replicators, () -> everySlotMatches(own));
        final Map<String, Object> slotOfTheThird = slotOf(0, "host-1");
        deliver(replicators[0], countersMessage("host-1", oldIncarnation, "gpt-4o",
            new long[] {2, 0, 0, 2_000_000, 2_000, 18_000_000, 0, 0}));
        assertEquals(slotOfTheThird, slotOf(0, "host-1"), "the first file's message, replayed, is ignored");
        own[1].addAttempt("claude", false, false, 4, 4, 4, false, false);
        Loopback.await(replicators, () -> everySlotMatches(own));
    }

    private boolean everySlotMatches(final SharedPhaseCounters[] own)
    {
        for (int i = 0; i < own.length; i++)
        {
            for (int j = 0; j < own.length; j++)
            {
                if (i != j && !countersOf(own[j]).equals(slotOf(i, "host-" + j)))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /** Host {@code i}'s slot for {@code host}, as {@code stats --cluster} reads it; null when there is none. */
    private Map<String, Object> slotOf(final int i, final String host)
    {
        try
        {
            for (final CounterSlots.Slot slot : CounterSlots.read(counters(i), problem ->
            {
                throw new AssertionError(problem);
            }))
            {
                if (slot.host().equals(host))
                {
                    return countersOf(slot.counters());
                }
            }
            return null;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Map<String, Object> countersOf(final PhaseCounters counters)
    {
        final Map<String, PhaseCounters.ModelCounts> models = new TreeMap<>();
        final Map<String, PhaseCounters.CategoryCounts> categories = new TreeMap<>();
        counters.forEachModel(models::put);
        counters.forEachCategory(categories::put);
        return Map.of("models", models, "categories", categories);
    }

    private ClusterCounters open(final Path countersFile) throws IOException
    {
        final ClusterCounters counters = ClusterCounters.open(countersFile);
        opened.add(counters);
        return counters;
    }

    private Path counters(final int host)
    {
        return directory.resolve("host-" + host).resolve("counters");
    }

    private static byte[] countersMessage(final String host, final long incarnation, final String model,
        final long[] values)
    {
        final MessageEncoder encoder = new MessageEncoder("test", host, KEY);
        encoder.beginCounters((byte)0, System.currentTimeMillis(), incarnation);
        assertTrue(encoder.addCounters(WireDescriptor.KIND_MODEL, model, values));
        final byte[] message = new byte[encoder.finish()];
        encoder.buffer().getBytes(0, message);
        return message;
    }

    private static void deliver(final Replicator replicator, final byte[] message)
    {
        replicator.onFragment(new UnsafeBuffer(message), 0, message.length, new Header(0, 0));
    }

    private static int indexOf(final byte[] bytes, final byte[] part)
    {
        for (int i = 0; i + part.length <= bytes.length; i++)
        {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length))
            {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private Replicator replicator(final int index, final int[] ports, final ClusterCounters counters,
        final long snapshotIntervalMs)
    {
        final List<ClusterConfig.Endpoint> peers = new ArrayList<>();
        for (int i = 0; i < ports.length; i++)
        {
            if (i != index)
            {
                peers.add(new ClusterConfig.Endpoint("127.0.0.1", ports[i]));
            }
        }
        final ClusterConfig config = new ClusterConfig("test", "host-" + index,
            new ClusterConfig.Endpoint("127.0.0.1", ports[index]), peers, null, null, "KEY", KEY, snapshotIntervalMs,
            null);
        final AeronTransport transport = AeronTransport.start(config, directory.resolve("aeron-" + index),
            event -> log.add("host-" + index + " " + event));
        transports.add(transport);
        return new Replicator(config, new InMemoryReplicaStore("host-" + index), transport,
            line -> log.add("host-" + index + ": " + line), counters);
    }
}
