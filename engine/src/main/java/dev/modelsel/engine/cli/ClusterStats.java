package dev.modelsel.engine.cli;

import dev.modelsel.engine.cost.CounterSlots;
import dev.modelsel.engine.cost.PhaseCounters;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import dev.modelsel.engine.mapped.ForeignFileException;
import dev.modelsel.engine.protocol.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code modelsel stats --cluster}: this host's counters, each other host's slot (kept by {@code modelsel replicate}
 * in {@code PATH.hosts/}, see {@link CounterSlots}), and their sum. Creates and writes nothing.
 * <p>
 * Nothing is counted twice: each host's slot holds only that host's own counters, and a slot holding the same
 * counters file as this host's (by its incarnation) or as another slot (a host that changed its id) is counted once,
 * the most recently heard, and named on stderr.
 */
final class ClusterStats
{
    /** One host's counters as shown. */
    private record Host(String hostId, boolean thisHost, Path file, long lastHeardMs,
        Map<String, PhaseCounters.ModelCounts> models, Map<String, PhaseCounters.CategoryCounts> categories)
    {
        String label()
        {
            final String id = hostId.isEmpty() ? "?" : Display.printable(hostId);
            return thisHost ? id + " (this host)" : id;
        }

        long attempts()
        {
            long sum = 0;
            for (final PhaseCounters.ModelCounts counts : models.values())
            {
                sum = add(sum, counts.attempts());
            }
            return sum;
        }

        long spendMicros()
        {
            long sum = 0;
            for (final PhaseCounters.ModelCounts counts : models.values())
            {
                sum = add(sum, counts.spendMicros());
            }
            return sum;
        }
    }

    private final Path path;
    private final boolean json;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Set<String> noted = new HashSet<>();

    ClusterStats(final Path path, final boolean json, final PrintWriter out, final PrintWriter err)
    {
        this.path = path.toAbsolutePath().normalize();
        this.json = json;
        this.out = out;
        this.err = err;
    }

    void show(final boolean watch) throws InterruptedException
    {
        do
        {
            final List<Host> hosts = gather();
            if (watch && !json)
            {
                out.print("\033[H\033[2J"); // home, clear: a screen that updates in place
            }
            out.println(json ? json(hosts) : table(hosts));
            out.flush();
            err.flush();
            if (watch)
            {
                Thread.sleep(1000);
            }
        }
        while (watch);
    }

    private List<Host> gather()
    {
        final List<Host> hosts = new ArrayList<>();
        final Set<Long> incarnations = new HashSet<>();
        final SharedPhaseCounters local = openLocal();
        if (local != null)
        {
            noteCorrupt(local);
            hosts.add(host(local.hostId(), true, local, 0));
            if (local.incarnation() != 0)
            {
                incarnations.add(local.incarnation());
            }
        }
        final List<CounterSlots.Slot> slots;
        try
        {
            slots = new ArrayList<>(CounterSlots.read(path, this::note));
        }
        catch (final IOException ex)
        {
            throw new UserError(UserError.FAILED, TableSource.describe(ex));
        }
        slots.sort(Comparator.comparingLong(CounterSlots.Slot::lastHeardMs).reversed());
        final Map<Long, String> holders = new HashMap<>();
        incarnations.forEach(incarnation -> holders.put(incarnation, "this host's own file"));
        final List<Host> others = new ArrayList<>();
        for (final CounterSlots.Slot slot : slots)
        {
            if (!incarnations.add(slot.sourceIncarnation()))
            {
                note(slot.counters().path() + ": holds the same counters file as " +
                    holders.get(slot.sourceIncarnation()) + " (the same incarnation): counted once, as that. Did a " +
                    "host id change? Delete the slot when no host sends as " + slot.host() + ".");
                continue;
            }
            holders.put(slot.sourceIncarnation(), "host " + slot.host() + "'s slot, heard from later");
            noteCorrupt(slot.counters());
            others.add(host(slot.host(), false, slot.counters(), slot.lastHeardMs()));
        }
        others.sort(Comparator.comparing(Host::hostId));
        hosts.addAll(others);
        return hosts;
    }

    /** This host's file if there is one; never made. */
    private SharedPhaseCounters openLocal()
    {
        if (!Files.exists(path))
        {
            return null;
        }
        try
        {
            return SharedPhaseCounters.openExisting(path);
        }
        catch (final NoSuchFileException gone)
        {
            return null;
        }
        catch (final ForeignFileException ex)
        {
            throw new UserError(UserError.FAILED, ex.getMessage());
        }
        catch (final IOException ex)
        {
            throw new UserError(UserError.FAILED, TableSource.describe(ex));
        }
        catch (final IllegalStateException ex)
        {
            throw new UserError(UserError.FAILED, ex.getMessage());
        }
    }

