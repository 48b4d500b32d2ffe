package dev.modelsel.catalog;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks a parsed catalog against SPEC §2 and builds its {@link CatalogDefinition}. Finds every problem it
 * can in one pass rather than stopping at the first, so a user fixes a file in one round.
 */
final class CatalogValidator
{
    /** Context windows are compared after a multiplication in double: keep them exact in one. */
    static final long MAX_CONTEXT_WINDOW = 1L << 53;

    private static final List<String> TOP_KEYS =
        List.of("version", "safety_margin", "defaults", "complexity_tiers", "escalation", "models", "tiers", "budgets");
    private static final List<String> MODEL_KEYS =
        List.of("context_window", "input_cost_per_mtok", "output_cost_per_mtok", "capability", "provider", "limits");
    private static final List<String> LIMIT_KEYS = List.of("rpm", "tpm");
    private static final List<String> BUDGET_KEYS = List.of("name", "provider", "model", "usd", "period");
    /** The most dollars a budget may give a period: its spend is counted in 42 bits of micro-dollars ($4.39 million). */
    private static final BigDecimal MAX_BUDGET_USD = BigDecimal.valueOf(4_000_000);
    private static final List<String> DEFAULT_KEYS =
        List.of("context_window", "input_cost_per_mtok", "output_cost_per_mtok", "capability");
    private static final List<String> ESCALATION_KEYS = List.of("max_retries", "quality_threshold");
    private static final List<String> TIER_KEYS = List.of("tier", "min_capability", "models");
    private static final List<String> COMPLEXITY_KEYS = List.of("low", "medium", "high");
    /** Problems in file order (a stable sort keeps the order found within a line). */
    private static final Comparator<CatalogProblem> BY_LINE = Comparator.comparingInt(CatalogProblem::line);

    private final String source;
    private final List<CatalogProblem> errors = new ArrayList<>();
    private final List<CatalogProblem> warnings = new ArrayList<>();

    private CatalogValidator(final String source)
    {
        this.source = source;
    }

    static LoadedCatalog validate(final String source, final SourceNode root) throws CatalogException
    {
        final CatalogValidator validator = new CatalogValidator(source);
        final CatalogDefinition definition = validator.catalog(root);
        validator.errors.sort(BY_LINE);
        validator.warnings.sort(BY_LINE);
        if (!validator.errors.isEmpty())
        {
            throw new CatalogException(validator.errors, validator.warnings);
        }
        return new LoadedCatalog(definition, validator.warnings);
    }

    private CatalogDefinition catalog(final SourceNode root)
    {
        if (!root.is(SourceNode.Kind.MAPPING))
        {
            error("", root.line(), "a catalog is a mapping with \"version\" and \"tiers\", not " + root.kind().description);
            return null;
        }
        final Map<String, SourceNode.Entry> top = withoutNullSections(root.entries());
        unknownKeys("", top, TOP_KEYS);

        final SourceNode.Entry version = top.get("version");
        if (version == null)
        {
            error("version", root.line(), "required key is missing; add \"version: 1\"");
        }
        else
        {
            integer(version.value(), "version", BigInteger.ONE, BigInteger.ONE, "must be 1");
        }

        final double margin = decimal(top.get("safety_margin"), "safety_margin", 0.85, Range.MARGIN);
        final ModelDefaults defaults = defaults(top.get("defaults"));
        final EscalationPolicy escalation = escalation(top.get("escalation"));
        final List<TierEntry> tiers = tiers(top.get("tiers"), root.line());
        final int tierCount = tiersNumberedOneToN(tiers, top.get("tiers")) ? tiers.size() : 0;
        final List<Integer> initialTiers = initialTiers(top.get("complexity_tiers"), tierCount);
        final Map<String, ModelDefinition> models = models(top.get("models"), defaults, tiers);
        final List<BudgetDefinition> budgets = budgets(top.get("budgets"), models);

        if (!errors.isEmpty())
        {
            return null;
        }
        final List<TierDefinition> ordered = new ArrayList<>();
        tiers.stream()
            .sorted((a, b) -> Integer.compare(a.number, b.number))
            .forEach(tier -> ordered.add(new TierDefinition(tier.number, tier.minCapability, tier.models)));
        return new CatalogDefinition(source, margin, defaults, initialTiers, escalation, models, ordered, budgets);
    }

