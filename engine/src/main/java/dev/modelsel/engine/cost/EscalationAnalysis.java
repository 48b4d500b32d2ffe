package dev.modelsel.engine.cost;

import dev.modelsel.catalog.CompiledCatalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The guide's {@code analyze_escalations} over an execution history, its bug fixed (tier 1 is the most capable: a
 * phase escalated when {@code final_tier < initial_tier}), with the cost of every attempt at its own model's price.
 * Per category: phases, escalations, the rate, and whether to raise the category's default complexity (more
 * escalations than the threshold, the guide's {@code count > 5}).
 * <p>
 * Not thread-safe: feed it from one thread, then take its {@link #report()}.
 */
public final class EscalationAnalysis
{
    /** The guide's threshold: more than 5 escalations and the category should start higher. */
    public static final int DEFAULT_THRESHOLD = 5;
    /**
     * How many skipped lines the report lists; the rest are only counted, so that a history of millions of bad lines
     * reads in memory that does not grow with it.
     */
    public static final int MAX_SKIPPED_LISTED = 100;

    /** One category's figures. */
    public record CategoryReport(long phases, long escalated, double escalationRate, boolean raiseComplexity)
    {
    }

    /** A history line that was not a record, and why. */
    public record Skipped(long line, String why)
    {
    }

    /**
     * The whole analysis.
     *
     * @param categories       by name.
     * @param totalCostUsd     every attempt at its model's price, exact in decimal.
     * @param costByModelUsd   by model id.
     * @param pricedByDefaults models the catalog lacks, priced with its defaults.
     * @param outputUnpriced   models without an output price: their output counted 0.
     * @param skipped          the first {@link #MAX_SKIPPED_LISTED} lines that were not records.
     * @param skippedLines     how many lines were not records, all of them.
     * @param threshold        the escalation count a category must pass to be flagged.
     */
    public record Report(
        Map<String, CategoryReport> categories,
        BigDecimal totalCostUsd,
        Map<String, BigDecimal> costByModelUsd,
        List<String> pricedByDefaults,
        List<String> outputUnpriced,
        List<Skipped> skipped,
        long skippedLines,
        int threshold)
    {
    }

    private final Pricing pricing;
    private final int threshold;
    private final Map<String, long[]> categories = new TreeMap<>();
    private final Map<String, BigDecimal> costByModel = new TreeMap<>();
    private final TreeSet<String> pricedByDefaults = new TreeSet<>();
    private final TreeSet<String> outputUnpriced = new TreeSet<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private long skippedLines;
    private BigDecimal total = BigDecimal.ZERO;

    public EscalationAnalysis(final Pricing pricing, final int threshold)
    {
        this.pricing = pricing;
        this.threshold = threshold;
    }

    /** The catalog whose prices and tiers the history is read by. */
    public CompiledCatalog catalog()
    {
        return pricing.catalog();
    }

    public void add(final PhaseOutcome outcome)
    {
        final long[] counts = categories.computeIfAbsent(outcome.category(), c -> new long[2]);
        counts[0]++;
        counts[1] += outcome.escalated() ? 1 : 0;
        final String model = outcome.model();
        final BigDecimal cost = pricing.costUsd(model, outcome.inputTokens(), outcome.outputTokens());
        costByModel.merge(model, cost, BigDecimal::add);
        total = total.add(cost);
        if (!pricing.knows(model))
        {
            pricedByDefaults.add(model);
        }
        if (!pricing.pricesOutput(model))
        {
            outputUnpriced.add(model);
        }
    }

    public void skip(final long line, final String why)
    {
        if (skipped.size() < MAX_SKIPPED_LISTED)
        {
            skipped.add(new Skipped(line, why));
        }
        skippedLines++;
    }

    public Report report()
    {
        final Map<String, CategoryReport> byCategory = new TreeMap<>();
        categories.forEach((category, counts) -> byCategory.put(category, new CategoryReport(counts[0], counts[1],
            (double)counts[1] / counts[0], counts[1] > threshold)));
        final Map<String, BigDecimal> costs = new TreeMap<>();
        costByModel.forEach((model, cost) -> costs.put(model, cost.stripTrailingZeros()));
        return new Report(Collections.unmodifiableMap(byCategory), total.stripTrailingZeros(),
            Collections.unmodifiableMap(costs), List.copyOf(pricedByDefaults), List.copyOf(outputUnpriced),
            List.copyOf(skipped), skippedLines, threshold);
    }
}
