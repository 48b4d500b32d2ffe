package dev.modelsel.engine.cli;

import dev.modelsel.catalog.BudgetDefinition;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.RateLimits;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import dev.modelsel.engine.limits.InMemoryLimitsStore;
import dev.modelsel.engine.limits.Limiter;
import dev.modelsel.engine.limits.LimitsStore;
import dev.modelsel.engine.protocol.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code modelsel limits show}: SPEC §7's buckets and budgets, live, as every process on the host shares them. */
@Command(
    name = "limits",
    mixinStandardHelpOptions = true,
    description = "SPEC §7's rate limits and budgets, as the processes of this host share them in the counters file.",
    subcommands = {LimitsCommand.Show.class})
final class LimitsCommand implements Runnable
{
    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand: show");
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {
        "Each model's buckets (requests and tokens it would take now, of its limit a minute) and each budget's spend, " +
            "what is left and when its period ends, for the catalog's limits and budgets, live from the counters " +
            "file every `run --counters` draws from.",
        "Default file: -Dmodelsel.counters, else /dev/shm/modelsel/counters. With no file yet, every bucket is full " +
            "and nothing is spent."})
    static final class Show implements Runnable
    {
        @Spec
        CommandSpec spec;

        @Mixin
        CatalogSource catalog;

        @Option(names = "--counters", paramLabel = "PATH", description = "The counters file. Default: see above.")
        Path counters;

        @Option(names = "--json", description = "One JSON object: {\"at_ms\": ..., \"models\": {...}, " +
            "\"budgets\": {...}}.")
        boolean json;

        @Option(names = "--now-ms", paramLabel = "MS", description = "The time to show them at. Default: now.")
        Long nowMs;

        @Override
        public void run()
        {
            final CompiledCatalog compiled = catalog.load().compile();
            final PrintWriter out = spec.commandLine().getOut();
            final long at = nowMs == null ? System.currentTimeMillis() : nowMs;
            if (!compiled.definition().hasLimits())
            {
                out.println(json ? "{\"at_ms\": " + at + ", \"models\": {}, \"budgets\": {}}" :
                    "the catalog gives no limits and no budgets");
                out.flush();
                return;
            }
            final Path path = counters == null ? SharedPhaseCounters.defaultPath() : counters;
            // A file that is not there is not made: every bucket is full and nothing spent, as a fresh store says.
            final LimitsStore store = Files.exists(path) ? CountersSource.openShared(path) : new InMemoryLimitsStore();
            final Limiter limiter = Limiter.of(compiled, store);
            out.println(json ? json(compiled, limiter, at) : table(compiled, limiter, at, path));
            out.flush();
        }
    }

    static String table(final CompiledCatalog catalog, final Limiter limiter, final long at, final Path path)
    {
        final StringBuilder out = new StringBuilder("limits at ").append(Instant.ofEpochMilli(at)).append(" (")
            .append(path).append(")\n");
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"model", "requests left", "of rpm", "tokens left", "of tpm"});
        for (final Bucket bucket : buckets(catalog, limiter, at))
        {
            rows.add(new String[] {Display.printable(bucket.id), left(bucket.requests), limit(bucket.limits.rpm()),
                left(bucket.tokens), limit(bucket.limits.tpm())});
        }
        columns(out, rows);
        if (limiter.budgetCount() > 0)
        {
            out.append('\n');
            final List<String[]> budgets = new ArrayList<>();
            budgets.add(new String[] {"budget", "covers", "period", "spent USD", "left USD", "of USD", "period ends"});
            for (int b = 0; b < limiter.budgetCount(); b++)
            {
                final BudgetDefinition budget = limiter.budget(b);
                final BigDecimal spent = BigDecimal.valueOf(limiter.spentMicros(b, at), 6);
                budgets.add(new String[] {Display.printable(budget.name()), Display.printable(budget.coverage()),
                    budget.period().key(), Display.money(spent), Display.money(budget.usd().subtract(spent).max(
                    BigDecimal.ZERO)), budget.usd().toPlainString() + (spent.compareTo(budget.usd()) >= 0 ?
                    " (exhausted)" : ""), Instant.ofEpochMilli(budget.period().endMs(at)).toString()});
            }
            columns(out, budgets);
        }
        return out.toString().stripTrailing();
    }

    static String json(final CompiledCatalog catalog, final Limiter limiter, final long at)
    {
        final StringBuilder out = new StringBuilder("{\"at_ms\": ").append(at).append(", \"models\": {");
        String separator = "";
        for (final Bucket bucket : buckets(catalog, limiter, at))
        {
            out.append(separator);
            Json.appendString(out, bucket.id).append(": {");
            out.append("\"rpm\": ").append(bucket.limits.rpm() == 0 ? "null" : String.valueOf(bucket.limits.rpm()))
                .append(", \"requests_left\": ").append(Double.isNaN(bucket.requests) ? "null" :
                Display.number(bucket.requests))
                .append(", \"tpm\": ").append(bucket.limits.tpm() == 0 ? "null" : String.valueOf(bucket.limits.tpm()))
                .append(", \"tokens_left\": ").append(Double.isNaN(bucket.tokens) ? "null" :
                Display.number(bucket.tokens))
                .append('}');
            separator = ", ";
        }
        out.append("}, \"budgets\": {");
        separator = "";
        for (int b = 0; b < limiter.budgetCount(); b++)
        {
            final BudgetDefinition budget = limiter.budget(b);
            final BigDecimal spent = BigDecimal.valueOf(limiter.spentMicros(b, at), 6);
            out.append(separator);
            Json.appendString(out, budget.name()).append(": {\"provider\": ");
            if (budget.provider() == null)
            {
                out.append("null");
            }
            else
            {
                Json.appendString(out, budget.provider());
            }
            out.append(", \"model\": ");
            if (budget.model() == null)
            {
                out.append("null");
            }
            else
            {
                Json.appendString(out, budget.model());
            }
            out.append(", \"period\": \"").append(budget.period().key()).append("\", \"usd\": ")
                .append(budget.usd().toPlainString()).append(", \"spent_usd\": ").append(spent.stripTrailingZeros()
                .toPlainString()).append(", \"remaining_usd\": ").append(budget.usd().subtract(spent).max(
                BigDecimal.ZERO).stripTrailingZeros().toPlainString()).append(", \"exhausted\": ")
                .append(spent.compareTo(budget.usd()) >= 0).append(", \"period_end_ms\": ")
                .append(budget.period().endMs(at)).append('}');
            separator = ", ";
        }
        return out.append("}}").toString();
    }

    /** A model with limits, and what its buckets hold at the time shown (NaN: no such limit). */
    private record Bucket(String id, RateLimits limits, double requests, double tokens)
    {
    }

    private static List<Bucket> buckets(final CompiledCatalog catalog, final Limiter limiter, final long at)
    {
        final List<Bucket> buckets = new ArrayList<>();
        for (int m = 0; m < catalog.modelCount(); m++)
        {
            final double requests = limiter.requestsLeft(m, at);
            final double tokens = limiter.tokensLeft(m, at);
            if (!Double.isNaN(requests) || !Double.isNaN(tokens))
            {
                buckets.add(new Bucket(catalog.id(m), catalog.definition().models().get(catalog.id(m)).limits(),
                    requests, tokens));
            }
        }
        return buckets;
    }

    private static String left(final double value)
    {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.2f", value);
    }

    private static String limit(final long value)
    {
        return value == 0 ? "-" : String.format(Locale.ROOT, "%,d", value);
    }

    private static void columns(final StringBuilder out, final List<String[]> rows)
    {
        final int[] widths = new int[rows.get(0).length];
        for (final String[] row : rows)
        {
            for (int c = 0; c < row.length; c++)
            {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (final String[] row : rows)
        {
            for (int c = 0; c < row.length; c++)
            {
                out.append(c == 0 ? String.format("%-" + widths[c] + "s", row[c]) :
                    String.format("  %" + widths[c] + "s", row[c]));
            }
            out.append('\n');
        }
    }
}