    /**
     * A section written with no value ({@code models:} alone) is as good as left out, except {@code version} and
     * {@code tiers}, whose emptiness is an error said by their own checks.
     */
    private static Map<String, SourceNode.Entry> withoutNullSections(final Map<String, SourceNode.Entry> entries)
    {
        final Map<String, SourceNode.Entry> kept = new LinkedHashMap<>(entries);
        kept.values().removeIf(entry -> entry.value().is(SourceNode.Kind.NULL) &&
            !entry.key().equals("version") && !entry.key().equals("tiers"));
        return kept;
    }

    /** A tier as read, before its number is known to fit 1..N. */
    private static final class TierEntry
    {
        final String path;
        final int line;
        int number;
        double minCapability;
        final List<String> models = new ArrayList<>();
        final List<Integer> modelLines = new ArrayList<>();

        TierEntry(final String path, final int line)
        {
            this.path = path;
            this.line = line;
        }
    }

    private List<TierEntry> tiers(final SourceNode.Entry entry, final int rootLine)
    {
        final List<TierEntry> tiers = new ArrayList<>();
        if (entry == null)
        {
            error("tiers", rootLine, "required key is missing; list the tiers, tier 1 the most capable");
            return tiers;
        }
        final SourceNode list = entry.value();
        if (!expect(list, "tiers", SourceNode.Kind.LIST))
        {
            return tiers;
        }
        if (list.items().isEmpty())
        {
            error("tiers", list.line(), "needs at least one tier");
        }
        for (int i = 0; i < list.items().size(); i++)
        {
            final String path = CatalogPaths.item("tiers", i);
            final SourceNode node = list.items().get(i);
            if (!expect(node, path, SourceNode.Kind.MAPPING))
            {
                continue;
            }
            final TierEntry tier = new TierEntry(path, node.line());
            unknownKeys(path, node.entries(), TIER_KEYS);
            final SourceNode.Entry number = node.entries().get("tier");
            if (number == null)
            {
                error(path + ".tier", node.line(), "required key is missing; give the tier's number, 1.." +
                    list.items().size());
                tier.number = -1;
            }
            else
            {
                final Long value = integer(number.value(), path + ".tier", BigInteger.ONE,
                    BigInteger.valueOf(Integer.MAX_VALUE), "must be a tier number from 1");
                tier.number = value == null ? -1 : value.intValue();
            }
            tier.minCapability = decimal(node.entries().get("min_capability"), path + ".min_capability", 0.0,
                Range.NON_NEGATIVE);
            tierModels(node, tier);
            tiers.add(tier);
        }
        return tiers;
    }

    private void tierModels(final SourceNode tierNode, final TierEntry tier)
    {
        final String path = tier.path + ".models";
        final SourceNode.Entry entry = tierNode.entries().get("models");
        if (entry == null)
        {
            error(path, tierNode.line(), "required key is missing; list the tier's models");
            return;
        }
        if (!expect(entry.value(), path, SourceNode.Kind.LIST))
        {
            return;
        }
        final List<SourceNode> items = entry.value().items();
        if (items.isEmpty())
        {
            error(path, entry.value().line(), "an empty tier; list at least one model or remove the tier");
        }
        final Map<String, Integer> seenAt = new HashMap<>();
        for (int j = 0; j < items.size(); j++)
        {
            final String itemPath = CatalogPaths.item(path, j);
            final SourceNode item = items.get(j);
            final String id = modelId(item, itemPath);
            if (id == null)
            {
                continue;
            }
            final Integer earlier = seenAt.putIfAbsent(id, j);
            if (earlier != null)
            {
                error(itemPath, item.line(), "model \"" + id + "\" is listed twice in this tier (also " +
                    CatalogPaths.item(path, earlier) + "); list it once");
                continue;
            }
            tier.models.add(id);
            tier.modelLines.add(item.line());
        }
    }

    private String modelId(final SourceNode item, final String path)
    {
        if (!item.is(SourceNode.Kind.STRING))
        {
            error(path, item.line(), "a model id is a string, not " + item.kind().description +
                (item.isNumber() || item.is(SourceNode.Kind.BOOLEAN) ? "; quote it: \"" + item.describe() + "\"" : ""));
            return null;
        }
        if (item.text().isEmpty())
        {
            error(path, item.line(), "a model id cannot be empty");
            return null;
        }
        return item.text();
    }

