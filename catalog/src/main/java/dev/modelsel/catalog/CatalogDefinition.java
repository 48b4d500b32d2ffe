package dev.modelsel.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A catalog as loaded and validated, defaults applied: the input to {@link CatalogCompiler}.
 *
 * @param source       where it came from, for messages.
 * @param safetyMargin in (0, 1]: a model fits n tokens when {@code n <= floor(context_window * safetyMargin)}.
 * @param defaults     what models take for fields they leave out.
 * @param initialTiers the initial tier of each complexity, indexed by {@link Complexity#ordinal()}.
 * @param escalation   retry and quality limits.
 * @param models       every model: those the file declares, in file order, then tiered models that take all the defaults.
 * @param tiers        tiers 1..N, in number order.
 */
public record CatalogDefinition(
    String source,
    double safetyMargin,
    ModelDefaults defaults,
    List<Integer> initialTiers,
    EscalationPolicy escalation,
    Map<String, ModelDefinition> models,
    List<TierDefinition> tiers,
    List<BudgetDefinition> budgets)
{
    public CatalogDefinition
    {
        initialTiers = List.copyOf(initialTiers);
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        tiers = List.copyOf(tiers);
        budgets = List.copyOf(budgets);
    }

    public int initialTier(final Complexity complexity)
    {
        return initialTiers.get(complexity.ordinal());
    }

    public TierDefinition tier(final int number)
    {
        return tiers.get(number - 1);
    }

    /** Whether the catalog gives any limit or budget (SPEC §7); without, selection is exactly SPEC §3's. */
    public boolean hasLimits()
    {
        return !budgets.isEmpty() || models.values().stream().anyMatch(model -> model.limits().any());
    }
}
