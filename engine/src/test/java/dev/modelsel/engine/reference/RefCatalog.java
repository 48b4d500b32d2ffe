package dev.modelsel.engine.reference;

import java.math.BigDecimal;
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
        /** SPEC §7 limits a minute; {@code null} where not given. */
        public Long rpm;
        public Long tpm;
    }

    /** A SPEC §7 budget as written: exactly one of provider and model. */
    public static final class Budget
    {
        public String name;
        public String provider;
        public String model;
        public BigDecimal usd;
        /** hour, day or month. */
        public String period;
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
    /** SPEC §7 budgets, in file order. */
    public final List<Budget> budgets = new ArrayList<>();

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

    /** SPEC §7: the model's rpm or tpm limit, {@code null} for none (a model the file does not declare has none). */
    public Long rpm(final String id)
    {
        final Model m = models.get(id);
        return m == null ? null : m.rpm;
    }

    public Long tpm(final String id)
    {
        final Model m = models.get(id);
        return m == null ? null : m.tpm;
    }

    public String provider(final String id)
    {
        final Model m = models.get(id);
        return m == null ? null : m.provider;
    }

    /** Whether the catalog has the model: declared, or listed in a tier. */
    public boolean has(final String id)
    {
        return models.containsKey(id) || tieredIds().contains(id);
    }

    /** SPEC §7's prices, as the file's decimals: a price the model does not give is the default's. */
    public BigDecimal inputPrice(final String id)
    {
        return new BigDecimal(Double.toString(inputCost(id)));
    }

    /** The output price, 0 when neither the model nor the defaults give one (the defaults here never do). */
    public BigDecimal outputPrice(final String id)
    {
        final Model m = models.get(id);
        return m != null && m.outputCostPerMtok != null ? new BigDecimal(Double.toString(m.outputCostPerMtok)) :
            BigDecimal.ZERO;
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

    /** A catalog file written as JSON (the vectors' form), read field by field as SPEC §2 names them. */
    public static RefCatalog fromJson(final com.fasterxml.jackson.databind.JsonNode json)
    {
        final RefCatalog catalog = new RefCatalog();
        catalog.safetyMargin = json.has("safety_margin") ? json.get("safety_margin").doubleValue() : null;
        final com.fasterxml.jackson.databind.JsonNode defaults = json.path("defaults");
        catalog.defaultContextWindow = defaults.has("context_window") ? defaults.get("context_window").longValue() : null;
        catalog.defaultInputCost = defaults.has("input_cost_per_mtok") ? defaults.get("input_cost_per_mtok")
            .doubleValue() : null;
        catalog.defaultCapability = defaults.has("capability") ? defaults.get("capability").doubleValue() : null;
        json.path("complexity_tiers").fields().forEachRemaining(e -> catalog.complexityTiers.put(e.getKey(),
            e.getValue().intValue()));
        final com.fasterxml.jackson.databind.JsonNode escalation = json.path("escalation");
        catalog.maxRetries = escalation.has("max_retries") ? escalation.get("max_retries").intValue() : null;
        catalog.qualityThreshold = escalation.has("quality_threshold") ? escalation.get("quality_threshold")
            .doubleValue() : null;
        json.path("models").fields().forEachRemaining(e ->
        {
            final com.fasterxml.jackson.databind.JsonNode f = e.getValue();
            final Model m = new Model();
            m.contextWindow = f.has("context_window") ? f.get("context_window").longValue() : null;
            m.inputCostPerMtok = f.has("input_cost_per_mtok") ? f.get("input_cost_per_mtok").doubleValue() : null;
            m.outputCostPerMtok = f.has("output_cost_per_mtok") ? f.get("output_cost_per_mtok").doubleValue() : null;
            m.capability = f.has("capability") ? f.get("capability").doubleValue() : null;
            m.provider = f.has("provider") ? f.get("provider").asText() : null;
            m.rpm = f.path("limits").has("rpm") ? f.get("limits").get("rpm").longValue() : null;
            m.tpm = f.path("limits").has("tpm") ? f.get("limits").get("tpm").longValue() : null;
            catalog.models.put(e.getKey(), m);
        });
        for (final com.fasterxml.jackson.databind.JsonNode t : json.path("tiers"))
        {
            final Tier tier = new Tier();
            tier.number = t.get("tier").intValue();
            tier.minCapability = t.has("min_capability") ? t.get("min_capability").doubleValue() : null;
            t.get("models").forEach(id -> tier.models.add(id.asText()));
            catalog.tiers.add(tier);
        }
        for (final com.fasterxml.jackson.databind.JsonNode b : json.path("budgets"))
        {
            final Budget budget = new Budget();
            budget.name = b.get("name").asText();
            budget.provider = b.has("provider") ? b.get("provider").asText() : null;
            budget.model = b.has("model") ? b.get("model").asText() : null;
            budget.usd = new BigDecimal(b.get("usd").asText());
            budget.period = b.get("period").asText();
            catalog.budgets.add(budget);
        }
        return catalog;
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
            if (m.rpm != null || m.tpm != null)
            {
                final Map<String, Object> limits = new LinkedHashMap<>();
                putIfSet(limits, "rpm", m.rpm);
                putIfSet(limits, "tpm", m.tpm);
                fields.put("limits", limits);
            }
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
        if (!budgets.isEmpty())
        {
            final List<Object> budgetsJson = new ArrayList<>();
            for (final Budget budget : budgets)
            {
                final Map<String, Object> b = new LinkedHashMap<>();
                b.put("name", budget.name);
                putIfSet(b, "provider", budget.provider);
                putIfSet(b, "model", budget.model);
                b.put("usd", budget.usd);
                b.put("period", budget.period);
                budgetsJson.add(b);
            }
            json.put("budgets", budgetsJson);
        }
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
