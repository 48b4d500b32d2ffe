package dev.modelsel.engine.cli;

import dev.modelsel.engine.availability.AvailabilityRecord;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
import dev.modelsel.engine.protocol.Json;
import dev.modelsel.engine.replication.HybridClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code modelsel availability show}: every model id the table holds, a corrupt record as CORRUPT, and the damage
 * that is no model's record after them.
 */
@Command(name = "show", mixinStandardHelpOptions = true, description = {
    "Lists every model id the table holds: its state, what happened to it on this host (changes, last writer, " +
        "when), and which host wrote its flag (down or up) and its cooldown, and when (SPEC §6's versions).",
    "A record that fails its checksum is listed as CORRUPT (selectors read it as available; set-up MODEL " +
        "rewrites it), and damage that is no model's record is listed after the models. Exit 1 when there is " +
        "either."})
final class AvailabilityShow implements Callable<Integer>
{
    private static final int DOWN = 0;
    private static final int COOLDOWN_UNTIL_MS = 1;
    private static final int CHANGES = 2;
    private static final int WRITER_PID = 3;
    private static final int CHANGED_AT_MS = 4;
    private static final int CORRUPT = 5;
    private static final int FLAG_CLOCK = 6;
    private static final int EPOCH_CLOCK = 7;
    private static final int COOLDOWN_CLOCK = 8;

    /** A record as listed: its fields, and the hosts of its versions (flag, epoch, cooldown). */
    private record Listed(long[] fields, String[] hosts)
    {
    }

    @ParentCommand
    AvailabilityCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object: {\"<model id>\": {\"down\": bool, " +
        "\"cooldown_until_ms\": n|null, \"changes\": n, \"writer_pid\": n, \"changed_at_ms\": n, " +
        "\"corrupt\": bool, \"flag_by\": host|null, \"flag_at_ms\": n|null, \"cooldown_by\": host|null, " +
        "\"cooldown_at_ms\": n|null, \"epoch_by\": host|null, \"epoch_at_ms\": n|null}, ...}; damage that is " +
        "no model's record goes to stderr.")
    boolean json;

