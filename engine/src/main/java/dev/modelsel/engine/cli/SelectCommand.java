package dev.modelsel.engine.cli;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.catalog.LoadedCatalog;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.limits.SnapshotLimitsStore;
import dev.modelsel.engine.limits.LimitsStore;
import dev.modelsel.engine.limits.Limiter;
import dev.modelsel.engine.limits.InMemoryLimitsStore;
import dev.modelsel.engine.Status;
import dev.modelsel.engine.availability.AvailabilityTable;
import dev.modelsel.engine.protocol.AnswerWriter;
import dev.modelsel.engine.protocol.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code modelsel select}: one selection, for a person ({@code --explain}) or a script ({@code --json}). */
@Command(
    name = "select",
    mixinStandardHelpOptions = true,
    description = {
        "Picks the model for a task of the given complexity and token count (docs/SPEC.md section 3).",
        "Exit code 0 when a model is chosen, 1 when none fits or none is available."})
final class SelectCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    CatalogSource catalog;

    @Mixin
    TableSource availability;

    @Option(names = "--complexity", required = true, paramLabel = "low|medium|high",
        converter = ComplexityConverter.class, description = "The task's complexity.")
    Complexity complexity;

    @Option(names = "--tokens", required = true, paramLabel = "N", description = "The task's estimated tokens.")
    long tokens;

    @Option(names = "--now-ms", paramLabel = "EPOCH_MS", description = "Judge availability at this time. Default: now.")
    Long nowMs;

    @Option(names = "--json", description = "Print the answer as one JSON object (docs/SPEC.md section 4).")
    boolean json;

    @Option(names = "--explain", description = "Walk through the selection: tiers, models, verdicts, fallback steps.")
    boolean explain;

    @Option(names = "--counters", paramLabel = "PATH", arity = "0..1", fallbackValue = "",
        description = "Apply the catalog's limits and budgets (SPEC section 7) as this host's processes share them in " +
            "the counters file at PATH (alone: the default file); an OK answer reserves there, except with --explain. " +
            "Without it they start full, for this one select.")
    String counters;

    @Override
    public Integer call()
    {
        StartupTrace.lap("parse arguments (picocli)");
        if (tokens < 0)
        {
            throw new ParameterException(spec.commandLine(), "--tokens must be 0 or more, not " + tokens);
        }
        if (nowMs != null && nowMs < 0)
        {
            throw new ParameterException(spec.commandLine(), "--now-ms must be 0 or more, not " + nowMs);
        }
        return select(spec.commandLine().getOut());
    }

    /**
     * Selects with the options as set, which must be valid: by picocli and {@link #call()}, or by
     * {@link PlainSelect}.
     *
     * @return the exit code.
     * @throws UserError when the catalog or the table cannot be used.
     */
    int select(final PrintWriter out)
    {
        final LoadedCatalog loaded = catalog.load();
        StartupTrace.lap("load catalog");
        final CompiledCatalog compiled = loaded.compile();
        StartupTrace.lap("compile catalog");
        final long now = nowMs != null ? nowMs : System.currentTimeMillis();
        try (AvailabilityTable table = availability.open())
        {
            return select(compiled, table, now, out);
        }
    }

    private int select(final CompiledCatalog compiled, final AvailabilityTable table, final long now, final PrintWriter out)
    {
        // SPEC §7: the shared limits when asked for; an explanation looks at copies, so that it takes nothing
        final LimitsStore shared = counters == null ? new InMemoryLimitsStore() :
            CountersSource.openShared(counters.isEmpty() ? null : Path.of(counters));
        final Limiter before = explain ? Limiter.of(compiled, new SnapshotLimitsStore(shared)) : null;
        final Selection answer = Selector.create(compiled, table, explain ? new SnapshotLimitsStore(shared) : shared)
            .select(complexity, tokens, now, new Selection());
        StartupTrace.lap("select");

        final List<String> story = explain ? Explainer.explain(compiled, table, before, complexity, tokens, now, answer) :
            List.of();
        if (json)
        {
            out.println(jsonAnswer(answer, story));
        }
        else if (explain)
        {
            story.forEach(out::println); // the story escapes user text itself: the same lines go into --json
        }
        else
        {
            out.println(answer.status() == Status.OK ? Display.printable(answer.modelId()) + " (tier " + answer.tier() +
                ", fallback " +
                answer.fallback() + ")" : answer.status() + (answer.hasRetryAt() ? " (retry at " +
                Display.time(answer.retryAtMs()) + ")" : ""));
        }
        out.flush();
        StartupTrace.lap("print");
        return answer.status() == Status.OK ? 0 : UserError.FAILED;
    }

    /** SPEC §4's answer object, with the explanation's lines as an extra field when asked for. */
    private static String jsonAnswer(final Selection answer, final List<String> story)
    {
        final StringBuilder sb = AnswerWriter.selection(new StringBuilder(), answer);
        if (story.isEmpty())
        {
            return sb.toString();
        }
        sb.setLength(sb.length() - 1);
        sb.append(", \"explanation\": [");
        for (int i = 0; i < story.size(); i++)
        {
            Json.appendString(i == 0 ? sb : sb.append(", "), story.get(i));
        }
        return sb.append("]}").toString();
    }

    /** Wire names only, with a message that lists them. */
    static final class ComplexityConverter implements CommandLine.ITypeConverter<Complexity>
    {
        @Override
        public Complexity convert(final String value)
        {
            final Complexity complexity = Complexity.fromWireName(value);
            if (complexity == null)
            {
                throw new CommandLine.TypeConversionException("must be low, medium or high, not \"" + value + "\"");
            }
            return complexity;
        }
    }
}
