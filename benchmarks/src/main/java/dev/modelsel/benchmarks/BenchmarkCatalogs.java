package dev.modelsel.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.LoadedCatalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The catalogs the benchmarks run on, by name: {@code seed}, the default catalog (the guide's seven models), and
 * {@code litellm}, about 2,100 models built from the LiteLLM price list snapshot shipped in this jar.
 * <p>
 * <b>How {@code litellm} is built.</b> Every entry with {@code mode: chat}, a numeric {@code input_cost_per_token}
 * and a positive {@code max_input_tokens} becomes a model: context window = {@code max_input_tokens}, input cost per
 * million tokens = {@code input_cost_per_token × 1e6}. The snapshot has no capability scores, so each model gets a
 * deterministic one: a {@link SplittableRandom} seeded with {@code 42 ^ id.hashCode()} draws it from 0.30 to 1.00 in
 * steps of 0.01 (coarse on purpose, so that scores tie). Tiers by capability, as the importer's default thresholds:
 * tier 1 at 0.85 and above, tier 2 at 0.70 and above, tier 3 the rest, each ordered by id.
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
        final Map<String, Object> models = new TreeMap<>();
        final List<List<String>> tiers = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (final Iterator<Map.Entry<String, JsonNode>> it = snapshot().fields(); it.hasNext(); )
        {
            final Map.Entry<String, JsonNode> entry = it.next();
            final JsonNode model = entry.getValue();
            if (!"chat".equals(model.path("mode").asText()) || !model.path("input_cost_per_token").isNumber() ||
                !model.path("max_input_tokens").isNumber() || model.get("max_input_tokens").asLong() <= 0)
            {
                continue;
            }
            final String id = entry.getKey();
            final double capability = capability(id);
            final Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("context_window", model.get("max_input_tokens").asLong());
            fields.put("input_cost_per_mtok", model.get("input_cost_per_token").asDouble() * 1e6);
            fields.put("capability", capability);
            models.put(id, fields);
            tiers.get(capability >= 0.85 ? 0 : capability >= 0.70 ? 1 : 2).add(id);
        }
        final Map<String, Object> catalog = new LinkedHashMap<>();
        catalog.put("version", 1);
        catalog.put("models", models);
        final List<Object> tierList = new ArrayList<>();
        for (int t = 0; t < 3; t++)
        {
            tiers.get(t).sort(null);
            tierList.add(Map.of("tier", t + 1, "models", tiers.get(t)));
        }
        catalog.put("tiers", tierList);
        try
        {
            return CatalogLoader.parse("litellm benchmark catalog", new ObjectMapper().writeValueAsString(catalog), true);
        }
        catch (final CatalogException | IOException ex)
        {
            throw new IllegalStateException("the litellm benchmark catalog does not load: " + ex.getMessage(), ex);
        }
    }

    static double capability(final String id)
    {
        return (30 + new SplittableRandom(42 ^ id.hashCode()).nextInt(71)) / 100.0;
    }

    private static JsonNode snapshot()
    {
        try (InputStream in = BenchmarkCatalogs.class.getResourceAsStream(SNAPSHOT))
        {
            return new ObjectMapper().readTree(in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
