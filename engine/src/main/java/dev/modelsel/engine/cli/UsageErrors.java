package dev.modelsel.engine.cli;

import dev.modelsel.catalog.CatalogPaths;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A malformed command line as one line on stderr, exit code 2, in this command's words: picocli's messages name its
 * parser's notions ({@code Unmatched argument at index 0}, {@code '1e5' is not a long}), which a user should not
 * have to translate.
 * <p>
 * Stateless and thread-safe.
 */
final class UsageErrors
{
    private UsageErrors()
    {
    }

    /** A {@link CommandLine.IParameterExceptionHandler}: one line instead of picocli's message and the usage text. */
    static int handle(final ParameterException ex, final String[] args)
    {
        final CommandLine failed = ex.getCommandLine();
        final PrintWriter err = failed.getErr();
        err.println("modelsel: " + message(ex) + " (see " + failed.getCommandSpec().qualifiedName() + " --help)");
        err.flush();
        return UserError.USAGE;
    }

    static String message(final ParameterException ex)
    {
        if (ex.getCause() instanceof TypeConversionException && ex.getArgSpec() != null)
        {
            return name(ex.getArgSpec()) + " " + ex.getCause().getMessage();
        }
        final List<String> unmatched = ex.getCommandLine().getUnmatchedArguments();
        if (!unmatched.isEmpty() && !(ex instanceof UnmatchedArgumentException))
        {
            return unmatched(ex.getCommandLine().getCommandSpec(), unmatched.get(0)); // the cause of the rest, often
        }
        if (ex instanceof OverwrittenOptionException)
        {
            return name(((OverwrittenOptionException)ex).getOverwritten()) + " is given more than once; give it once";
        }
        if (ex instanceof MissingParameterException)
        {
            final List<ArgSpec> args = ((MissingParameterException)ex).getMissing();
            final List<String> missing = new ArrayList<>();
            args.forEach(arg -> missing.add(!arg.isOption() ? arg.paramLabel() :
                arg.arity().max() == 0 ? name(arg) : name(arg) + " " + arg.paramLabel()));
            final boolean oneOf = args.stream().allMatch(arg -> arg.group() != null && arg.group().exclusive() &&
                arg.group() == args.get(0).group());
            return "missing " + String.join(oneOf && args.size() > 1 ? " or " : " and ", missing);
        }
        if (ex instanceof UnmatchedArgumentException)
        {
            final List<String> arguments = ((UnmatchedArgumentException)ex).getUnmatched();
            if (!arguments.isEmpty())
            {
                return unmatched(ex.getCommandLine().getCommandSpec(), arguments.get(0));
            }
        }
        return ex.getMessage();
    }

    private static String unmatched(final CommandSpec spec, final String argument)
    {
        final String shown = Display.printable(argument);
        if (argument.startsWith("-") && argument.length() > 1)
        {
            final String name = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
            final List<String> names = new ArrayList<>();
            spec.options().forEach(option -> names.addAll(List.of(option.names())));
            return "unknown option \"" + Display.printable(name) + "\"" + CatalogPaths.didYouMean(name, names);
        }
        if (!spec.subcommands().isEmpty())
        {
            final List<String> commands = new ArrayList<>(spec.subcommands().keySet());
            return "unknown command \"" + shown + "\"" + CatalogPaths.didYouMean(argument, commands) +
                "; the commands are " + String.join(", ", commands);
        }
        return "unexpected argument \"" + shown + "\"";
    }

    private static String name(final ArgSpec arg)
    {
        return arg.isOption() ? ((OptionSpec)arg).longestName() : arg.paramLabel();
    }
}
