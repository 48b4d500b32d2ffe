package dev.modelsel.benchmarks;

import dev.modelsel.catalog.CatalogDefinition;
import dev.modelsel.catalog.ModelDefinition;
import dev.modelsel.catalog.TierDefinition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The baseline: the guide's Python ported the plain way a Java developer would port it. Maps of model id to
 * limit, cost and capability with the guide's {@code .get()} defaults, tiers as lists, {@code filter} and
 * {@code stream().max(comparator)} for the best score, availability in hash maps, and a new result object per
 * call. It follows SPEC §3 (the same answers as the production selector, checked request by request before a
 * benchmark runs), so the comparison measures the implementation, not a different algorithm.
 * <p>
 * Not thread-safe.
 */
final class NaiveSelector
{
    /** One answer, allocated per call as the port would. */
    record Result(String status, String model, Integer tier, int initialTier, String fallback, Long retryAtMs)
    {
    }

    private final Map<String, Long> contextWindows = new HashMap<>();
    private final Map<String, Double> costs = new HashMap<>();
    private final Map<String, Double> capabilities = new HashMap<>();
    private final Map<Integer, List<String>> tiers = new HashMap<>();
    private final Map<Integer, Double> floors = new HashMap<>();
    private final Map<String, Integer> complexityTiers = new HashMap<>();
    private final double safetyMargin;
    private final Map<String, Boolean> down = new HashMap<>();
    private final Map<String, Long> cooldowns = new HashMap<>();

    NaiveSelector(final CatalogDefinition catalog)
    {
        for (final ModelDefinition model : catalog.models().values())
        {
            contextWindows.put(model.id(), model.contextWindow());
            costs.put(model.id(), model.inputCostPerMtok());
            capabilities.put(model.id(), model.capability());
        }
        for (final TierDefinition tier : catalog.tiers())
        {
            tiers.put(tier.number(), new ArrayList<>(tier.models()));
            floors.put(tier.number(), tier.minCapability());
        }
        complexityTiers.put("low", catalog.initialTiers().get(0));
        complexityTiers.put("medium", catalog.initialTiers().get(1));
        complexityTiers.put("high", catalog.initialTiers().get(2));
        safetyMargin = catalog.safetyMargin();
    }

    void setDown(final String model)
    {
        down.put(model, true);
    }

    void setRateLimited(final String model, final long untilMs)
    {
        cooldowns.merge(model, untilMs, Math::max);
    }

    Result select(final String complexity, final long estimatedTokens, final long nowMs)
    {
        final int initialTier = complexityTiers.get(complexity);
        int tier = initialTier;
        List<String> validModels = validModels(tier, estimatedTokens);
        while (validModels.isEmpty())
        {
            if (tier == 1)
            {
                return new Result("NO_MODEL_FITS", null, null, initialTier, null, null);
            }
            tier = tier - 1; // escalate
            validModels = validModels(tier, estimatedTokens);
        }
        final String bestModel = bestModel(validModels).orElseThrow();
        if (isAvailable(bestModel, nowMs))
        {
            return new Result("OK", bestModel, tier, initialTier, "NONE", null);
        }
        return fallback(tier, validModels, estimatedTokens, nowMs, initialTier);
    }

    private Result fallback(
        final int tier, final List<String> validModels, final long estimatedTokens, final long nowMs, final int initialTier)
    {
        final List<String> sameTier = validModels.stream()
            .filter(m -> isAvailable(m, nowMs))
            .collect(Collectors.toList());
        if (!sameTier.isEmpty())
        {
            return new Result("OK", bestModel(sameTier).orElseThrow(), tier, initialTier, "SAME_TIER", null);
        }
        if (tiers.containsKey(tier + 1))
        {
            final List<String> lowerTier = validModels(tier + 1, estimatedTokens).stream()
                .filter(m -> isAvailable(m, nowMs))
                .collect(Collectors.toList());
            if (!lowerTier.isEmpty())
            {
                return new Result("OK", bestModel(lowerTier).orElseThrow(), tier + 1, initialTier, "LOWER_TIER", null);
            }
        }
        final List<String> fitting = new ArrayList<>();
        for (int t = 1; tiers.containsKey(t); t++)
        {
            for (final String model : tiers.get(t))
            {
                if (validateTokenBudget(model, estimatedTokens))
                {
                    fitting.add(model);
                }
            }
        }
        final List<String> anyTier = new ArrayList<>(new LinkedHashSet<>(fitting)).stream()
            .filter(m -> isAvailable(m, nowMs))
            .collect(Collectors.toList());
        if (!anyTier.isEmpty())
        {
            final String model = bestModel(anyTier).orElseThrow();
            return new Result("OK", model, modelTier(model), initialTier, "ANY", null);
        }
        final Optional<Long> retryAt = fitting.stream()
            .filter(m -> !down.getOrDefault(m, false))
            .map(m -> cooldowns.getOrDefault(m, Long.MIN_VALUE))
            .filter(until -> until > nowMs)
            .min(Comparator.naturalOrder());
        return new Result("NO_MODEL_AVAILABLE", null, null, initialTier, null, retryAt.orElse(null));
    }

    private List<String> validModels(final int tier, final long estimatedTokens)
    {
        return tiers.get(tier).stream()
            .filter(m -> validateTokenBudget(m, estimatedTokens))
            .filter(m -> capabilities.getOrDefault(m, 0.7) >= floors.get(tier))
            .collect(Collectors.toList());
    }

    private boolean validateTokenBudget(final String model, final long estimatedTokens)
    {
        final long limit = contextWindows.getOrDefault(model, 100_000L);
        return estimatedTokens <= Math.floor(limit * safetyMargin);
    }

    private double calculateCostScore(final String model)
    {
        final double cost = costs.getOrDefault(model, 5.0);
        final double capability = capabilities.getOrDefault(model, 0.7);
        return cost == 0 ? Double.POSITIVE_INFINITY : capability / cost;
    }

    /** {@code max()} keeps the first of equal scores, as Python's does. */
    private Optional<String> bestModel(final List<String> models)
    {
        return models.stream().max(Comparator.comparingDouble(this::calculateCostScore));
    }

    private boolean isAvailable(final String model, final long nowMs)
    {
        return !down.getOrDefault(model, false) && cooldowns.getOrDefault(model, Long.MIN_VALUE) <= nowMs;
    }

    private int modelTier(final String model)
    {
        for (int t = 1; tiers.containsKey(t); t++)
        {
            if (tiers.get(t).contains(model))
            {
                return t;
            }
        }
        throw new IllegalStateException(model + " is in no tier");
    }
}