    private boolean tiersNumberedOneToN(final List<TierEntry> tiers, final SourceNode.Entry entry)
    {
        if (tiers.isEmpty() || entry == null)
        {
            return false;
        }
        boolean numbered = true;
        final Map<Integer, TierEntry> byNumber = new HashMap<>();
        for (final TierEntry tier : tiers)
        {
            if (tier.number < 0)
            {
                numbered = false;
                continue;
            }
            final TierEntry earlier = byNumber.putIfAbsent(tier.number, tier);
            if (earlier != null)
            {
                error(tier.path + ".tier", tier.line, "tier " + tier.number + " is given twice (also " +
                    earlier.path + "); tiers are numbered 1.." + tiers.size() + ", each once");
                numbered = false;
            }
        }
        if (!numbered)
        {
            return false;
        }
        final Set<Integer> missing = new TreeSet<>();
        for (int n = 1; n <= tiers.size(); n++)
        {
            if (!byNumber.containsKey(n))
            {
                missing.add(n);
            }
        }
        if (!missing.isEmpty())
        {
            error("tiers", entry.value().line(), "tiers must be numbered 1.." + tiers.size() +
                " without gaps: found " + new TreeSet<>(byNumber.keySet()) + ", missing " + missing);
            return false;
        }
        return true;
    }

    private List<Integer> initialTiers(final SourceNode.Entry entry, final int tierCount)
    {
        final int fallbackCount = Math.max(tierCount, 1);
        final List<Integer> initial = new ArrayList<>(List.of(
            Math.min(3, fallbackCount), Math.min(2, fallbackCount), 1));
        if (entry == null || !expect(entry.value(), "complexity_tiers", SourceNode.Kind.MAPPING))
        {
            return initial;
        }
        unknownKeys("complexity_tiers", entry.value().entries(), COMPLEXITY_KEYS);
        for (final SourceNode.Entry tier : entry.value().entries().values())
        {
            final Complexity complexity = Complexity.fromWireName(tier.key());
            if (complexity == null)
            {
                continue;
            }
            final String path = "complexity_tiers." + tier.key();
            final Long number = integer(tier.value(), path, null, null, null);
            if (number == null)
            {
                continue;
            }
            if (number < 1 || (tierCount > 0 && number > tierCount))
            {
                error(path, tier.value().line(), "names no tier: " + number +
                    (tierCount > 0 ? " (the tiers are 1.." + tierCount + ")" : " (tiers are numbered from 1)"));
                continue;
            }
            initial.set(complexity.ordinal(), number.intValue());
        }
        return initial;
    }

    private ModelDefaults defaults(final SourceNode.Entry entry)
    {
        final ModelDefaults guide = ModelDefaults.GUIDE;
        if (entry == null || !expect(entry.value(), "defaults", SourceNode.Kind.MAPPING))
        {
            return guide;
        }
        final Map<String, SourceNode.Entry> fields = entry.value().entries();
        unknownKeys("defaults", fields, DEFAULT_KEYS);
        return new ModelDefaults(
            contextWindow(fields.get("context_window"), "defaults.context_window", guide.contextWindow()),
            decimal(fields.get("input_cost_per_mtok"), "defaults.input_cost_per_mtok", guide.inputCostPerMtok(),
                Range.NON_NEGATIVE),
            decimal(fields.get("output_cost_per_mtok"), "defaults.output_cost_per_mtok", guide.outputCostPerMtok(),
                Range.NON_NEGATIVE),
            decimal(fields.get("capability"), "defaults.capability", guide.capability(), Range.POSITIVE));
    }

    private EscalationPolicy escalation(final SourceNode.Entry entry)
    {
        final EscalationPolicy guide = EscalationPolicy.GUIDE;
        if (entry == null || !expect(entry.value(), "escalation", SourceNode.Kind.MAPPING))
        {
            return guide;
        }
        final Map<String, SourceNode.Entry> fields = entry.value().entries();
        unknownKeys("escalation", fields, ESCALATION_KEYS);
        int maxRetries = guide.maxRetries();
        final SourceNode.Entry retries = fields.get("max_retries");
        if (retries != null)
        {
            final Long value = integer(retries.value(), "escalation.max_retries", BigInteger.ZERO,
                BigInteger.valueOf(Integer.MAX_VALUE), "must be 0 or more");
            maxRetries = value == null ? maxRetries : value.intValue();
        }
        return new EscalationPolicy(maxRetries,
            decimal(fields.get("quality_threshold"), "escalation.quality_threshold", guide.qualityThreshold(),
                Range.NON_NEGATIVE));
    }