    @Override
    public Integer call()
    {
        final Map<String, Listed> records = new TreeMap<>();
        final List<String> damage = new ArrayList<>();
        final Shown shown = read(records, damage);
        final Path path = shown.path();
        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            out.println(json(records));
        }
        else
        {
            human(out, path, shown.hostId(), records, damage);
        }
        out.flush();
        final long corrupt = records.values().stream().filter(r -> r.fields()[CORRUPT] == 1).count();
        if (corrupt == 0 && damage.isEmpty())
        {
            return 0;
        }
        final PrintWriter err = spec.commandLine().getErr();
        if (json)
        {
            damage.forEach(line -> err.println("modelsel: " + path + ": damaged: " + Display.printable(line)));
        }
        err.println("modelsel: " + path + ": " + summary(corrupt, !damage.isEmpty()) + (json ? "" : ", listed above") +
            ". " + (corrupt > 0 ? "set-up MODEL rewrites a corrupt record; " : "") + "once no process uses the " +
            "table, modelsel availability reset deletes it (every record is lost)");
        return UserError.FAILED;
    }

    /** The table shown: its path as opened, and the host id its local writes stamp (null when there is none). */
    private record Shown(Path path, String hostId)
    {
    }

    /** Creates nothing when there is no table. */
    private Shown read(final Map<String, Listed> records, final List<String> damage)
    {
        if (!SharedAvailabilityTable.exists(parent.path())) // showing creates nothing
        {
            return new Shown(parent.path(), null);
        }
        try (SharedAvailabilityTable table = parent.open())
        {
            damage.addAll(table.forEachWithVersions((id, record, versions) -> records.put(id, new Listed(
                new long[] {record.down() ? 1 : 0, record.cooldownUntilMs(), record.changes(), record.writerPid(),
                    record.changedAtMs(), record.corrupt() ? 1 : 0, versions.flagClock(), versions.epochClock(),
                    versions.cooldownClock()},
                new String[] {versions.flagHost(), versions.epochHost(), versions.cooldownHost()}))));
            return new Shown(table.path(), table.hostId());
        }
    }

    private static String summary(final long corrupt, final boolean damaged)
    {
        return (corrupt > 0 ? corrupt + " corrupt record" + (corrupt == 1 ? "" : "s") : "") +
            (corrupt > 0 && damaged ? " and " : "") + (damaged ? "damage that is no model's record" : "");
    }

    private static String json(final Map<String, Listed> records)
    {
        final StringBuilder sb = new StringBuilder("{");
        records.forEach((id, listed) ->
        {
            final long[] r = listed.fields();
            Json.appendString(sb.length() > 1 ? sb.append(", ") : sb, id)
                .append(": {\"down\": ").append(r[DOWN] == 1)
                .append(", \"cooldown_until_ms\": ")
                .append(r[COOLDOWN_UNTIL_MS] == AvailabilityRecord.NO_COOLDOWN ? "null" : r[COOLDOWN_UNTIL_MS])
                .append(", \"changes\": ").append(r[CHANGES])
                .append(", \"writer_pid\": ").append(r[WRITER_PID])
                .append(", \"changed_at_ms\": ").append(r[CHANGED_AT_MS])
                .append(", \"corrupt\": ").append(r[CORRUPT] == 1);
            jsonVersion(sb, "flag", r[FLAG_CLOCK], listed.hosts()[0]);
            jsonVersion(sb, "cooldown", r[COOLDOWN_CLOCK], listed.hosts()[2]);
            jsonVersion(sb, "epoch", r[EPOCH_CLOCK], listed.hosts()[1]);
            sb.append('}');
        });
        return sb.append('}').toString();
    }

    /** {@code "NAME_by": host, "NAME_at_ms": wall ms of the version}, both null for a version never written. */
    private static void jsonVersion(final StringBuilder sb, final String name, final long clock, final String host)
    {
        final boolean none = clock == HybridClock.ZERO;
        sb.append(", \"").append(name).append("_by\": ");
        if (none)
        {
            sb.append("null");
        }
        else
        {
            Json.appendString(sb, host);
        }
        sb.append(", \"").append(name).append("_at_ms\": ").append(none ? "null" : HybridClock.wallMs(clock));
    }

    private static void human(final PrintWriter out, final Path path, final String hostId,
        final Map<String, Listed> records, final List<String> damage)
    {
        final long nowMs = System.currentTimeMillis();
        out.println("Table: " + path + " (" + records.size() + (records.size() == 1 ? " model)" : " models)") +
            (hostId == null ? "" : ", written here as host " + hostId));
        final int width = Display.printableWidth(records.keySet(), 5);
        final int hostWidth = records.values().stream().flatMap(r -> Arrays.stream(r.hosts()))
            .mapToInt(String::length).max().orElse(0);
        final String versions = "  %-" + Math.max(7, hostWidth) + "s  %-24s  %-" + Math.max(11, hostWidth) +
            "s  %-24s  %s";
        out.println(String.format("  %-" + width + "s  %-42s %8s %10s  %-40s" + versions, "model", "state",
            "changes", "writer", "changed", "flag by", "flag at", "cooldown by", "cooldown at", "epoch"));
        records.forEach((id, listed) ->
        {
            final long[] r = listed.fields();
            if (r[CORRUPT] == 1)
            {
                out.println(String.format("  %-" + width + "s  %s", Display.printable(id),
                    "CORRUPT: fails its checksum; read as available until set-up rewrites it"));
                return;
            }
            final boolean cooling = r[COOLDOWN_UNTIL_MS] != AvailabilityRecord.NO_COOLDOWN &&
                r[COOLDOWN_UNTIL_MS] > nowMs;
            final String state = (r[DOWN] == 1 ? "down" : cooling ? "cooling" : "available") +
                (cooling ? " until " + r[COOLDOWN_UNTIL_MS] + ", " + Display.relative(r[COOLDOWN_UNTIL_MS], nowMs) : "");
            final String[] hosts = listed.hosts();
            out.println(String.format("  %-" + width + "s  %-42s %8d %10s  %-40s" + versions, Display.printable(id),
                state, r[CHANGES], r[WRITER_PID] == 0 ? "-" : "pid " + r[WRITER_PID],
                r[CHANGED_AT_MS] == 0 ? "-" : Display.time(r[CHANGED_AT_MS]),
                by(r[FLAG_CLOCK], hosts[0]), at(r[FLAG_CLOCK]), by(r[COOLDOWN_CLOCK], hosts[2]), at(r[COOLDOWN_CLOCK]),
                r[EPOCH_CLOCK] == HybridClock.ZERO ? "-" : hosts[1] + " " + at(r[EPOCH_CLOCK])).stripTrailing());
        });
        if (!damage.isEmpty())
        {
            out.println("Damage that is no model's record (models it hid read as available):");
            damage.forEach(line -> out.println("  " + Display.printable(line)));
        }
    }

    /** Who wrote a version: its host, or "-" for none. */
    private static String by(final long clock, final String host)
    {
        return clock == HybridClock.ZERO ? "-" : host;
    }

    /** When a version was written, as its host's wall clock saw it (its counter, within the ms, left out). */
    private static String at(final long clock)
    {
        return clock == HybridClock.ZERO ? "-" : Instant.ofEpochMilli(HybridClock.wallMs(clock)).toString();
    }
}
