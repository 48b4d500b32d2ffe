package dev.modelsel.engine.cli;

import dev.modelsel.engine.availability.AvailabilityTable;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
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
import java.nio.file.Path;
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
        AvailabilityShow.class,
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
