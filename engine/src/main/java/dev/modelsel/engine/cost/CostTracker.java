package dev.modelsel.engine.cost;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.limits.Limiter;

import java.util.function.Supplier;

/**
 * Records phases into {@link PhaseCounters}, each attempt charged at its own model's price (a phase that fell back
 * or escalated is several attempts, each at its model's price): the guide's "Implement Cost Tracking" and the
 * counts behind "Monitor Escalation Patterns".
 * <p>
 * Recording a model and category this process has seen before allocates nothing and takes no lock. Thread-safe.
 */
public final class CostTracker
{
    private final Supplier<CompiledCatalog> catalog;
    private final Supplier<Limiter> limiter;
    private final PhaseCounters counters;
    private volatile Pricing pricing;

    private CostTracker(final Supplier<CompiledCatalog> catalog, final Supplier<Limiter> limiter,
        final PhaseCounters counters)
    {
        this.catalog = catalog;
        this.limiter = limiter;
        this.counters = counters;
    }

    /** Prices by this catalog. */
    public static CostTracker create(final CompiledCatalog catalog, final PhaseCounters counters)
    {
        return new CostTracker(() -> catalog, () -> null, counters);
    }

    /**
     * Prices by whatever catalog the selector has now, through its reloads, and feeds its SPEC §7 limits: each
     * outcome's output tokens are taken from the model's tpm bucket and its cost added to the budgets covering it.
     */
    public static CostTracker following(final Selector selector, final PhaseCounters counters)
    {
        return new CostTracker(selector::catalog, selector::limiter, counters);
    }

    /**
     * Records one phase (one attempt) and returns what it cost, in whole micro-dollars (rounded half up).
     * A model the catalog lacks is priced with the catalog's defaults, and counted so; a model with no output price
     * costs nothing for its output, and is counted so.
     */
    public long record(final PhaseOutcome outcome)
    {
        return record(outcome, System.currentTimeMillis());
    }

    /**
     * As {@link #record(PhaseOutcome)}, the outcome made at {@code nowMs}: the time its tokens leave the model's tpm
     * bucket and the period its cost counts in for the budgets (SPEC §7).
     */
    public long record(final PhaseOutcome outcome, final long nowMs)
    {
        final Pricing pricing = pricing();
        final String model = outcome.model();
        final long costMicros = pricing.costMicros(model, outcome.inputTokens(), outcome.outputTokens());
        final boolean escalated = outcome.escalated();
        counters.reserve(model, outcome.category()); // whole or not at all: a full file refuses before anything is added
        counters.addAttempt(model, !outcome.success(), escalated, outcome.inputTokens(), outcome.outputTokens(),
            costMicros, !pricing.knows(model), !pricing.pricesOutput(model));
        counters.addPhase(outcome.category(), escalated);
        final Limiter limits = limiter.get();
        if (limits != null)
        {
            limits.record(model, outcome.outputTokens(), costMicros, nowMs);
        }
        return costMicros;
    }

    /** The pricing of the current catalog. */
    public Pricing pricing()
    {
        final CompiledCatalog current = catalog.get();
        Pricing cached = pricing;
        if (cached == null || cached.catalog() != current)
        {
            cached = new Pricing(current);
            pricing = cached;
        }
        return cached;
    }

    public PhaseCounters counters()
    {
        return counters;
    }
}
