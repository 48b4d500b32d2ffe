package dev.modelsel.engine.cli;

import dev.modelsel.engine.cost.PhaseCounters;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import dev.modelsel.engine.protocol.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code modelsel stats}: the shared phase counters, live, from any process (in the manner of Aeron's AeronStat). */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
        "Shows the phase counters that every modelsel process on this host records into.",
        "Per model: attempts, failures, escalations, tokens and spend; per category: phases and escalations.",
        "Default file: -Dmodelsel.counters, else /dev/shm/modelsel/counters (memory only, gone at reboot), else " +
            "modelsel/counters under the temp directory.",
        "With --cluster: this host's counters, each other host's (as its replicator keeps them in PATH.hosts/), " +
            "and their sum."})
final class StatsCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--counters", paramLabel = "PATH", description = "The counters file. Default: see above.")
    Path counters;

    @Option(names = "--watch", description = "Show them again every second, until interrupted.")
    boolean watch;

    @Option(names = "--json", description = "One JSON object: {\"models\": {...}, \"categories\": {...}}; with " +
        "--cluster, {\"hosts\": [...], \"models\": sum, \"categories\": sum}.")
    boolean json;

    @Option(names = "--cluster", description = "Every host of the cluster: this host's counters, those of each other " +
        "host that `modelsel replicate` keeps beside them, and the sum. Nothing counted twice.")
    boolean cluster;

    @Override
    public Integer call() throws InterruptedException
    {
        final Path path = counters == null ? SharedPhaseCounters.defaultPath() : counters;
        final PrintWriter out = spec.commandLine().getOut();
        if (cluster)
        {
            new ClusterStats(path, json, out, spec.commandLine().getErr()).show(watch);
            return 0;
        }
        if (!Files.exists(path))
        {
            out.println(json ? "{\"models\": {}, \"categories\": {}}" : "no counters at " + path + " yet (nothing recorded)");
            out.flush();
            return 0;
        }
        final SharedPhaseCounters shared = CountersSource.openShared(path);
        reportCorrupt(shared, spec.commandLine().getErr());
        do
        {
            if (watch && !json)
            {
                out.print("\033[H\033[2J"); // home, clear: a screen that updates in place
            }
            out.println(json ? json(shared) : table(shared));
            out.flush();
            if (watch)
            {
                Thread.sleep(1000);
            }
        }
        while (watch);
        return 0;
    }

    /** Damaged records are named on stderr, once, and left out of the counts; the rest are shown. */
    static void reportCorrupt(final SharedPhaseCounters counters, final PrintWriter err)
    {
        final int[] corrupt = {0};
        counters.forEachCorrupt((record, why) ->
        {
            corrupt[0]++;
            err.println("modelsel: " + counters.path() + ": record " + record + " is corrupt (" + why + "); skipped");
        });
        if (corrupt[0] > 0)
        {
            err.println("modelsel: " + counters.path() + ": the other records are shown; to start counting afresh, " +
                "delete the file when no process records");
        }
        err.flush();
    }

    private static String table(final SharedPhaseCounters counters)
    {
        final Map<String, PhaseCounters.ModelCounts> models = new TreeMap<>();
        final Map<String, PhaseCounters.CategoryCounts> categories = new TreeMap<>();
        counters.forEachModel(models::put);
        counters.forEachCategory(categories::put);
        final StringBuilder sb = new StringBuilder();
        sb.append(counters.path()).append(" at ").append(Instant.now()).append('\n');
        return appendTables(sb, models, categories).toString();
    }

    /** The models' and the categories' tables, and what their marks mean. */
    static StringBuilder appendTables(final StringBuilder sb, final Map<String, PhaseCounters.ModelCounts> models,
        final Map<String, PhaseCounters.CategoryCounts> categories)
    {
        final int width = Display.printableWidth(models.keySet(), 8);
        sb.append(String.format(Locale.ROOT, "%-" + width + "s %9s %9s %11s %14s %14s %14s%n", "model", "attempts",
            "failures", "escalations", "input tokens", "output tokens", "spend $"));
        models.forEach((name, c) -> sb.append(String.format(Locale.ROOT, "%-" + width + "s %9d %9d %11d %14d %14d %14s%s%n",
            Display.printable(name), c.attempts(), c.failures(), c.escalations(), c.inputTokens(),
            c.outputTokens(), dollars(c.spendMicros()), (c.pricedByDefaults() > 0 ? " *" : "") +
            (c.outputUnpriced() > 0 ? " +" : ""))));
        sb.append('\n');
        final int categoryWidth = Display.printableWidth(categories.keySet(), 8);
        sb.append(String.format(Locale.ROOT, "%-" + categoryWidth + "s %9s %11s %8s%n", "category", "phases",
            "escalations", "rate"));
        categories.forEach((name, c) -> sb.append(String.format(Locale.ROOT, "%-" + categoryWidth + "s %9d %11d %7.1f%%%n",
            Display.printable(name), c.phases(), c.escalations(),
            c.phases() == 0 ? 0.0 : 100.0 * c.escalations() / c.phases())));
        sb.append("* priced with the catalog's defaults (not in its catalog)   + no output price: output counted 0");
        return sb;
    }

    private static String json(final SharedPhaseCounters counters)
    {
        final Map<String, PhaseCounters.ModelCounts> models = new TreeMap<>();
        final Map<String, PhaseCounters.CategoryCounts> categories = new TreeMap<>();
        counters.forEachModel(models::put);
        counters.forEachCategory(categories::put);
        return appendJson(new StringBuilder("{"), models, categories).append('}').toString();
    }

    /** {@code "models": {...}, "categories": {...}}. */
    static StringBuilder appendJson(final StringBuilder sb, final Map<String, PhaseCounters.ModelCounts> models,
        final Map<String, PhaseCounters.CategoryCounts> categories)
    {
        sb.append("\"models\": {");
        final String[] separator = {""};
        models.forEach((name, c) ->
        {
            Json.appendString(sb.append(separator[0]), name).append(": {\"attempts\": ").append(c.attempts())
                .append(", \"failures\": ").append(c.failures()).append(", \"escalations\": ").append(c.escalations())
                .append(", \"input_tokens\": ").append(c.inputTokens()).append(", \"output_tokens\": ")
                .append(c.outputTokens()).append(", \"spend_micros\": ").append(c.spendMicros())
                .append(", \"priced_by_defaults\": ").append(c.pricedByDefaults()).append(", \"output_unpriced\": ")
                .append(c.outputUnpriced()).append('}');
            separator[0] = ", ";
        });
        sb.append("}, \"categories\": {");
        separator[0] = "";
        categories.forEach((name, c) ->
        {
            Json.appendString(sb.append(separator[0]), name).append(": {\"phases\": ").append(c.phases())
                .append(", \"escalations\": ").append(c.escalations()).append('}');
            separator[0] = ", ";
        });
        return sb.append('}');
    }

    static String dollars(final long micros)
    {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }
}
