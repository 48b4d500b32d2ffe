package dev.modelsel.engine.cli;

import picocli.CommandLine;

import java.util.List;

/**
 * The top-level commands by name, each built only when wanted. Building one is picocli reflecting over its class and
 * every subcommand's: building all ten cost a cold JVM about 60 ms more than building the one that runs (picocli's
 * own start, about 110 ms, is paid either way; a plain {@code select} avoids both, see {@link PlainSelect}).
 * <p>
 * Stateless and thread-safe.
 */
final class Commands
{
    /** In the order {@code modelsel --help} lists them. */
    static final List<String> NAMES =
        List.of("select", "run", "catalog", "availability", "analyze", "stats", "limits", "probe", "replicate", "help",
            "version");

    private Commands()
    {
    }

    /**
     * Adds the command that {@code args[0]} names, or every command when it names none: the top-level help, the
     * {@code help} command and the message for a mistake need them all.
     */
    static void addFor(final CommandLine top, final String... args)
    {
        final String named = args.length > 0 ? args[0] : "";
        if (NAMES.contains(named) && !named.equals("help"))
        {
            top.addSubcommand(named, create(named));
            return;
        }
        for (final String name : NAMES)
        {
            top.addSubcommand(name, create(name));
        }
        final String help = "Shows how to use modelsel, or one of its commands: modelsel help select.";
        top.getSubcommands().get("help").getCommandSpec().usageMessage().header(help); // not picocli's
    }

    private static Object create(final String name)
    {
        switch (name)
        {
            case "select":
                return new SelectCommand();
            case "run":
                return new RunCommand();
            case "catalog":
                return new CatalogCommand();
            case "availability":
                return new AvailabilityCommand();
            case "analyze":
                return new AnalyzeCommand();
            case "stats":
                return new StatsCommand();
            case "limits":
                return new LimitsCommand();
            case "probe":
                return new ProbeCommand();
            case "replicate":
                return new ReplicateCommand();
            case "help":
                return new CommandLine.HelpCommand();
            case "version":
                return new VersionCommand();
            default:
                throw new IllegalArgumentException("no command " + name);
        }
    }
}
