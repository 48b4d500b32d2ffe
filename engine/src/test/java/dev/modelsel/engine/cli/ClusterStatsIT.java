package dev.modelsel.engine.cli;

import dev.modelsel.engine.cli.ModelselJar.Result;
import dev.modelsel.engine.cost.CounterSlots;
import dev.modelsel.engine.cost.CountersDescriptor;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import dev.modelsel.engine.reference.ReferenceProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.modelsel.engine.cli.ModelselJar.modelsel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stats --cluster} through the packaged command: this host's counters, the slots a replicator keeps for the
 * other hosts (written here with the library, as the replicator writes them), and the sum.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClusterStatsIT
{
    @TempDir
    Path dir;

    @Test
    void shouldShowEachHostAndTheirSumCountingASharedFileOnce() throws Exception
    {
        final Path counters = dir.resolve("counters");
        final SharedPhaseCounters own = SharedPhaseCounters.open(counters);
        own.hostId("host-a");
        own.addAttempt("gpt-4o", false, false, 1_000, 100, 12_500, false, false);
        own.addPhase("docs", false);
        final CounterSlots slots = CounterSlots.forWriting(counters);
        final long heardMs = System.currentTimeMillis() - 2_000;
        slots.begin("host-b", 77, heardMs);
        slots.raise("host-b", CountersDescriptor.KIND_MODEL, "gpt-4o", new long[] {3, 1, 1, 3_000, 300, 37_500, 0, 0});
        slots.raise("host-b", CountersDescriptor.KIND_MODEL, "claude", new long[] {1, 0, 0, 10, 1, 7, 1, 0});
        slots.raise("host-b", CountersDescriptor.KIND_CATEGORY, "docs", new long[] {2, 1, 0, 0, 0, 0, 0, 0});
        slots.begin("host-c", 78, heardMs);
        slots.raise("host-c", CountersDescriptor.KIND_MODEL, "gpt-4o", new long[] {1, 0, 0, 1, 1, 1, 0, 0});
        slots.begin("host-z", own.incarnation(), heardMs); // this host's own file, under another id: counted once
        slots.raise("host-z", CountersDescriptor.KIND_MODEL, "gpt-4o", new long[] {1, 0, 0, 1_000, 100, 12_500, 0, 0});

        final Result result = modelsel(null, "stats", "--cluster", "--counters", counters.toString(), "--json");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(1, result.out().lines().count(), "exactly one object");
        final Map<?, ?> all = ReferenceProtocol.JSON.readValue(result.out(), Map.class);
        final List<?> hosts = (List<?>)all.get("hosts");
        assertEquals(3, hosts.size(), result.out());
        final Map<?, ?> a = (Map<?, ?>)hosts.get(0);
        assertEquals("host-a", a.get("host"));
        assertEquals(true, a.get("this_host"));
        assertNull(a.get("last_heard_ms"));
        final Map<?, ?> b = (Map<?, ?>)hosts.get(1);
        assertEquals("host-b", b.get("host"));
        assertEquals(heardMs, ((Number)b.get("last_heard_ms")).longValue());
        assertEquals(37_500, ((Number)model(b, "gpt-4o").get("spend_micros")).longValue());
        assertEquals("host-c", ((Map<?, ?>)hosts.get(2)).get("host"));

        final Map<?, ?> gpt = model(all, "gpt-4o");
        assertEquals(5, ((Number)gpt.get("attempts")).intValue(), "1 + 3 + 1: host-z left out");
        assertEquals(4_001, ((Number)gpt.get("input_tokens")).longValue());
        assertEquals(50_001, ((Number)gpt.get("spend_micros")).longValue());
        assertEquals(1, ((Number)model(all, "claude").get("priced_by_defaults")).intValue());
        final Map<?, ?> docs = (Map<?, ?>)((Map<?, ?>)all.get("categories")).get("docs");
        assertEquals(3, ((Number)docs.get("phases")).intValue());
        assertEquals(1, ((Number)docs.get("escalations")).intValue());
        assertTrue(result.err().contains("host-z: holds the same counters file as this host's own file (the same " +
            "incarnation): counted once"), result.err());

        final Result human = modelsel(null, "stats", "--cluster", "--counters", counters.toString());
        assertEquals(0, human.exitCode(), human.err());
        final List<String> lines = human.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("host-a (this host)") && l.endsWith(" 0.0125")),
            human.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("host-b") && l.contains("s ago") &&
            l.endsWith(" 0.037507")), human.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("all hosts") && l.endsWith(" 0.050008")), human.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("gpt-4o") && l.contains(" 4001 ") &&
            l.contains("0.050001")), human.out());
        assertFalse(human.out().contains("host-z"), human.out());
    }

    @Test
    void shouldCreateNothingWhereNothingWasCounted() throws Exception
    {
        final Path counters = dir.resolve("nothing").resolve("counters");
        final Result result = modelsel(null, "stats", "--cluster", "--counters", counters.toString(), "--json");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("{\"hosts\": [], \"models\": {}, \"categories\": {}}", result.out().trim());
        final Result human = modelsel(null, "stats", "--cluster", "--counters", counters.toString());
        assertEquals(0, human.exitCode(), human.err());
        assertTrue(human.out().contains("none yet"), human.out());
        assertFalse(Files.exists(dir.resolve("nothing")));
    }

    private static Map<?, ?> model(final Map<?, ?> counters, final String model)
    {
        return (Map<?, ?>)((Map<?, ?>)counters.get("models")).get(model);
    }
}