    private Map<String, ModelDefinition> models(
        final SourceNode.Entry entry, final ModelDefaults defaults, final List<TierEntry> tiers)
    {
        final Map<String, ModelDefinition> models = new LinkedHashMap<>();
        final Map<String, Integer> declaredLines = new LinkedHashMap<>();
        if (entry != null && expect(entry.value(), "models", SourceNode.Kind.MAPPING))
        {
            for (final SourceNode.Entry model : entry.value().entries().values())
            {
                final String path = CatalogPaths.child("models", model.key());
                if (model.key().isEmpty())
                {
                    error("models", model.keyLine(), "a model id cannot be empty");
                    continue;
                }
                declaredLines.put(model.key(), model.keyLine());
                final ModelDefinition definition = model(model, path, defaults);
                if (definition != null)
                {
                    models.put(model.key(), definition);
                }
            }
        }

        final Set<String> tiered = new HashSet<>();
        for (final TierEntry tier : tiers)
        {
            for (int j = 0; j < tier.models.size(); j++)
            {
                final String id = tier.models.get(j);
                if (!tiered.add(id) || declaredLines.containsKey(id))
                {
                    continue;
                }
                warning(CatalogPaths.item(tier.path + ".models", j), tier.modelLines.get(j), "model \"" + id +
                    "\" is not in models; it takes all the defaults" + CatalogPaths.didYouMean(id, declaredLines.keySet()));
            }
        }
        for (final TierEntry tier : tiers)
        {
            for (final String id : tier.models)
            {
                models.computeIfAbsent(id, undeclared -> new ModelDefinition(undeclared, defaults.contextWindow(),
                    defaults.inputCostPerMtok(), defaults.outputCostPerMtok(), defaults.capability(), null,
                    RateLimits.NONE, false));
            }
        }
        declaredLines.forEach((id, line) ->
        {
            if (!tiered.contains(id))
            {
                warning(CatalogPaths.child("models", id), line, CatalogProblem.MODEL_IN_NO_TIER);
            }
        });
        return models;
    }

    private ModelDefinition model(final SourceNode.Entry entry, final String path, final ModelDefaults defaults)
    {
        final SourceNode node = entry.value();
        if (node.is(SourceNode.Kind.NULL))
        {
            return new ModelDefinition(entry.key(), defaults.contextWindow(), defaults.inputCostPerMtok(),
                defaults.outputCostPerMtok(), defaults.capability(), null, RateLimits.NONE, true);
        }
        if (!expect(node, path, SourceNode.Kind.MAPPING))
        {
            return null;
        }
        final Map<String, SourceNode.Entry> fields = node.entries();
        unknownKeys(path, fields, MODEL_KEYS);
        String provider = null;
        final SourceNode.Entry providerEntry = fields.get("provider");
        if (providerEntry != null && expect(providerEntry.value(), path + ".provider", SourceNode.Kind.STRING))
        {
            provider = providerEntry.value().text();
        }
        return new ModelDefinition(entry.key(),
            contextWindow(fields.get("context_window"), path + ".context_window", defaults.contextWindow()),
            decimal(fields.get("input_cost_per_mtok"), path + ".input_cost_per_mtok", defaults.inputCostPerMtok(),
                Range.NON_NEGATIVE),
            decimal(fields.get("output_cost_per_mtok"), path + ".output_cost_per_mtok", defaults.outputCostPerMtok(),
                Range.NON_NEGATIVE),
            decimal(fields.get("capability"), path + ".capability", defaults.capability(), Range.POSITIVE),
            provider,
            limits(fields.get("limits"), path + ".limits"),
            true);
    }

    /** SPEC §7: {@code limits: {rpm, tpm}}, integers &gt; 0, either or both. */
    private RateLimits limits(final SourceNode.Entry entry, final String path)
    {
        if (entry == null || !expect(entry.value(), path, SourceNode.Kind.MAPPING))
        {
            return RateLimits.NONE;
        }
        final Map<String, SourceNode.Entry> fields = entry.value().entries();
        unknownKeys(path, fields, LIMIT_KEYS);
        if (!fields.containsKey("rpm") && !fields.containsKey("tpm"))
        {
            error(path, entry.value().line(), "give rpm (requests a minute), tpm (tokens a minute) or both");
            return RateLimits.NONE;
        }
        return new RateLimits(limit(fields.get("rpm"), path + ".rpm"), limit(fields.get("tpm"), path + ".tpm"));
    }

    private long limit(final SourceNode.Entry entry, final String path)
    {
        if (entry == null)
        {
            return 0;
        }
        final Long value = integer(entry.value(), path, BigInteger.ONE, BigInteger.valueOf(RateLimits.MAX),
            "must be an integer from 1 to " + RateLimits.MAX);
        return value == null ? 0 : value;
    }

