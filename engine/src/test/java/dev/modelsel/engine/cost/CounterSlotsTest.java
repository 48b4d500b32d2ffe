package dev.modelsel.engine.cost;

import dev.modelsel.engine.mapped.ForeignFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    void shouldCollectEveryRecordOrOnlyThoseThatChanged() throws Exception
    {
        final SharedPhaseCounters file = SharedPhaseCounters.open(dir.resolve("counters"));
        final CountersChanges changes = new CountersChanges(file);
        final Map<String, String> seen = new TreeMap<>();
        final CountersChanges.Entry collect = (kind, name, counters) ->
            seen.put(kind + " " + name, java.util.Arrays.toString(counters));
        assertEquals(0, changes.collect(true, collect));

        file.addAttempt("gpt-4o", false, false, 100, 10, 7, false, false);
        file.addPhase("docs", true);
        assertEquals(2, changes.collect(false, collect), "new records");
        assertEquals(Map.of("1 gpt-4o", "[1, 0, 0, 100, 10, 7, 0, 0]", "2 docs", "[1, 1, 0, 0, 0, 0, 0, 0]"), seen);
        assertEquals(0, changes.collect(false, collect), "nothing changed");

        seen.clear();
        file.addAttempt("gpt-4o", true, false, 1, 1, 1, false, false);
        assertEquals(1, changes.collect(false, collect));
        assertEquals(Map.of("1 gpt-4o", "[2, 1, 0, 101, 11, 8, 0, 0]"), seen, "absolute values");
        assertEquals(2, changes.collect(true, collect), "all");
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
