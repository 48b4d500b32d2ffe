package dev.modelsel.engine.cli;

import dev.modelsel.engine.availability.AvailabilityRecord;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
import dev.modelsel.engine.protocol.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code modelsel availability show}: every model id the table holds, a corrupt record as CORRUPT, and the damage
 * that is no model's record after them.
 */
@Command(name = "show", mixinStandardHelpOptions = true, description = {
    "Lists every model id the table holds.",
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

    @ParentCommand
    AvailabilityCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object: {\"<model id>\": {\"down\": bool, " +
        "\"cooldown_until_ms\": n|null, \"changes\": n, \"writer_pid\": n, \"changed_at_ms\": n, " +
        "\"corrupt\": bool}, ...}; damage that is no model's record goes to stderr.")
    boolean json;

    @Override
    public Integer call()
    {
        final Map<String, long[]> records = new TreeMap<>();
        final List<String> damage = new ArrayList<>();
        final Path path = read(records, damage);
        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            out.println(json(records));
        }
        else
        {
            human(out, path, records, damage);
        }
        out.flush();
        final long corrupt = records.values().stream().filter(r -> r[CORRUPT] == 1).count();
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

    /** @return the table's path as opened; creates nothing when there is no table. */
    private Path read(final Map<String, long[]> records, final List<String> damage)
    {
        if (!SharedAvailabilityTable.exists(parent.path())) // showing creates nothing
        {
            return parent.path();
        }
        try (SharedAvailabilityTable table = parent.open())
        {
            damage.addAll(table.forEach((id, record) -> records.put(id, new long[] {record.down() ? 1 : 0,
                record.cooldownUntilMs(), record.changes(), record.writerPid(), record.changedAtMs(),
                record.corrupt() ? 1 : 0})));
            return table.path();
        }
    }

    private static String summary(final long corrupt, final boolean damaged)
    {
        return (corrupt > 0 ? corrupt + " corrupt record" + (corrupt == 1 ? "" : "s") : "") +
            (corrupt > 0 && damaged ? " and " : "") + (damaged ? "damage that is no model's record" : "");
    }

    private static String json(final Map<String, long[]> records)
    {
        final StringBuilder sb = new StringBuilder("{");
        records.forEach((id, r) ->
        {
            Json.appendString(sb.length() > 1 ? sb.append(", ") : sb, id)
                .append(": {\"down\": ").append(r[DOWN] == 1)
                .append(", \"cooldown_until_ms\": ")
                .append(r[COOLDOWN_UNTIL_MS] == AvailabilityRecord.NO_COOLDOWN ? "null" : r[COOLDOWN_UNTIL_MS])
                .append(", \"changes\": ").append(r[CHANGES])
                .append(", \"writer_pid\": ").append(r[WRITER_PID])
                .append(", \"changed_at_ms\": ").append(r[CHANGED_AT_MS])
                .append(", \"corrupt\": ").append(r[CORRUPT] == 1).append('}');
        });
        return sb.append('}').toString();
    }

    private static void human(
        final PrintWriter out, final Path path, final Map<String, long[]> records, final List<String> damage)
    {
        final long nowMs = System.currentTimeMillis();
        out.println("Table: " + path + " (" + records.size() + (records.size() == 1 ? " model)" : " models)"));
        final int width = Display.printableWidth(records.keySet(), 5);
        out.println(String.format("  %-" + width + "s  %-42s %8s %10s  %s", "model", "state", "changes", "writer",
            "changed"));
        records.forEach((id, r) ->
        {
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
            out.println(String.format("  %-" + width + "s  %-42s %8d %10s  %s", Display.printable(id), state,
                r[CHANGES], r[WRITER_PID] == 0 ? "-" : "pid " + r[WRITER_PID],
                r[CHANGED_AT_MS] == 0 ? "-" : Display.time(r[CHANGED_AT_MS])));
        });
        if (!damage.isEmpty())
        {
            out.println("Damage that is no model's record (models it hid read as available):");
            damage.forEach(line -> out.println("  " + Display.printable(line)));
        }
    }
}
