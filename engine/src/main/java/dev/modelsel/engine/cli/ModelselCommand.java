package dev.modelsel.engine.cli;

import dev.modelsel.engine.availability.SharedAvailabilityTable;
import dev.modelsel.engine.availability.SharedTableException;
import dev.modelsel.engine.jvm.JvmFlags;
import dev.modelsel.engine.jvm.MissingJvmFlagsException;
import dev.modelsel.engine.jvm.UnsafeWarning;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * {@code modelsel}: the command line. Exit codes: 0 ok, 1 failed validation or no model, 2 usage error. A user's
 * mistake is one line on stderr, never a stack trace.
 * <p>
 * Picocli builds a command's model by reflection, which costs a cold JVM more than the rest of a {@code select}
 * together; so only the command that the first argument names is built, and the whole tree only when no command
 * is named (help, version, a mistake), see {@link Commands}.
 */
@Command(
    name = "modelsel",
    mixinStandardHelpOptions = true,
    versionProvider = ModelselCommand.Version.class,
    description = {
        "Picks the LLM model for each step of an agent's work.",
        "The behaviour is the contract in docs/SPEC.md; modelsel help COMMAND tells more about each command."})
public final class ModelselCommand implements Runnable
{
    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "name a command: " + String.join(", ", Commands.NAMES));
    }

    public static void main(final String[] args)
    {
        StartupTrace.begin();
        UnsafeWarning.acknowledgeForTheCommand(); // before applySystemProperties sets the setting, too late to count
        JvmFlags.applySystemProperties(); // -D flags cannot ride in a jar's manifest; they must precede Chronicle
        TablePreload.startIfWanted(args);
        StartupTrace.lap("JVM flags as system properties");
        final int exitCode = execute(args);
        SharedAvailabilityTable.awaitPreload(); // a command that ended early must not exit while Chronicle initialises
        StartupTrace.print(System.err);
        System.exit(exitCode);
    }

    /** Runs the command line and returns its exit code, printing to this process's stdout and stderr. */
    public static int execute(final String... args)
    {
        final Charset charset = Charset.defaultCharset(); // as picocli's own writers
        return execute(new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, charset)), true),
            new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.err, charset)), true), args);
    }

    /** As {@link #execute(String...)}, printing to the given writers. */
    static int execute(final PrintWriter out, final PrintWriter err, final String... args)
    {
        final SelectCommand plain = PlainSelect.parse(args);
        if (plain != null)
        {
            StartupTrace.lap("parse arguments (plain select)");
            try
            {
                return plain.select(out);
            }
            catch (final RuntimeException ex)
            {
                if (!isUsers(ex))
                {
                    throw ex;
                }
                return report(ex, err);
            }
        }
        final CommandLine commandLine = commandLine(args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args);
    }

    /** The command tree that {@code args} need, with this command's converters and error handling. */
    static CommandLine commandLine(final String... args)
    {
        final CommandLine commandLine = new CommandLine(new ModelselCommand());
        Commands.addFor(commandLine, args);
        StartupTrace.lap("picocli command model");
        Numbers.registerConverters(commandLine); // after the subcommands: registering reaches only those present
        commandLine.setParameterExceptionHandler(UsageErrors::handle);
        commandLine.setExecutionExceptionHandler((ex, failed, parseResult) ->
        {
            if (!isUsers(ex))
            {
                throw ex;
            }
            return report(ex, failed.getErr());
        });
        return commandLine;
    }

    /** A failure that is the user's to fix, told in one line; anything else is a bug and keeps its stack trace. */
    private static boolean isUsers(final Exception ex)
    {
        return ex instanceof UserError || ex instanceof SharedTableException || ex instanceof MissingJvmFlagsException;
    }

    private static int report(final Exception ex, final PrintWriter err)
    {
        err.println("modelsel: " + Display.printableLines(ex.getMessage()));
        err.flush();
        return ex instanceof UserError ? ((UserError)ex).exitCode() : UserError.FAILED;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String version = ModelselCommand.class.getPackage().getImplementationVersion();
            return new String[] {"modelsel " + (version == null ? "(development build)" : version)};
        }
    }
}
