package dev.modelsel.engine.reference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A catalog as plain test data, the way SPEC §2 writes it: fields left out are {@code null} and read through
 * the defaults here, not through the product's loader. {@link #toJson()} gives the file the product loads.
 */
public final class RefCatalog
{
    /** A model's attributes as written; {@code null} where the file leaves a field out. */
    public static final class Model
    {
        public Long contextWindow;
        public Double inputCostPerMtok;
        public Double outputCostPerMtok;
        public Double capability;
        public String provider;
    }

    /** A tier as written; {@code minCapability} {@code null} when left out. */
    public static final class Tier
    {
        public int number;
        public Double minCapability;
        public final List<String> models = new ArrayList<>();
    }

    public Double safetyMargin;
    public Long defaultContextWindow;
    public Double defaultInputCost;
    public Double defaultCapability;
    public final Map<String, Integer> complexityTiers = new LinkedHashMap<>();
    public Integer maxRetries;
    public Double qualityThreshold;
    /** Declared models, in file order. */
    public final Map<String, Model> models = new LinkedHashMap<>();
    /** Tiers in file order (not necessarily by number). */
    public final List<Tier> tiers = new ArrayList<>();

    public int tierCount()
    {
        return tiers.size();
    }

    public Tier tier(final int number)
    {
        return tiers.stream().filter(t -> t.number == number).findFirst().orElseThrow();
    }

    public double margin()
    {
        return safetyMargin != null ? safetyMargin : 0.85;
    }

    public long contextWindow(final String id)
    {
        final Model m = models.get(id);
        if (m != null && m.contextWindow != null)
        {
            return m.contextWindow;
        }
        return defaultContextWindow != null ? defaultContextWindow : 100_000;
    }

    public double inputCost(final String id)
    {
        final Model m = models.get(id);
        if (m != null && m.inputCostPerMtok != null)
        {
            return m.inputCostPerMtok;
        }
        return defaultInputCost != null ? defaultInputCost : 5.0;
    }

    public double capability(final String id)
    {
        final Model m = models.get(id);
        if (m != null && m.capability != null)
        {
            return m.capability;
        }
        return defaultCapability != null ? defaultCapability : 0.7;
    }

    public double minCapability(final int tier)
    {
        final Double floor = tier(tier).minCapability;
        return floor != null ? floor : 0.0;
    }

    /** SPEC §2: a key left out takes high 1, medium min(2, N), low min(3, N). */
    public int initialTier(final String complexity)
    {
        final Integer given = complexityTiers.get(complexity);
        if (given != null)
        {
            return given;
        }
        switch (complexity)
        {
            case "high":
                return 1;
            case "medium":
                return Math.min(2, tierCount());
            default:
                return Math.min(3, tierCount());
        }
    }

    public int maxRetries()
    {
        return maxRetries != null ? maxRetries : 2;
    }

    public double qualityThreshold()
    {
        return qualityThreshold != null ? qualityThreshold : 0.8;
    }

    /** Every id some tier lists, each once, in order of first appearance (tier 1 first). */
    public List<String> tieredIds()
    {
        final List<String> ids = new ArrayList<>();
        for (int t = 1; t <= tierCount(); t++)
        {
            for (final String id : tier(t).models)
            {
                if (!ids.contains(id))
                {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** The catalog file, as maps and lists for a JSON writer. */
    public Map<String, Object> toJson()
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", 1);
        if (safetyMargin != null)
        {
            json.put("safety_margin", safetyMargin);
        }
        final Map<String, Object> defaults = new LinkedHashMap<>();
        putIfSet(defaults, "context_window", defaultContextWindow);
        putIfSet(defaults, "input_cost_per_mtok", defaultInputCost);
        putIfSet(defaults, "capability", defaultCapability);
        if (!defaults.isEmpty())
        {
            json.put("defaults", defaults);
        }
        if (!complexityTiers.isEmpty())
        {
            json.put("complexity_tiers", complexityTiers);
        }
        final Map<String, Object> escalation = new LinkedHashMap<>();
        putIfSet(escalation, "max_retries", maxRetries);
        putIfSet(escalation, "quality_threshold", qualityThreshold);
        if (!escalation.isEmpty())
        {
            json.put("escalation", escalation);
        }
        final Map<String, Object> modelsJson = new LinkedHashMap<>();
        models.forEach((id, m) ->
        {
            final Map<String, Object> fields = new LinkedHashMap<>();
            putIfSet(fields, "context_window", m.contextWindow);
            putIfSet(fields, "input_cost_per_mtok", m.inputCostPerMtok);
            putIfSet(fields, "output_cost_per_mtok", m.outputCostPerMtok);
            putIfSet(fields, "capability", m.capability);
            putIfSet(fields, "provider", m.provider);
            modelsJson.put(id, fields);
        });
        json.put("models", modelsJson);
        final List<Object> tiersJson = new ArrayList<>();
        for (final Tier tier : tiers)
        {
            final Map<String, Object> t = new LinkedHashMap<>();
            t.put("tier", tier.number);
            putIfSet(t, "min_capability", tier.minCapability);
            t.put("models", tier.models);
            tiersJson.add(t);
        }
        json.put("tiers", tiersJson);
        return json;
    }

    private static void putIfSet(final Map<String, Object> into, final String key, final Object value)
    {
        if (value != null)
        {
            into.put(key, value);
        }
    }
}
