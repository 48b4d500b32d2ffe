package dev.modelsel.benchmarks;

import dev.modelsel.catalog.BudgetDefinition;
import dev.modelsel.catalog.BudgetPeriod;
import dev.modelsel.catalog.CatalogDefinition;
import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.LoadedCatalog;
import dev.modelsel.catalog.ModelDefinition;
import dev.modelsel.catalog.RateLimits;
import dev.modelsel.catalog.litellm.ImportOptions;
import dev.modelsel.catalog.litellm.ImportedCatalog;
import dev.modelsel.catalog.litellm.LiteLlmImport;
import dev.modelsel.catalog.litellm.PricedModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The catalogs the benchmarks run on, by name: {@code seed}, the default catalog (the guide's seven models), and
 * {@code litellm}, about 2,100 models imported from the LiteLLM price list snapshot shipped in this jar.
 * <p>
 * <b>How {@code litellm} is built.</b> Exactly as {@code modelsel catalog import-litellm --capabilities CAPS} builds
 * it ({@link LiteLlmImport}, default thresholds: tier 1 at 0.85 and above, tier 2 at 0.70, tier 3 the rest, each
 * by id). The snapshot has no capability scores, so CAPS gives each model a deterministic one: a
 * {@link SplittableRandom} seeded with {@code 42 ^ id.hashCode()} draws it from 0.30 to 1.00 in steps of 0.01
 * (coarse on purpose, so that scores tie). {@link #litellmYaml()} is the catalog file's text.
 */
final class BenchmarkCatalogs
{
    static final String SEED = "seed";
    static final String LITELLM = "litellm";

    private static final String SNAPSHOT = "/dev/modelsel/benchmarks/litellm_model_prices.json";

    private BenchmarkCatalogs()
    {
    }

    static LoadedCatalog load(final String name)
    {
        switch (name)
        {
            case SEED:
                return CatalogLoader.loadDefault();
            case LITELLM:
                return litellm();
            default:
                throw new IllegalArgumentException("no benchmark catalog \"" + name + "\" (seed or litellm)");
        }
    }

    static LoadedCatalog litellm()
    {
        try
        {
            return CatalogLoader.parse("litellm benchmark catalog", litellmYaml(), false);
        }
        catch (final CatalogException ex)
        {
            throw new IllegalStateException("the litellm benchmark catalog does not load: " + ex.getMessage(), ex);
        }
    }

    /** The imported catalog's YAML, as {@code import-litellm} would write it. */
    static String litellmYaml()
    {
        final byte[] snapshot = snapshot();
        return importYaml(snapshot, litellmCapabilities(snapshot));
    }

    /** One import of the snapshot, tiered by the given capabilities. */
    static String importYaml(final byte[] snapshot, final Map<String, Double> capabilities)
    {
        try
        {
            final ImportedCatalog imported = LiteLlmImport.fromJson(SNAPSHOT, snapshot,
                ImportOptions.byCapability(capabilities, "generated capabilities"));
            return imported.yaml();
        }
        catch (final CatalogException ex)
        {
            throw new IllegalStateException("the shipped snapshot does not import: " + ex.getMessage(), ex);
        }
    }

    /** The generated capability of every model the snapshot imports. */
    static Map<String, Double> litellmCapabilities(final byte[] snapshot)
    {
        try
        {
            final Map<String, Double> capabilities = new HashMap<>();
            for (final PricedModel model : LiteLlmImport.fromJson(SNAPSHOT, snapshot, ImportOptions.byPrice()).models())
            {
                capabilities.put(model.id(), capability(model.id()));
            }
            return capabilities;
        }
        catch (final CatalogException ex)
        {
            throw new IllegalStateException("the shipped snapshot does not import: " + ex.getMessage(), ex);
        }
    }

    static double capability(final String id)
    {
        return (30 + new SplittableRandom(42 ^ id.hashCode()).nextInt(71)) / 100.0;
    }

    static byte[] snapshot()
    {
        try (InputStream in = BenchmarkCatalogs.class.getResourceAsStream(SNAPSHOT))
        {
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The catalog with {@code limits} on every model: what SPEC §7's cost on a select is measured with. */
    static CompiledCatalog withLimits(final CompiledCatalog catalog, final RateLimits limits)
    {
        final CatalogDefinition definition = catalog.definition();
        final Map<String, ModelDefinition> models = new LinkedHashMap<>();
        definition.models().forEach((id, m) -> models.put(id, new ModelDefinition(m.id(), m.contextWindow(),
            m.inputCostPerMtok(), m.outputCostPerMtok(), m.capability(), m.provider(), limits, m.declared())));
        return new LoadedCatalog(new CatalogDefinition(definition.source(), definition.safetyMargin(),
            definition.defaults(), definition.initialTiers(), definition.escalation(), models, definition.tiers(),
            definition.budgets()), List.of()).compile();
    }

    /**
     * The catalog with a budget on every model (the seed catalog names no providers), none of them ever exhausted
     * ($4,000,000 a period): each select also reads the spend of the budget of each model it reserves from.
     */
    static CompiledCatalog withBudgets(final CompiledCatalog catalog, final BudgetPeriod period)
    {
        final CatalogDefinition definition = catalog.definition();
        final List<BudgetDefinition> budgets = new ArrayList<>();
        for (final String id : definition.models().keySet())
        {
            budgets.add(new BudgetDefinition(id + "-" + period.key(), null, id, BigDecimal.valueOf(4_000_000), period));
        }
        return new LoadedCatalog(new CatalogDefinition(definition.source(), definition.safetyMargin(),
            definition.defaults(), definition.initialTiers(), definition.escalation(), definition.models(),
            definition.tiers(), budgets), List.of()).compile();
    }
}
