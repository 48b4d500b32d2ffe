package dev.modelsel.engine.cli;

import dev.modelsel.engine.availability.AvailabilityTable;
import dev.modelsel.engine.availability.AvailabilityRecord;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
import dev.modelsel.engine.protocol.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code modelsel availability}: read and write the shared availability table from a shell. */
@Command(
    name = "availability",
    mixinStandardHelpOptions = true,
    description = {
        "Reads and writes the availability table shared by every modelsel process on this host.",
        "Default table: -Dmodelsel.availability.table, else /dev/shm/modelsel/availability.table (memory only, gone at " +
            "reboot), else modelsel/availability.table under the temp directory. Beside it, PATH.seq holds its " +
            "change sequence."},
    subcommands = {
        AvailabilityCommand.SetDown.class,
        AvailabilityCommand.SetUp.class,
        AvailabilityCommand.Cooldown.class,
        AvailabilityCommand.Show.class,
        AvailabilityCommand.Reset.class})
final class AvailabilityCommand implements Runnable
{
    @Spec
    CommandSpec spec;

    /** Inherited: {@code availability --table P show} and {@code availability show --table P} both work. */
    @Option(names = "--table", paramLabel = "PATH", scope = ScopeType.INHERIT,
        description = "The table. Default: see modelsel availability --help.")
    Path table;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "name a subcommand: set-down, set-up, cooldown, show or reset");
    }

    /** How a subcommand opens the table; a test makes it slow, to see what is computed before and after. */
    Function<Path, SharedAvailabilityTable> opener = TableSource::openShared;

    SharedAvailabilityTable open()
    {
        return opener.apply(table);
    }

    static String requireModel(final CommandSpec spec, final String model)
    {
        if (model.isEmpty())
        {
            throw new ParameterException(spec.commandLine(), "MODEL must not be empty");
        }
        return model;
    }

    Path path()
    {
        return table == null ? SharedAvailabilityTable.defaultPath() : table;
    }

    /** A write of one model's record: the parts {@code set-down} and {@code set-up} share. */
    abstract static class ModelWrite implements Callable<Integer>
    {
        @ParentCommand
        AvailabilityCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "MODEL", description = "Any model id.")
        String model;

        /** Writes and returns what the model is now, for the message. */
        abstract String write(SharedAvailabilityTable table);

        @Override
        public Integer call()
        {
            requireModel(spec, model);
            try (SharedAvailabilityTable table = parent.open())
            {
                spec.commandLine().getOut().println(Display.printable(model) + ": " + write(table) + " (" +
                    table.path() + ")");
            }
            return 0;
        }
    }

    @Command(name = "set-down", mixinStandardHelpOptions = true, description = "Marks MODEL down (its cooldown stays).")
    static final class SetDown extends ModelWrite
    {
        @Override
        String write(final SharedAvailabilityTable table)
        {
            table.setDown(model);
            return "down";
        }
    }

    @Command(name = "set-up", mixinStandardHelpOptions = true, description = "Marks MODEL up and clears its cooldown.")
    static final class SetUp extends ModelWrite
    {
        @Override
        String write(final SharedAvailabilityTable table)
        {
            table.setUp(model);
            return "up";
        }
    }

    @Command(name = "cooldown", mixinStandardHelpOptions = true,
        description = "Rate-limits MODEL until a time; a later deadline already set is kept.")
    static final class Cooldown implements Callable<Integer>
    {
        @ParentCommand
        AvailabilityCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "MODEL", description = "Any model id.")
        String model;

        @ArgGroup(multiplicity = "1")
        Until until;

        static final class Until
        {
            @Option(names = "--for", paramLabel = "DURATION", description = "From now: 30s, 5m, 1h30m, 250ms, PT30S.")
            String duration;

            @Option(names = "--until-ms", paramLabel = "EPOCH_MS", description = "An absolute time, epoch ms.")
            Long epochMs;
        }

        @Override
        public Integer call()
        {
            requireModel(spec, model);
            final long durationMs = until.duration != null ? durationMs() : -1; // a usage error before the open
            if (until.duration == null && until.epochMs < 0)
            {
                throw new ParameterException(spec.commandLine(), "--until-ms must be 0 or more, not " + until.epochMs);
            }
            try (SharedAvailabilityTable table = parent.open())
            {
                // From now, after the open: opening can take seconds, and those must not eat a short cooldown.
                final long nowMs = System.currentTimeMillis();
                final long askedMs = durationMs < 0 ? until.epochMs :
                    durationMs > Long.MAX_VALUE - nowMs ? Long.MAX_VALUE : nowMs + durationMs;
                final long untilMs = AvailabilityTable.cappedDeadline(askedMs, nowMs);
                final long inForce = table.setRateLimited(model, untilMs);
                spec.commandLine().getOut().println(Display.printable(model) + ": cooling down until " +
                    Display.time(inForce) + ", " +
                    Display.relative(inForce, System.currentTimeMillis()) +
                    (untilMs != askedMs ? " (kept to a day ahead, the most a cooldown may be)" : "") +
                    (inForce != untilMs ? " (a later deadline was already set)" : "") + " (" + table.path() + ")");
            }
            return 0;
        }

        private long durationMs()
        {
            final long durationMs;
            try
            {
                durationMs = Durations.parseMs(until.duration);
            }
            catch (final IllegalArgumentException | ArithmeticException ex)
            {
                throw new ParameterException(spec.commandLine(), "--for: " + ex.getMessage());
            }
            if (durationMs < 0)
            {
                throw new ParameterException(spec.commandLine(), "--for must not be negative: " + until.duration);
            }
            return durationMs;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Lists every model id the table holds.")
    static final class Show implements Callable<Integer>
    {
        @ParentCommand
        AvailabilityCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "One JSON object: {\"<model id>\": {\"down\": bool, " +
            "\"cooldown_until_ms\": n|null, \"changes\": n, \"writer_pid\": n, \"changed_at_ms\": n}, ...}.")
        boolean json;

        @Override
        public Integer call()
        {
            final Map<String, long[]> records = new TreeMap<>();
            Path path = parent.path();
            if (SharedAvailabilityTable.exists(path)) // showing creates nothing
            {
                try (SharedAvailabilityTable table = parent.open())
                {
                    path = table.path();
                    table.forEach((id, record) -> records.put(id, new long[] {record.down() ? 1 : 0,
                        record.cooldownUntilMs(), record.changes(), record.writerPid(), record.changedAtMs()}));
                }
            }
            final PrintWriter out = spec.commandLine().getOut();
            if (json)
            {
                out.println(json(records));
            }
            else
            {
                human(out, path, records);
            }
            return 0;
        }

        private static String json(final Map<String, long[]> records)
        {
            final StringBuilder sb = new StringBuilder("{");
            records.forEach((id, r) ->
            {
                Json.appendString(sb.length() > 1 ? sb.append(", ") : sb, id)
                    .append(": {\"down\": ").append(r[0] == 1)
                    .append(", \"cooldown_until_ms\": ").append(r[1] == AvailabilityRecord.NO_COOLDOWN ? "null" : r[1])
                    .append(", \"changes\": ").append(r[2])
                    .append(", \"writer_pid\": ").append(r[3])
                    .append(", \"changed_at_ms\": ").append(r[4]).append('}');
            });
            return sb.append('}').toString();
        }

        private static void human(final PrintWriter out, final Path path, final Map<String, long[]> records)
        {
            final long nowMs = System.currentTimeMillis();
            out.println("Table: " + path + " (" + records.size() + (records.size() == 1 ? " model)" : " models)"));
            final int width = Display.printableWidth(records.keySet(), 5);
            out.println(String.format("  %-" + width + "s  %-42s %8s %10s  %s", "model", "state", "changes", "writer",
                "changed"));
            records.forEach((id, r) ->
            {
                final boolean cooling = r[1] != AvailabilityRecord.NO_COOLDOWN && r[1] > nowMs;
                final String state = (r[0] == 1 ? "down" : cooling ? "cooling" : "available") +
                    (cooling ? " until " + r[1] + ", " + Display.relative(r[1], nowMs) : "");
                out.println(String.format("  %-" + width + "s  %-42s %8d %10s  %s", Display.printable(id), state, r[2],
                    r[3] == 0 ? "-" : "pid " + r[3], r[4] == 0 ? "-" : Display.time(r[4])));
            });
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Deletes the table (both files), only when it is ours and no other process has it open.")
    static final class Reset implements Callable<Integer>
    {
        @ParentCommand
        AvailabilityCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            try
            {
                SharedAvailabilityTable.reset(parent.path());
            }
            catch (final IOException ex)
            {
                throw new UserError(UserError.FAILED, TableSource.describe(ex));
            }
            catch (final IllegalStateException ex)
            {
                throw new UserError(UserError.FAILED, ex.getMessage());
            }
            spec.commandLine().getOut().println(parent.path() + ": reset (deleted; the next process to use it " +
                "creates it anew)");
            return 0;
        }
    }
}