    /** SPEC §7: a list of {name, provider or model, usd, period}; names unique. */
    private List<BudgetDefinition> budgets(final SourceNode.Entry entry, final Map<String, ModelDefinition> models)
    {
        final List<BudgetDefinition> budgets = new ArrayList<>();
        if (entry == null || !expect(entry.value(), "budgets", SourceNode.Kind.LIST))
        {
            return budgets;
        }
        final Map<String, Integer> nameLines = new HashMap<>();
        final List<SourceNode> items = entry.value().items();
        for (int i = 0; i < items.size(); i++)
        {
            final String path = CatalogPaths.item("budgets", i);
            final SourceNode item = items.get(i);
            if (!expect(item, path, SourceNode.Kind.MAPPING))
            {
                continue;
            }
            final Map<String, SourceNode.Entry> fields = item.entries();
            unknownKeys(path, fields, BUDGET_KEYS);
            final String name = requiredText(fields.get("name"), path + ".name", item.line());
            final SourceNode.Entry provider = fields.get("provider");
            final SourceNode.Entry model = fields.get("model");
            if ((provider == null) == (model == null))
            {
                error(path, item.line(), provider == null ? "give provider (every model of a provider) or model " +
                    "(one model id)" : "give provider or model, not both");
            }
            final String providerName = provider == null ? null : requiredText(provider, path + ".provider",
                item.line());
            final String modelId = model == null ? null : requiredText(model, path + ".model", item.line());
            final BigDecimal usd = usd(fields.get("usd"), path + ".usd", item.line());
            final BudgetPeriod period = period(fields.get("period"), path + ".period", item.line());
            if (name != null)
            {
                final Integer first = nameLines.putIfAbsent(name, fields.get("name").value().line());
                if (first != null)
                {
                    error(path + ".name", fields.get("name").value().line(), "budget \"" + name + "\" is named " +
                        "twice (first on line " + first + "): names are unique");
                }
            }
            if (providerName != null && models.values().stream().noneMatch(m -> providerName.equals(m.provider())))
            {
                warning(path + ".provider", provider.value().line(), "no model of the catalog has provider \"" +
                    providerName + "\": the budget covers nothing yet" + CatalogPaths.didYouMean(providerName,
                    models.values().stream().map(ModelDefinition::provider).filter(p -> p != null)
                    .collect(Collectors.toCollection(TreeSet::new))));
            }
            if (modelId != null && !models.containsKey(modelId))
            {
                warning(path + ".model", model.value().line(), "the catalog has no model \"" + modelId + "\": the " +
                    "budget covers its recorded outcomes only" + CatalogPaths.didYouMean(modelId, models.keySet()));
            }
            if (name != null && (providerName != null) != (modelId != null) && usd != null && period != null)
            {
                budgets.add(new BudgetDefinition(name, providerName, modelId, usd, period));
            }
        }
        return budgets;
    }

    private String requiredText(final SourceNode.Entry entry, final String path, final int itemLine)
    {
        if (entry == null)
        {
            error(path, itemLine, "required key is missing");
            return null;
        }
        if (!expect(entry.value(), path, SourceNode.Kind.STRING))
        {
            return null;
        }
        if (entry.value().text().isEmpty())
        {
            error(path, entry.value().line(), "cannot be empty");
            return null;
        }
        return entry.value().text();
    }

    private BigDecimal usd(final SourceNode.Entry entry, final String path, final int itemLine)
    {
        if (entry == null)
        {
            error(path, itemLine, "required key is missing: dollars a period, more than 0");
            return null;
        }
        final SourceNode node = entry.value();
        if (!node.isNumber() || !Double.isFinite(node.doubleValue()))
        {
            error(path, node.line(), "must be a finite number of dollars, not " + node.describe());
            return null;
        }
        final BigDecimal usd = node.is(SourceNode.Kind.INTEGER) ? new BigDecimal(node.integerValue()) :
            new BigDecimal(Double.toString(node.doubleValue())); // the shortest decimal that reads back as it
        if (usd.signum() <= 0 || usd.compareTo(MAX_BUDGET_USD) > 0)
        {
            error(path, node.line(), "must be more than 0 and at most " + MAX_BUDGET_USD + ", not " + node.describe());
            return null;
        }
        return usd;
    }

