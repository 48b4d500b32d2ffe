package dev.modelsel.engine.cli;

import dev.modelsel.engine.availability.AvailabilityRecord;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
import dev.modelsel.engine.cost.CountersDamage;
import dev.modelsel.engine.cost.CountersDescriptor;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's words, in process: help, version, usage errors, options on either side of a subcommand. */
class CommandLineTest
{
    private static final Set<Class<?>> NUMERIC = Set.of(long.class, Long.class, int.class, Integer.class,
        double.class, Double.class);
    private static final Pattern LISTED_COMMAND = Pattern.compile("^  (\\S+)\\s+(.*)$");

    private static final long SLOW_OPEN_MS = 1_500;

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err)
    {
    }

    static Run modelsel(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exitCode = ModelselCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void shouldWordEveryNumericMistakeInItsOwnWords()
    {
        final List<String> checked = new ArrayList<>();
        forEachCommand(ModelselCommand.commandLine(), (path, spec) ->
        {
            for (final OptionSpec option : spec.options())
            {
                if (NUMERIC.contains(option.type()) || option.auxiliaryTypes().length > 0 &&
                    NUMERIC.contains(option.auxiliaryTypes()[0]) && !option.type().equals(boolean.class))
                {
                    final List<String> args = new ArrayList<>(path);
                    args.add(option.longestName());
                    args.add("1e5x");
                    final Run run = modelsel(args.toArray(String[]::new));
                    final String what = String.join(" ", args) + " -> " + run.err();
                    assertEquals(2, run.exitCode(), what);
                    assertTrue(run.err().matches("modelsel: " + option.longestName() + " must be a (whole )?number" +
                        "[^\\n]*, not \"1e5x\" \\(see [^\\n]+ --help\\)\\R"), what);
                    checked.add(String.join(" ", args));
                }
            }
        });
        assertTrue(checked.contains("select --tokens 1e5x") && checked.contains("analyze --threshold 1e5x") &&
            checked.contains("catalog import-litellm --tier-thresholds 1e5x") && checked.size() >= 5, checked.toString());
    }

    @Test
    void shouldNameTheRangeOfANumberTooLarge()
    {
        final Run run = modelsel("select", "--complexity", "high", "--tokens", "99999999999999999999");
        assertEquals("modelsel: --tokens must be a whole number of at most 9223372036854775807, not " +
            "\"99999999999999999999\" (see modelsel select --help)", run.err().trim());
    }

    @Test
    void shouldListEveryCommandWithAWholeSentence()
    {
        final List<String> listed = new ArrayList<>();
        forEachCommand(ModelselCommand.commandLine(), (path, spec) ->
        {
            if (spec.subcommands().isEmpty())
            {
                return;
            }
            final List<String> args = new ArrayList<>(path);
            args.add("--help");
            final Run run = modelsel(args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.err());
            final List<String> lines = run.out().lines().toList();
            final int start = lines.indexOf("Commands:");
            assertTrue(start > 0, run.out());
            StringBuilder entry = null;
            for (final String line : lines.subList(start + 1, lines.size()))
            {
                final Matcher command = LISTED_COMMAND.matcher(line);
                if (command.matches())
                {
                    if (entry != null)
                    {
                        listed.add(entry.toString());
                    }
                    entry = new StringBuilder(String.join(" ", path) + " " + command.group(1) + ": " + command.group(2));
                }
                else if (entry != null)
                {
                    entry.append(' ').append(line.trim());
                }
            }
            listed.add(entry.toString());
        });
        assertTrue(listed.size() >= 9 + 5 + 3, listed.toString());
        for (final String entry : listed)
        {
            assertTrue(entry.endsWith(".") && !entry.endsWith(",."), "not a whole sentence: " + entry);
        }
    }

    @Test
    void shouldNameSpecByItsPathInEveryHelp()
    {
        forEachCommand(ModelselCommand.commandLine(), (path, spec) ->
        {
            final String help = spec.commandLine().getUsageMessage();
            assertFalse(help.replace("docs/SPEC.md", "").contains("SPEC.md"), String.join(" ", path) + ": " + help);
        });
        assertTrue(modelsel("--help").out().contains("docs/SPEC.md"));
    }

    @Test
    void shouldAnswerHelpAndVersionAsCommands()
    {
        assertEquals(modelsel("--help").out(), modelsel("help").out());
        assertEquals(modelsel("select", "--help").out(), modelsel("help", "select").out());
        assertEquals(modelsel("catalog", "--help").out(), modelsel("help", "catalog").out());
        final Run version = modelsel("version");
        assertEquals(0, version.exitCode());
        assertEquals(modelsel("--version").out(), version.out());
        assertTrue(version.out().startsWith("modelsel "), version.out());
        assertEquals(2, modelsel("help", "pick").exitCode());
    }

    @Test
    void shouldTakeTheTableOnEitherSideOfTheSubcommand()
    {
        final String table = dir.resolve("t.table").toString();
        for (final List<String> subcommand : List.of(List.of("show"), List.of("show", "--json"), List.of("reset"),
            List.of("set-down", "m"), List.of("set-up", "m"), List.of("cooldown", "m", "--for", "1s"),
            List.of("cooldown", "m", "--until-ms", "5")))
        {
            for (final boolean after : new boolean[] {false, true})
            {
                final List<String> args = new ArrayList<>(List.of("availability"));
                if (!after)
                {
                    args.addAll(List.of("--table", table));
                }
                args.addAll(subcommand);
                if (after)
                {
                    args.addAll(List.of("--table", table));
                }
                final String[] line = args.toArray(String[]::new);
                final CommandLine commandLine = ModelselCommand.commandLine(line);
                commandLine.parseArgs(line);
                final AvailabilityCommand availability =
                    (AvailabilityCommand)commandLine.getSubcommands().get("availability").getCommand();
                assertEquals(Path.of(table), availability.table, String.join(" ", args));
            }
        }
        final Run show = modelsel("availability", "show", "--table", table);
        assertEquals(0, show.exitCode(), show.err());
        assertTrue(show.out().startsWith("Table: " + table + " (0 models)"), show.out());
    }

    @Test
    void shouldShowCountersAroundARecordWhoseNameLengthIsCorrupt() throws Exception
    {
        final Path file = dir.resolve("counters");
        try (SharedPhaseCounters counters = SharedPhaseCounters.open(file))
        {
            counters.addAttempt("good-model", false, false, 1, 1, 1, false, false);
            counters.addAttempt("victim", false, false, 1, 1, 1, false, false);
        }
        final int record = CountersDamage.overwriteInt(file, "victim", CountersDescriptor.NAME_LENGTH_OFFSET,
            Integer.MAX_VALUE);
        for (final String[] args : new String[][] {{"stats", "--counters", file.toString()},
            {"stats", "--counters", file.toString(), "--json"}})
        {
            final Run stats = modelsel(args);
            assertEquals(0, stats.exitCode(), stats.err());
            assertTrue(stats.out().contains("good-model") && !stats.out().contains("victim"), stats.out());
            assertTrue(stats.err().startsWith("modelsel: " + file + ": record " + record + " is corrupt (name length " +
                Integer.MAX_VALUE + ", outside 1..232); skipped"), stats.err());
        }
    }

    @Test
    void shouldStartACooldownWhenTheTableIsOpen() throws Exception
    {
        final Path table = dir.resolve("cooldown.table");
        final String[] args = {"availability", "cooldown", "m", "--for", "10s", "--table", table.toString()};
        final CommandLine commandLine = ModelselCommand.commandLine(args);
        final AvailabilityCommand availability =
            (AvailabilityCommand)commandLine.getSubcommands().get("availability").getCommand();
        final long[] openedAtMs = new long[1];
        availability.opener = path ->
        {
            try
            {
                Thread.sleep(SLOW_OPEN_MS); // opening took seconds on a busy machine
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
            final SharedAvailabilityTable opened = TableSource.openShared(path);
            openedAtMs[0] = System.currentTimeMillis();
            return opened;
        };
        final StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        assertEquals(0, commandLine.execute(args));
        final AvailabilityRecord record = new AvailabilityRecord();
        try (SharedAvailabilityTable shared = SharedAvailabilityTable.open(table))
        {
            assertTrue(shared.read("m", record));
        }
        assertTrue(record.cooldownUntilMs() >= openedAtMs[0] + 10_000, "the cooldown ends " +
            (openedAtMs[0] + 10_000 - record.cooldownUntilMs()) + " ms early: " + out);
    }

    @Test
    void shouldRefuseAReportItCannotWriteBeforePrintingAnything()
    {
        final Path history = Path.of("..", "docs", "example-history.jsonl");
        for (final Path html : List.of(dir.resolve("missing").resolve("report.html"), dir))
        {
            final Run run = modelsel("analyze", history.toString(), "--html", html.toString());
            assertEquals(1, run.exitCode(), run.err());
            assertEquals("", run.out());
            assertEquals(1, run.err().lines().count(), run.err());
            assertTrue(run.err().startsWith("modelsel: --html " + html + ": ") &&
                run.err().trim().endsWith("; nothing written"), run.err());
        }
        final Run written = modelsel("analyze", history.toString(), "--html", dir.resolve("report.html").toString());
        assertEquals(0, written.exitCode(), written.err());
        assertTrue(written.out().endsWith("wrote " + dir.resolve("report.html") + System.lineSeparator()), written.out());
    }

    @Test
    void shouldFailOnWarningsOnlyWhenStrict() throws Exception
    {
        final Path typo = Files.writeString(dir.resolve("typo.yaml"), String.join("\n", "version: 1", "models:",
            "  claude-3-sonnet-20240229: {context_window: 200000, input_cost_per_mtok: 3.0, capability: 0.85}",
            "  gpt-4o: {context_window: 128000, input_cost_per_mtok: 2.5, capability: 0.9}",
            "tiers:", "  - tier: 1", "    models: [claude-3-sonet-20240229, gpt-4o, mistral-large]", ""));
        final Run lenient = modelsel("catalog", "validate", typo.toString());
        assertEquals(0, lenient.exitCode(), lenient.out());
        assertTrue(lenient.out().contains("warning: " + typo + ": tiers[0].models[0] (line 7): model " +
            "\"claude-3-sonet-20240229\" is not in models; it takes all the defaults (did you mean " +
            "\"claude-3-sonnet-20240229\"?)"), lenient.out());
        assertTrue(lenient.out().contains("model \"mistral-large\" is not in models; it takes all the defaults\n"),
            "no suggestion when nothing is close: " + lenient.out());
        assertTrue(lenient.out().endsWith(typo + ": valid: 1 tier, 4 models, 3 warnings\n"), lenient.out());
        for (final String[] args : List.of(new String[] {"catalog", "validate", "--strict", typo.toString()},
            new String[] {"catalog", "validate", typo.toString(), "--strict"}))
        {
            final Run strict = modelsel(args);
            assertEquals(1, strict.exitCode(), strict.out());
            assertTrue(strict.out().endsWith(typo + ": invalid under --strict: 1 tier, 4 models, 3 warnings\n"),
                strict.out());
        }
        final Path clean = Files.writeString(dir.resolve("clean.yaml"), String.join("\n", "version: 1", "models:",
            "  gpt-4o: {context_window: 128000, input_cost_per_mtok: 2.5, capability: 0.9}",
            "tiers:", "  - {tier: 1, models: [gpt-4o]}", ""));
        final Run strictClean = modelsel("catalog", "validate", "--strict", clean.toString());
        assertEquals(0, strictClean.exitCode(), strictClean.out());
        assertEquals(clean + ": valid: 1 tier, 1 model, 0 warnings\n", strictClean.out());
    }

    @Test
    void shouldPointOutTyposInItsOwnWords()
    {
        assertEquals("modelsel: unknown command \"slect\" (did you mean \"select\"?); the commands are select, run, " +
            "catalog, availability, analyze, stats, limits, probe, replicate, help, version (see modelsel --help)",
            modelsel("slect").err().trim());
        assertEquals("modelsel: unknown option \"--tokns\" (did you mean \"--tokens\"?) (see modelsel select --help)",
            modelsel("select", "--complexity", "high", "--tokns", "5").err().trim());
        assertEquals("modelsel: unknown command \"shwo\" (did you mean \"show\"?); the commands are set-down, set-up, " +
            "cooldown, show, reset (see modelsel availability --help)", modelsel("availability", "shwo").err().trim());
        assertEquals("modelsel: missing --complexity low|medium|high and --tokens N (see modelsel select --help)",
            modelsel("select").err().trim());
        assertEquals("modelsel: missing --for DURATION or --until-ms EPOCH_MS (see modelsel availability cooldown --help)",
            modelsel("availability", "cooldown", "m").err().trim());
        assertEquals("modelsel: --tokens is given more than once; give it once (see modelsel select --help)",
            modelsel("select", "--complexity", "high", "--tokens", "5", "--tokens", "6").err().trim());
        for (final String[] args : List.of(new String[] {"slect"}, new String[] {"select", "--tokens", "x"},
            new String[] {"catalog", "validate"}, new String[] {"select", "--complexity", "high", "--tokens", "5", "x"}))
        {
            final String err = modelsel(args).err();
            assertFalse(err.contains("Unmatched") || err.contains("is not a") || err.contains("Missing required") ||
                err.contains("Invalid value"), err);
        }
    }

    interface CommandVisitor
    {
        void visit(List<String> path, CommandSpec spec);
    }

    /** Every command below the top one, with the words that name it. */
    private static void forEachCommand(final CommandLine top, final CommandVisitor visitor)
    {
        visitor.visit(List.of(), top.getCommandSpec());
        visit(top, new ArrayList<>(), visitor);
    }

    private static void visit(final CommandLine parent, final List<String> path, final CommandVisitor visitor)
    {
        parent.getSubcommands().forEach((name, sub) ->
        {
            final List<String> here = new ArrayList<>(path);
            here.add(name);
            visitor.visit(here, sub.getCommandSpec());
            visit(sub, here, visitor);
        });
    }
}
