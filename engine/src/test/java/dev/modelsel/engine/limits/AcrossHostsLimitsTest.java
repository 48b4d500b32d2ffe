package dev.modelsel.engine.limits;

import dev.modelsel.catalog.BudgetPeriod;
import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.RateLimits;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.engine.cost.CounterSlots;
import dev.modelsel.engine.cost.CountersChanges;
import dev.modelsel.engine.cost.CountersDescriptor;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §7 across hosts (issue 14) without a network: each host's counters file, its processes' own takes collected
 * as its replicator collects them ({@link CountersChanges}), and taken in by the others' slots as their replicators
 * take them ({@link CounterSlots#raiseTakes} and {@link OtherHostsTakes}). The replicators on real Aeron, and real
 * hosts, are tested by ReplicatorCountersTest and ReplicationNamespacesIT.
 */
class AcrossHostsLimitsTest
{
    private static final long AT = 1_764_540_000_000L;
    private static final int RPM = 1_000;
    private static final int TPM = 200_000;

    @TempDir
    Path directory;

    private static CompiledCatalog catalog() throws Exception
    {
        return CatalogLoader.parse("catalog.yaml", String.join("\n",
            "version: 1",
            "models:",
            "  m: {input_cost_per_mtok: 1000, provider: p, limits: {rpm: " + RPM + ", tpm: " + TPM + "}}",
            "tiers:",
            "  - {tier: 1, models: [m]}",
            "budgets:",
            "  - {name: daily, provider: p, usd: 10, period: day}",
            ""), false).compile();
    }

    /** One host: its counters file, a limiter over it, what its replicator sends, and its slots of the others. */
    private final class Host
    {
        final String id;
        final SharedPhaseCounters file;
        final Limiter limiter;
        final CountersChanges changes;
        final CounterSlots slots;

        Host(final Path cluster, final int index) throws Exception
        {
            id = "host-" + index;
            final Path path = cluster.resolve(id).resolve("counters");
            file = SharedPhaseCounters.open(path);
            file.markLimitsReplicated(AT);
            limiter = Limiter.of(catalog(), file);
            changes = new CountersChanges(file);
            slots = CounterSlots.forWriting(path);
        }

        /** What this host's replicator would send now: every limits entry ({@code all}) or those changed. */
        List<Object[]> send(final boolean all)
        {
            final List<Object[]> entries = new ArrayList<>();
            changes.collect(all, true, (kind, name, values) -> entries.add(new Object[] {kind, name, values.clone()}));
            return entries;
        }

        /** Takes another host's entries as its replicator would. */
        void receive(final Host from, final List<Object[]> entries) throws Exception
        {
            slots.begin(from.id, from.file.incarnation(), AT);
            for (final Object[] entry : entries)
            {
                final int kind = (Integer)entry[0];
                final String name = (String)entry[1];
                slots.raiseTakes(from.id, kind, name, (long[])entry[2], (before, after) ->
                {
                    if (kind == CountersDescriptor.KIND_BUCKETS)
                    {
                        OtherHostsTakes.applyBuckets(file, name, before, after, AT);
                    }
                    else
                    {
                        OtherHostsTakes.applyBudget(file, name, before, after);
                    }
                });
            }
        }
    }

    @Test
    void shouldCountAHostsOwnTakesOnlyOnceItsFileIsReplicated() throws Exception
    {
        final SharedPhaseCounters file = SharedPhaseCounters.open(directory.resolve("counters"));
        final Limiter limiter = Limiter.of(catalog(), file);
        assertTrue(limiter.reserve(0, 100, AT));
        limiter.record("m", 10, 1_000, AT);
        final CountersChanges changes = new CountersChanges(file);
        assertEquals(0, changes.collect(true, true, (kind, name, values) ->
        {
        }), "taken before a replicator marked the file: not this host's to send");

        file.markLimitsReplicated(AT);
        assertTrue(limiter.reserve(0, 50, AT));
        assertTrue(limiter.reserve(0, 30, AT));
        limiter.record("m", 20, 2_500, AT);
        final List<String> sent = new ArrayList<>();
        changes.collect(true, true, (kind, name, values) -> sent.add(kind + " " + name.replace('\0', '|') + " " +
            Arrays.toString(values)));
        final long day = (BudgetPeriod.DAY.index(AT) << 42) | 2_500;
        assertEquals(List.of(
            "3 m|rpm=1000,tpm=200000 [2, 100, " + AT + ", " + AT + ", 0, 0, 0, 0]",
            "5 daily|day " + budgetWords(day)), sorted(sent), "two requests and 50 + 30 + 20 tokens; $0.0025");
        assertEquals(1_000 + 2_500, limiter.spentMicros(0, AT), "the budget itself holds all of it");
    }

    @Test
    void shouldTakeOnlyWhatIsNewFromAnotherHostsTotals() throws Exception
    {
        final LimitsStore store = new InMemoryLimitsStore();
        final String name = Limiter.bucketsName("m", new RateLimits(RPM, TPM));
        final Limiter limiter = Limiter.of(catalog(), store);
        final long[] none = new long[8];
        final long[] ten = {10, 1_000, AT, AT, 0, 0, 0, 0};
        assertTrue(OtherHostsTakes.applyBuckets(store, name, none, ten, AT + 60_000));
        assertEquals(RPM - 10, limiter.requestsLeft(0, AT));
        assertEquals(RPM, limiter.requestsLeft(0, AT + 60_000), "taken at the sender's time, not this host's later " +
            "one: refilled a minute later");
        assertEquals(TPM - 1_000, limiter.tokensLeft(0, AT));
        assertFalse(OtherHostsTakes.applyBuckets(store, name, ten, ten, AT), "the same totals again: nothing");
        assertFalse(OtherHostsTakes.applyBuckets(store, name, ten, new long[] {9, 900, AT, AT, 0, 0, 0, 0}, AT),
            "older totals: nothing");
        assertTrue(OtherHostsTakes.applyBuckets(store, name, ten, new long[] {15, 1_000, AT, AT, 0, 0, 0, 0}, AT));
        assertEquals(RPM - 15, limiter.requestsLeft(0, AT));
        assertEquals(TPM - 1_000, limiter.tokensLeft(0, AT));

        final long[] future = {16, 1_000, AT + 3_600_000, AT + 3_600_000, 0, 0, 0, 0};
        OtherHostsTakes.applyBuckets(store, name, new long[] {15, 1_000, AT, AT, 0, 0, 0, 0}, future, AT);
        assertEquals(RPM - 16, limiter.requestsLeft(0, AT), "a peer's clock ahead is taken at this host's");

        assertFalse(OtherHostsTakes.applyBuckets(store, "m", none, ten, AT), "not a buckets name");
    }

    /**
     * A host that hears another's totals after a long while (its replicator stopped, a partition healed, a host new
     * to the cluster or a slot deleted): the increase spans many minutes of takes, all but the last minute's long
     * refilled. Taking it whole at the sender's latest take time put the bucket in a debt of all of them, and the
     * model was refused on that host for as many minutes as the sender had taken buckets.
     */
    @Test
    void shouldNotLockAModelOutForTakesHeardOfLate() throws Exception
    {
        final Path cluster = directory.resolve("late");
        final Host a = new Host(cluster, 0);
        final Host b = new Host(cluster, 1);
        assertTrue(a.limiter.reserve(0, 1, AT));
        receiveAt(b, a, a.send(true), AT);
        long last = AT;
        for (int minute = 1; minute <= 100; minute++) // b hears nothing of a for 100 minutes
        {
            last = AT + minute * 60_000L;
            while (a.limiter.reserve(0, 1, last))
            {
            }
        }
        receiveAt(b, a, a.send(false), last + 100);
        final long later = last + 120_000; // two minutes on, nobody took anything since
        assertEquals(RPM, a.limiter.requestsLeft(0, later), 1e-9, "the sender's own bucket refilled");
        assertTrue(b.limiter.requestsLeft(0, later) >= 0, "b refuses for " + -b.limiter.requestsLeft(0, later) /
            RPM + " more minutes");
        assertTrue(b.limiter.reserve(0, 1, later));
    }

    private static void receiveAt(final Host to, final Host from, final List<Object[]> entries, final long nowMs)
        throws Exception
    {
        to.slots.begin(from.id, from.file.incarnation(), nowMs);
        for (final Object[] entry : entries)
        {
            final int kind = (Integer)entry[0];
            final String name = (String)entry[1];
            to.slots.raiseTakes(from.id, kind, name, (long[])entry[2], (before, after) ->
            {
                if (kind == CountersDescriptor.KIND_BUCKETS)
                {
                    OtherHostsTakes.applyBuckets(to.file, name, before, after, nowMs);
                }
                else
                {
                    OtherHostsTakes.applyBudget(to.file, name, before, after);
                }
            });
        }
    }

    @Test
    void shouldAddAnotherHostsSpendPeriodByPeriod() throws Exception
    {
        final LimitsStore store = new InMemoryLimitsStore();
        final Limiter limiter = Limiter.of(catalog(), store);
        final long day = BudgetPeriod.DAY.index(AT);
        final String name = Limiter.budgetName(catalog().definition().budgets().get(0));
        final long[] before = words(day, 1_000);
        final long[] after = words(day, 4_000);
        assertTrue(OtherHostsTakes.applyBudget(store, name, new long[8], before));
        assertTrue(OtherHostsTakes.applyBudget(store, name, before, after));
        assertEquals(4_000, limiter.spentMicros(0, AT));
        assertFalse(OtherHostsTakes.applyBudget(store, name, after, before), "older: nothing");

        final long[] nextDay = after.clone();
        nextDay[(int)((day + 1) % 8)] = ((day + 1) << 42) | 700;
        assertTrue(OtherHostsTakes.applyBudget(store, name, after, nextDay));
        assertEquals(700, limiter.spentMicros(0, AT + 86_400_000L), "a new period counts whole");
        assertEquals(4_000, limiter.spentMicros(0, AT));
    }

    @Test
    void shouldReadTheLimitsOfABucketsName()
    {
        final RateLimits limits = new RateLimits(7, 1_000_000_000);
        assertEquals(limits, Limiter.limitsOfBucketsName(Limiter.bucketsName("a\0b", limits)));
        assertNull(Limiter.limitsOfBucketsName("m"));
        assertNull(Limiter.limitsOfBucketsName("m\0rpm=0,tpm=0"));
        assertNull(Limiter.limitsOfBucketsName("m\0rpm=1000000001,tpm=0"));
        assertNull(Limiter.limitsOfBucketsName("m\0rpm=01,tpm=0"));
        assertNull(Limiter.limitsOfBucketsName("m\0rpm=1,tpm=2~0123456789abcde"));
    }

    /**
     * Three hosts draw from one model's limits at one instant (no refill), their replicators exchanging totals at
     * random moments, some repeated, some late: once all is exchanged, every host's buckets hold exactly the
     * capacity less what all of them took, and with an exchange after every reservation none admits more than the
     * capacity together.
     */
    @Test
    void shouldLeaveEveryHostWithWhatAllOfThemTookWhateverTheOrderOfExchanges() throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final String why = "seed " + seed;
        for (int round = 0; round < 4; round++)
        {
            final Path cluster = directory.resolve("round-" + round);
            final Host[] hosts = {new Host(cluster, 0), new Host(cluster, 1), new Host(cluster, 2)};
            final boolean exchangeAlways = round == 0;
            final List<Runnable> late = new ArrayList<>();
            long admitted = 0;
            long tokens = 0;
            for (int step = 0; step < 3_000; step++)
            {
                final Host host = hosts[random.nextInt(3)];
                final long asked = 1 + random.nextInt(400);
                if (host.limiter.reserve(0, asked, AT))
                {
                    admitted++;
                    tokens += asked;
                }
                if (exchangeAlways || random.nextInt(20) == 0)
                {
                    exchange(hosts, random, late, random.nextBoolean());
                }
            }
            late.forEach(Runnable::run); // totals older than those taken since: nothing moves
            exchange(hosts, random, new ArrayList<>(), true);
            for (final Host host : hosts)
            {
                assertEquals(RPM - admitted, host.limiter.requestsLeft(0, AT), host.id + ", " + why);
                assertEquals(TPM - tokens, host.limiter.tokensLeft(0, AT), host.id + ", " + why);
            }
            if (exchangeAlways)
            {
                assertTrue(admitted <= RPM && tokens <= TPM, admitted + " requests, " + tokens + " tokens; " + why);
            }
        }
    }

    /**
     * Every host's changed entries (or all) to every other, each delivered once or twice, some of them again
     * later ({@code late}).
     */
    private static void exchange(final Host[] hosts, final Random random, final List<Runnable> late,
        final boolean all) throws Exception
    {
        for (final Host from : hosts)
        {
            final List<Object[]> entries = from.send(all);
            for (final Host to : hosts)
            {
                if (to != from)
                {
                    to.receive(from, entries);
                    if (random.nextInt(4) == 0)
                    {
                        to.receive(from, entries); // repeated
                    }
                    if (random.nextInt(4) == 0)
                    {
                        late.add(() ->
                        {
                            try
                            {
                                to.receive(from, entries);
                            }
                            catch (final Exception ex)
                            {
                                throw new AssertionError(ex);
                            }
                        });
                    }
                }
            }
        }
    }

    private static long[] words(final long period, final long spent)
    {
        final long[] words = new long[8];
        words[(int)(period % 8)] = (period << 42) | spent;
        return words;
    }

    private static String budgetWords(final long word)
    {
        final long[] words = new long[8];
        words[(int)((word >>> 42) % 8)] = word;
        return Arrays.toString(words);
    }

    private static List<String> sorted(final List<String> lines)
    {
        final List<String> copy = new ArrayList<>(lines);
        copy.sort(null);
        return copy;
    }
}