    private BudgetPeriod period(final SourceNode.Entry entry, final String path, final int itemLine)
    {
        final String text = requiredText(entry, path, itemLine);
        final BudgetPeriod period = text == null ? null : BudgetPeriod.of(text);
        if (text != null && period == null)
        {
            error(path, entry.value().line(), "must be hour, day or month (UTC), not \"" + text + "\"");
        }
        return period;
    }

    private long contextWindow(final SourceNode.Entry entry, final String path, final long fallback)
    {
        if (entry == null)
        {
            return fallback;
        }
        final Long value = integer(entry.value(), path, BigInteger.ONE, BigInteger.valueOf(MAX_CONTEXT_WINDOW),
            "must be a token count from 1 to " + MAX_CONTEXT_WINDOW);
        return value == null ? fallback : value;
    }

    /** The ranges SPEC §2 gives number fields; each says itself in a message. */
    private enum Range
    {
        NON_NEGATIVE("must be 0 or more"),
        POSITIVE("must be more than 0"),
        MARGIN("must be more than 0 and at most 1");

        final String rule;

        Range(final String rule)
        {
            this.rule = rule;
        }

        boolean holds(final double value)
        {
            switch (this)
            {
                case NON_NEGATIVE:
                    return value >= 0;
                case POSITIVE:
                    return value > 0;
                default:
                    return value > 0 && value <= 1;
            }
        }
    }

    private double decimal(final SourceNode.Entry entry, final String path, final double fallback, final Range range)
    {
        if (entry == null)
        {
            return fallback;
        }
        final SourceNode node = entry.value();
        if (!node.isNumber())
        {
            error(path, node.line(), "must be a number, not " + node.describe());
            return fallback;
        }
        final double value = node.doubleValue();
        if (!Double.isFinite(value))
        {
            error(path, node.line(), "must be a finite number, not " + (Double.isNaN(value) ? "NaN" :
                value > 0 ? "infinity" : "-infinity") + " (" + node.describe() + ")");
            return fallback;
        }
        if (!range.holds(value))
        {
            error(path, node.line(), range.rule + ", not " + node.describe());
            return fallback;
        }
        return value == 0.0 ? 0.0 : value; // -0.0 would make a zero-cost score -infinity
    }

    /** @return the value, or {@code null} after reporting why it is not an integer in [min, max] (null bounds: any). */
    private Long integer(
        final SourceNode node, final String path, final BigInteger min, final BigInteger max, final String rule)
    {
        if (node.is(SourceNode.Kind.DECIMAL))
        {
            error(path, node.line(), "must be written as an integer, not " + node.describe() +
                (Double.isFinite(node.doubleValue()) && node.doubleValue() == Math.rint(node.doubleValue()) ?
                " (drop the fraction)" : ""));
            return null;
        }
        if (!node.is(SourceNode.Kind.INTEGER))
        {
            error(path, node.line(), "must be an integer, not " + node.describe());
            return null;
        }
        final BigInteger value = node.integerValue();
        if ((min != null && value.compareTo(min) < 0) || (max != null && value.compareTo(max) > 0) ||
            value.bitLength() > 63)
        {
            error(path, node.line(), (rule == null ? "out of range" : rule) + ", not " + value);
            return null;
        }
        return value.longValue();
    }

    private boolean expect(final SourceNode node, final String path, final SourceNode.Kind kind)
    {
        if (node.is(kind))
        {
            return true;
        }
        error(path, node.line(), "must be " + kind.description + ", not " + node.describe());
        return false;
    }

    private void unknownKeys(final String path, final Map<String, SourceNode.Entry> entries, final List<String> known)
    {
        for (final SourceNode.Entry entry : entries.values())
        {
            if (!known.contains(entry.key()))
            {
                error(CatalogPaths.child(path, entry.key()), entry.keyLine(), "unknown key" +
                    hint(entry.key(), known));
            }
        }
    }

    private static String hint(final String key, final List<String> known)
    {
        if (key.equals("<<"))
        {
            return ": YAML merge keys are not supported; write the fields out (an alias of a whole mapping works)";
        }
        final String nearest = CatalogPaths.nearest(key, known);
        return nearest != null ? " (did you mean \"" + nearest + "\"?)" : "; the keys here are " + String.join(", ", known);
    }

    private void error(final String path, final int line, final String message)
    {
        errors.add(new CatalogProblem(source, path, line, message));
    }

    private void warning(final String path, final int line, final String message)
    {
        warnings.add(new CatalogProblem(source, path, line, message));
    }
}
