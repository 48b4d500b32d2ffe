package dev.modelsel.engine.cli;

import dev.modelsel.engine.availability.SharedTableException;
import dev.modelsel.engine.jvm.JvmFlags;
import dev.modelsel.engine.jvm.MissingJvmFlagsException;
import dev.modelsel.engine.jvm.UnsafeWarning;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * {@code modelsel}: the command line. Exit codes: 0 ok, 1 failed validation or no model, 2 usage error. A user's
 * mistake is one line on stderr, never a stack trace.
 */
@Command(
    name = "modelsel",
    mixinStandardHelpOptions = true,
    versionProvider = ModelselCommand.Version.class,
    description = "Picks the LLM model for each step of an agent's work (see SPEC.md).",
    subcommands = {SelectCommand.class, RunCommand.class, CatalogCommand.class, AvailabilityCommand.class,
        AnalyzeCommand.class, StatsCommand.class, ProbeCommand.class})
public final class ModelselCommand implements Runnable
{
    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "name a command: select, run, catalog, availability, analyze, stats or probe");
    }

    public static void main(final String[] args)
    {
        UnsafeWarning.acknowledgeForTheCommand(); // before applySystemProperties sets the setting, too late to count
        JvmFlags.applySystemProperties(); // -D flags cannot ride in a jar's manifest; they must precede Chronicle
        TablePreload.startIfWanted(args);
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code, printing to this process's stdout and stderr. */
    public static int execute(final String... args)
    {
        final CommandLine commandLine = new CommandLine(new ModelselCommand());
        commandLine.setParameterExceptionHandler(ModelselCommand::usageError);
        commandLine.setExecutionExceptionHandler((ex, failed, parseResult) ->
        {
            if (ex instanceof UserError || ex instanceof SharedTableException || ex instanceof MissingJvmFlagsException)
            {
                failed.getErr().println("modelsel: " + ex.getMessage());
                failed.getErr().flush();
                return ex instanceof UserError ? ((UserError)ex).exitCode() : UserError.FAILED;
            }
            throw ex;
        });
        return commandLine.execute(args);
    }

    /** One line instead of picocli's message plus the whole usage text. */
    private static int usageError(final ParameterException ex, final String[] args)
    {
        final CommandLine failed = ex.getCommandLine();
        final PrintWriter err = failed.getErr();
        err.println("modelsel: " + ex.getMessage() + " (see " + failed.getCommandSpec().qualifiedName() + " --help)");
        err.flush();
        return UserError.USAGE;
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
