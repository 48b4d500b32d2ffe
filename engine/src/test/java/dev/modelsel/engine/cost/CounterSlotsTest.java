package dev.modelsel.engine.cost;

import dev.modelsel.engine.mapped.ForeignFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static dev.modelsel.engine.cost.CountersDescriptor.COUNTERS_PER_RECORD;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_CATEGORY;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Other hosts' counters kept beside a host's own: the highest value per counter, a new incarnation made anew. */
class CounterSlotsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldKeepTheHighestValueSoThatARepeatOrALateMessageChangesNothing() throws Exception
    {
        final Path counters = dir.resolve("counters");
        final CounterSlots slots = CounterSlots.forWriting(counters);
        assertFalse(Files.exists(slots.directory()), "nothing made before a message");

        assertEquals(CounterSlots.Arrival.NEW, slots.begin("host-b", 5, 1_000));
        assertTrue(slots.raise("host-b", KIND_MODEL, "gpt-4o", model(3, 1, 1_000, 30)));
        assertTrue(slots.raise("host-b", KIND_CATEGORY, "docs", category(2, 1)));
        assertEquals(CounterSlots.Arrival.SAME, slots.begin("host-b", 5, 1_050));
        assertFalse(slots.raise("host-b", KIND_MODEL, "gpt-4o", model(3, 1, 1_000, 30)), "the same message again");
        assertFalse(slots.raise("host-b", KIND_MODEL, "gpt-4o", model(2, 0, 900, 20)), "an older one, late");
        assertTrue(slots.raise("host-b", KIND_MODEL, "gpt-4o", model(4, 1, 1_500, 45)));

        final List<CounterSlots.Slot> read = CounterSlots.read(counters, problem -> fail(problem));
        assertEquals(1, read.size());
        final CounterSlots.Slot slot = read.get(0);
        assertEquals("host-b", slot.host());
        assertEquals(5, slot.sourceIncarnation());
        assertEquals(1_050, slot.lastHeardMs());
        assertEquals(Map.of("gpt-4o", new PhaseCounters.ModelCounts(4, 1, 0, 1_500, 0, 45, 0, 0)),
            models(slot.counters()));
        assertEquals(Map.of("docs", new PhaseCounters.CategoryCounts(2, 1)), categories(slot.counters()));
        assertEquals(slots.directory().resolve("host-b"), slot.counters().path());
    }

    @Test
    void shouldStartAHostsSlotAgainForANewIncarnationAndIgnoreTheRetiredOne() throws Exception
    {
        final Path counters = dir.resolve("counters");
        final CounterSlots slots = CounterSlots.forWriting(counters);
        slots.begin("host-b", 5, 1);
        slots.raise("host-b", KIND_MODEL, "gpt-4o", model(100, 0, 100_000, 5_000));
        slots.raise("host-b", KIND_MODEL, "claude", model(1, 0, 10, 1));

        assertEquals(CounterSlots.Arrival.REPLACED, slots.begin("host-b", 6, 2), "host-b counts afresh");
        slots.raise("host-b", KIND_MODEL, "gpt-4o", model(1, 0, 50, 2));
        assertEquals(CounterSlots.Arrival.RETIRED, slots.begin("host-b", 5, 3), "a late message of the old file");
        assertEquals(CounterSlots.Arrival.SAME, slots.begin("host-b", 6, 4));

        final CounterSlots.Slot slot = CounterSlots.read(counters, problem -> fail(problem)).get(0);
        assertEquals(6, slot.sourceIncarnation());
        assertEquals(Map.of("gpt-4o", new PhaseCounters.ModelCounts(1, 0, 0, 50, 0, 2, 0, 0)),
            models(slot.counters()), "values went down with the new file, and claude is gone");
    }

    @Test
    void shouldKeepTheNewestIncarnationWhenAMessageOfAnOlderOneIsReplayed() throws Exception
    {
        final Path counters = dir.resolve("counters");
        final CounterSlots slots = CounterSlots.forWriting(counters);
        final long a = incarnation(1_700_000_000_000L, 7);
        final long b = incarnation(1_700_000_100_000L, 3);
        final long c = incarnation(1_700_000_200_000L, 5);
        assertEquals(CounterSlots.Arrival.NEW, slots.begin("host-b", a, 1));
        slots.raise("host-b", KIND_MODEL, "gpt-4o", model(100, 0, 100_000, 5_000));
        assertEquals(CounterSlots.Arrival.REPLACED, slots.begin("host-b", b, 2));
        assertEquals(CounterSlots.Arrival.REPLACED, slots.begin("host-b", c, 3));
        slots.raise("host-b", KIND_MODEL, "gpt-4o", model(1, 0, 50, 2));

        assertEquals(CounterSlots.Arrival.RETIRED, slots.begin("host-b", a, 4), "A's message, captured and replayed");
        assertEquals(CounterSlots.Arrival.RETIRED, slots.begin("host-b", b, 5), "and B's");
        assertEquals(CounterSlots.Arrival.SAME, slots.begin("host-b", c, 6), "C's messages still count");
        assertTrue(slots.raise("host-b", KIND_MODEL, "gpt-4o", model(2, 0, 80, 3)));

        final CounterSlots.Slot slot = CounterSlots.read(counters, problem -> fail(problem)).get(0);
        assertEquals(c, slot.sourceIncarnation());
        assertEquals(6, slot.lastHeardMs(), "a replay is not news of the host");
        assertEquals(Map.of("gpt-4o", new PhaseCounters.ModelCounts(2, 0, 0, 80, 0, 3, 0, 0)), models(slot.counters()));
    }

    /**
     * Incarnations of one host's files, each with messages of its counters as they grew, delivered in random order,
     * repeated and lost: whatever the order, the slot ends on the highest incarnation delivered, holding the highest
     * value of each counter among that incarnation's messages, and each message is ignored exactly when a higher
     * incarnation came before it. A new seed every build; {@code -Dmodelsel.seed=N} replays one.
     */
    @Test
    void shouldEndOnTheHighestIncarnationWithItsHighestValuesWhateverTheOrderOfArrival() throws Exception
    {
        final long seed = Long.getLong("modelsel.seed", new SecureRandom().nextLong());
        for (int trial = 0; trial < 200; trial++)
        {
            final Path trialDirectory = dir.resolve("trial-" + trial);
            try
            {
                runTrial(new Random(seed + trial), trialDirectory.resolve("counters"));
            }
            catch (final AssertionError failed)
            {
                throw new AssertionError("seed " + seed + " trial " + trial + " (replay: -Dmodelsel.seed=" +
                    (seed + trial) + " and trial 0): " + failed.getMessage(), failed);
            }
            deleteTree(trialDirectory); // a slot is 2 MiB
        }
    }

    private record Message(long incarnation, Map<String, long[]> entries)
    {
    }

    private static void runTrial(final Random random, final Path counters) throws IOException
    {
        final TreeSet<Long> incarnations = new TreeSet<>();
        long ms = 1_600_000_000_000L + random.nextInt(1_000_000);
        final int files = 1 + random.nextInt(4);
        while (incarnations.size() < files)
        {
            ms += random.nextInt(3); // files made in one millisecond too: the random bits order them
            incarnations.add(incarnation(ms, random.nextInt(1 << CountersDescriptor.INCARNATION_RANDOM_BITS)));
        }
        final List<Message> messages = new ArrayList<>();
        for (final long incarnation : incarnations)
        {
            final Map<String, long[]> file = new TreeMap<>();
            final int changes = 1 + random.nextInt(6);
            for (int change = 0; change < changes; change++)
            {
                final String name = NAMES[random.nextInt(NAMES.length)];
                final long[] values = file.computeIfAbsent(name, any -> new long[COUNTERS_PER_RECORD]);
                for (int i = 0; i < (name.startsWith("c") ? 2 : COUNTERS_PER_RECORD); i++)
                {
                    values[i] += random.nextInt(3) == 0 ? 0 : random.nextInt(1_000);
                }
                final Map<String, long[]> sent = new TreeMap<>(); // what changed, or a snapshot: all
                final boolean snapshot = random.nextBoolean();
                file.forEach((each, counts) ->
                {
                    if (snapshot || each.equals(name))
                    {
                        sent.put(each, counts.clone());
                    }
                });
                messages.add(new Message(incarnation, sent));
            }
        }
        final List<Message> deliveries = new ArrayList<>();
        for (final Message message : messages)
        {
            final int times = random.nextInt(4); // lost, once, repeated
            for (int i = 0; i < times; i++)
            {
                deliveries.add(message);
            }
        }
        Collections.shuffle(deliveries, random);

        final CounterSlots slots = CounterSlots.forWriting(counters);
        long highest = Long.MIN_VALUE;
        long nowMs = 0;
        for (final Message message : deliveries)
        {
            nowMs += random.nextInt(700); // past CounterSlots' look for a slot deleted under it, at times
            final CounterSlots.Arrival arrival = slots.begin("host-b", message.incarnation(), nowMs);
            assertEquals(message.incarnation() < highest, arrival == CounterSlots.Arrival.RETIRED,
                "incarnation " + message.incarnation() + " after " + highest + ": " + arrival);
            highest = Math.max(highest, message.incarnation());
            if (arrival != CounterSlots.Arrival.RETIRED)
            {
                message.entries().forEach((name, values) ->
                    slots.raise("host-b", name.startsWith("c") ? KIND_CATEGORY : KIND_MODEL, name, values));
            }
        }

        final List<CounterSlots.Slot> read = CounterSlots.read(counters, problem -> fail(problem));
        if (deliveries.isEmpty())
        {
            assertEquals(List.of(), read);
            return;
        }
        final Map<String, long[]> expected = new TreeMap<>(); // the highest incarnation's messages, max-merged
        for (final Message message : deliveries)
        {
            if (message.incarnation() == highest)
            {
                message.entries().forEach((name, values) ->
                {
                    final long[] merged = expected.computeIfAbsent(name, any -> new long[COUNTERS_PER_RECORD]);
                    for (int i = 0; i < COUNTERS_PER_RECORD; i++)
                    {
                        merged[i] = Math.max(merged[i], values[i]);
                    }
                });
            }
        }
        final Map<String, PhaseCounters.ModelCounts> expectedModels = new TreeMap<>();
        final Map<String, PhaseCounters.CategoryCounts> expectedCategories = new TreeMap<>();
        expected.forEach((name, v) ->
        {
            if (name.startsWith("c"))
            {
                expectedCategories.put(name, new PhaseCounters.CategoryCounts(v[0], v[1]));
            }
            else
            {
                expectedModels.put(name, new PhaseCounters.ModelCounts(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]));
            }
        });
        assertEquals(1, read.size());
        assertEquals(highest, read.get(0).sourceIncarnation(), "the highest of " + incarnations);
        assertEquals(expectedModels, models(read.get(0).counters()));
        assertEquals(expectedCategories, categories(read.get(0).counters()));
    }

    @Test
    void shouldMakeASlotAgainWhenItWasDeletedUnderTheWriter() throws Exception
    {
        final Path counters = dir.resolve("counters");
        final CounterSlots slots = CounterSlots.forWriting(counters);
        slots.begin("host-b", 5, 0);
        slots.raise("host-b", KIND_MODEL, "gpt-4o", model(1, 0, 10, 1));
        Files.delete(slots.directory().resolve("host-b")); // to forget the host
        assertEquals(CounterSlots.Arrival.SAME, slots.begin("host-b", 5, 500), "not looked for yet");
        assertEquals(CounterSlots.Arrival.NEW, slots.begin("host-b", 5, 1_000));
        slots.raise("host-b", KIND_MODEL, "gpt-4o", model(2, 0, 20, 2));
        assertEquals(2, models(CounterSlots.read(counters, problem -> fail(problem)).get(0).counters())
            .get("gpt-4o").attempts());
    }

    @Test
    void shouldReadNothingAndMakeNothingWhereNoSlotsAre() throws Exception
    {
        final Path counters = dir.resolve("none").resolve("counters");
        assertEquals(List.of(), CounterSlots.read(counters, problem -> fail(problem)));
        assertFalse(Files.exists(dir.resolve("none")));
    }

    @Test
    void shouldSkipAndNameWhatIsNotAHostsSlot() throws Exception
    {
        final Path counters = dir.resolve("counters");
        final Path slots = CounterSlots.directoryOf(counters);
        Files.createDirectories(slots);
        Files.writeString(slots.resolve("host-c"), "not a counters file");
        SharedPhaseCounters.open(slots.resolve("host-d")).addPhase("docs", false); // a counters file, no host
        Files.writeString(slots.resolve("host-e.tmp.123.abc"), "being made");
        final List<String> problems = new ArrayList<>();
        assertEquals(List.of(), CounterSlots.read(counters, problems::add));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("host-c") && problems.get(0).contains("not a modelsel counters file"),
            problems.toString());
        assertTrue(problems.get(1).contains("not host host-d's slot (its header names no host)"), problems.toString());

        final CounterSlots writer = CounterSlots.forWriting(counters);
        assertThrows(ForeignFileException.class, () -> writer.begin("host-c", 5, 0));
        assertThrows(ForeignFileException.class, () -> writer.begin("host-d", 5, 0));
        assertEquals("not a counters file", Files.readString(slots.resolve("host-c")), "left as it is");
    }

    @Test
    void shouldRefuseWhatCannotNameOrFillASlot() throws IOException
    {
        final CounterSlots slots = CounterSlots.forWriting(dir.resolve("counters"));
        assertThrows(IllegalArgumentException.class, () -> slots.begin("..", 5, 0));
        assertThrows(IllegalArgumentException.class, () -> slots.begin("a/b", 5, 0));
        assertThrows(IllegalArgumentException.class, () -> slots.begin("host-b", 0, 0), "no incarnation");
        assertThrows(IllegalStateException.class, () -> slots.raise("host-b", KIND_MODEL, "m", model(1, 0, 0, 0)));
        slots.begin("host-b", 5, 0);
        assertThrows(IllegalArgumentException.class, () -> slots.raise("host-b", 3, "m", model(1, 0, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> slots.raise("host-b", KIND_MODEL, "m", model(-1, 0, 0, 0)));
    }

    @Test
    void shouldGiveEveryFileAnIncarnationAndAHostIdItsReplicatorWrites() throws Exception
    {
        final SharedPhaseCounters first = SharedPhaseCounters.open(dir.resolve("a"));
        final SharedPhaseCounters second = SharedPhaseCounters.open(dir.resolve("b"));
        assertNotEquals(CountersDescriptor.NO_INCARNATION, first.incarnation());
        assertNotEquals(first.incarnation(), second.incarnation());
        assertEquals(first.incarnation(), SharedPhaseCounters.open(dir.resolve("a")).incarnation(), "the file's own");

        first.header().putLong(CountersDescriptor.INCARNATION_OFFSET, CountersDescriptor.NO_INCARNATION); // older file
        assertEquals(CountersDescriptor.NO_INCARNATION, first.incarnation(), "reading sets nothing");
        final long assigned = first.assignIncarnation();
        assertNotEquals(CountersDescriptor.NO_INCARNATION, assigned);
        assertEquals(assigned, SharedPhaseCounters.open(dir.resolve("a")).assignIncarnation(), "set once");

        assertEquals("", first.hostId());
        first.hostId("host-a");
        assertEquals("host-a", SharedPhaseCounters.openExisting(dir.resolve("a")).hostId());
        first.hostId("h");
        assertEquals("h", first.hostId());
        assertThrows(IllegalArgumentException.class, () -> first.hostId("x".repeat(33)));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> SharedPhaseCounters.openExisting(dir.resolve("c")));
        assertFalse(Files.exists(dir.resolve("c")));
    }

    @Test
    void shouldOrderIncarnationsByWhenTheFileWasMadeAndRaiseAFileFollowedAboveTheOneBefore() throws Exception
    {
        final long before = System.currentTimeMillis();
        final SharedPhaseCounters first = SharedPhaseCounters.open(dir.resolve("a"));
        final long after = System.currentTimeMillis();
        final long madeMs = first.incarnation() >> CountersDescriptor.INCARNATION_RANDOM_BITS;
        assertTrue(madeMs >= before && madeMs <= after, madeMs + " not in " + before + ".." + after);

        final SharedPhaseCounters second = SharedPhaseCounters.open(dir.resolve("b"));
        final long later = second.incarnation() + (10_000L << CountersDescriptor.INCARNATION_RANDOM_BITS);
        assertEquals(second.incarnation(), second.assignIncarnationAbove(second.incarnation() - 1), "already above");
        final long raised = second.assignIncarnationAbove(later); // as if made while the clock was 10 s behind
        assertTrue(raised > later, raised + " not above " + later);
        assertEquals(raised, SharedPhaseCounters.openExisting(dir.resolve("b")).incarnation(), "in the file");
        assertEquals(Long.MAX_VALUE - 1, second.assignIncarnationAbove(Long.MAX_VALUE - 2), "where the clock is less");
        assertEquals(Long.MAX_VALUE - 1, second.assignIncarnationAbove(Long.MAX_VALUE), "nothing is above that");
    }

    @Test
    void shouldCollectEveryRecordOrOnlyThoseThatChanged() throws Exception
    {
        final SharedPhaseCounters file = SharedPhaseCounters.open(dir.resolve("counters"));
        final CountersChanges changes = new CountersChanges(file);
        final Map<String, String> seen = new TreeMap<>();
        final CountersChanges.Entry collect = (kind, name, counters) ->
            seen.put(kind + " " + name, java.util.Arrays.toString(counters));
        assertEquals(0, changes.collect(true, false, collect));

        file.addAttempt("gpt-4o", false, false, 100, 10, 7, false, false);
        file.addPhase("docs", true);
        assertEquals(2, changes.collect(false, false, collect), "new records");
        assertEquals(Map.of("1 gpt-4o", "[1, 0, 0, 100, 10, 7, 0, 0]", "2 docs", "[1, 1, 0, 0, 0, 0, 0, 0]"), seen);
        assertEquals(0, changes.collect(false, false, collect), "nothing changed");

        seen.clear();
        file.addAttempt("gpt-4o", true, false, 1, 1, 1, false, false);
        assertEquals(1, changes.collect(false, false, collect));
        assertEquals(Map.of("1 gpt-4o", "[2, 1, 0, 101, 11, 8, 0, 0]"), seen, "absolute values");
        assertEquals(2, changes.collect(true, false, collect), "all");
    }

    private static final String[] NAMES = {"m0", "m1", "m2", "c0", "c1"};

    private static long incarnation(final long madeMs, final int random)
    {
        return madeMs << CountersDescriptor.INCARNATION_RANDOM_BITS | random;
    }

    private static void deleteTree(final Path directory) throws IOException
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }

    private static long[] model(final long attempts, final long failures, final long input, final long spendMicros)
    {
        return new long[] {attempts, failures, 0, input, 0, spendMicros, 0, 0};
    }

    private static long[] category(final long phases, final long escalations)
    {
        return new long[] {phases, escalations, 0, 0, 0, 0, 0, 0};
    }

    private static Map<String, PhaseCounters.ModelCounts> models(final PhaseCounters counters)
    {
        final Map<String, PhaseCounters.ModelCounts> models = new TreeMap<>();
        counters.forEachModel(models::put);
        return models;
    }

    private static Map<String, PhaseCounters.CategoryCounts> categories(final PhaseCounters counters)
    {
        final Map<String, PhaseCounters.CategoryCounts> categories = new TreeMap<>();
        counters.forEachCategory(categories::put);
        return categories;
    }

    private static void fail(final String problem)
    {
        throw new AssertionError(problem);
    }
}