    private static Host host(final String hostId, final boolean thisHost, final SharedPhaseCounters counters,
        final long lastHeardMs)
    {
        final Map<String, PhaseCounters.ModelCounts> models = new TreeMap<>();
        final Map<String, PhaseCounters.CategoryCounts> categories = new TreeMap<>();
        counters.forEachModel(models::put);
        counters.forEachCategory(categories::put);
        return new Host(hostId, thisHost, counters.path(), lastHeardMs, models, categories);
    }

    private void note(final String problem)
    {
        if (noted.add(problem))
        {
            err.println("modelsel: " + problem);
        }
    }

    private void noteCorrupt(final SharedPhaseCounters counters)
    {
        if (noted.add("corrupt " + counters.path()))
        {
            StatsCommand.reportCorrupt(counters, err);
        }
    }

    private String table(final List<Host> hosts)
    {
        final long nowMs = System.currentTimeMillis();
        final StringBuilder sb = new StringBuilder("cluster counters at ").append(Instant.ofEpochMilli(nowMs))
            .append(": this host's in ").append(path).append(", other hosts' in ")
            .append(CounterSlots.directoryOf(path)).append('\n');
        if (hosts.isEmpty())
        {
            return sb.append("none yet (nothing recorded here, and no replicator has kept another host's)").toString();
        }
        final List<String> labels = new ArrayList<>();
        hosts.forEach(host -> labels.add(host.label()));
        final int width = Display.printableWidth(labels, 9);
        final String row = "%-" + width + "s %-14s %9s %14s%n";
        sb.append(String.format(Locale.ROOT, row, "host", "last heard", "attempts", "spend $"));
        for (final Host host : hosts)
        {
            sb.append(String.format(Locale.ROOT, row, host.label(), host.thisHost() ? "-" :
                Display.relative(host.lastHeardMs(), nowMs), host.attempts(), StatsCommand.dollars(host.spendMicros())));
        }
        final Host sum = sum(hosts);
        sb.append(String.format(Locale.ROOT, row, "all hosts", "", sum.attempts(),
            StatsCommand.dollars(sum.spendMicros())));
        sb.append("\nall hosts, per model and category:\n");
        return StatsCommand.appendTables(sb, sum.models(), sum.categories()).toString();
    }

    private static String json(final List<Host> hosts)
    {
        final StringBuilder sb = new StringBuilder("{\"hosts\": [");
        String separator = "";
        for (final Host host : hosts)
        {
            sb.append(separator).append("{\"host\": ");
            if (host.hostId().isEmpty())
            {
                sb.append("null");
            }
            else
            {
                Json.appendString(sb, host.hostId());
            }
            sb.append(", \"this_host\": ").append(host.thisHost()).append(", \"file\": ");
            Json.appendString(sb, host.file().toString()).append(", \"last_heard_ms\": ")
                .append(host.thisHost() ? "null" : String.valueOf(host.lastHeardMs())).append(", ");
            StatsCommand.appendJson(sb, host.models(), host.categories()).append('}');
            separator = ", ";
        }
        sb.append("], ");
        final Host sum = sum(hosts);
        return StatsCommand.appendJson(sb, sum.models(), sum.categories()).append('}').toString();
    }

    /** Every host's counters added, per model and per category (saturating, as the counters themselves). */
    private static Host sum(final List<Host> hosts)
    {
        final Map<String, PhaseCounters.ModelCounts> models = new TreeMap<>();
        final Map<String, PhaseCounters.CategoryCounts> categories = new TreeMap<>();
        for (final Host host : hosts)
        {
            host.models().forEach((name, c) -> models.merge(name, c, (a, b) -> new PhaseCounters.ModelCounts(
                add(a.attempts(), b.attempts()), add(a.failures(), b.failures()), add(a.escalations(), b.escalations()),
                add(a.inputTokens(), b.inputTokens()), add(a.outputTokens(), b.outputTokens()),
                add(a.spendMicros(), b.spendMicros()), add(a.pricedByDefaults(), b.pricedByDefaults()),
                add(a.outputUnpriced(), b.outputUnpriced()))));
            host.categories().forEach((name, c) -> categories.merge(name, c, (a, b) ->
                new PhaseCounters.CategoryCounts(add(a.phases(), b.phases()), add(a.escalations(), b.escalations()))));
        }
        return new Host("", false, null, 0, models, categories);
    }

    private static long add(final long a, final long b)
    {
        final long sum = a + b;
        return sum < a ? Long.MAX_VALUE : sum; // both non-negative: an overflow wraps below a
    }
}
