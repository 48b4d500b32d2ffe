package dev.modelsel.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compiled form: ranks, bitsets of any width, token-fit rows, and the SPEC §3 arithmetic. */
class CatalogCompilerTest
{
    @Test
    void shouldShipTheGuidesNumbersAsTheDefaultCatalog()
    {
        final LoadedCatalog loaded = CatalogLoader.loadDefault();
        final CatalogDefinition definition = loaded.definition();
        assertEquals(0.85, definition.safetyMargin());
        assertEquals(new ModelDefaults(100_000, 5.0, Double.NaN, 0.7), definition.defaults());
        assertEquals(List.of(3, 2, 1), definition.initialTiers(), "low, medium, high");
        assertEquals(List.of("claude-3-opus-20240229", "gpt-4-turbo-preview", "claude-3-sonnet-20240229"),
            definition.tier(1).models());
        assertEquals(List.of("claude-3-sonnet-20240229", "gpt-4-1106-preview", "claude-3-haiku-20240307"),
            definition.tier(2).models());
        assertEquals(List.of("claude-3-haiku-20240307", "gpt-3.5-turbo-16k", "claude-instant-1.2"),
            definition.tier(3).models());
        assertEquals(0.8, definition.tier(2).minCapability());
        assertEquals(0.0, definition.tier(1).minCapability());
        assertModel(definition, "claude-3-opus-20240229", 200_000, 15.0, 1.0);
        assertModel(definition, "claude-3-sonnet-20240229", 200_000, 3.0, 0.85);
        assertModel(definition, "gpt-4-turbo-preview", 128_000, 10.0, 0.9);
        assertModel(definition, "claude-3-haiku-20240307", 100_000, 0.25, 0.6);
        assertModel(definition, "gpt-3.5-turbo-16k", 16_000, 0.5, 0.5);
        assertModel(definition, "gpt-4-1106-preview", 100_000, 5.0, 0.7);
        assertModel(definition, "claude-instant-1.2", 100_000, 5.0, 0.7);
        assertEquals(2, loaded.warnings().size(), "the two tiered models the guide's tables leave out");
    }

    @Test
    void shouldFloorTheProductInDouble()
    {
        assertEquals(62, CatalogCompiler.tokenLimit(90, 0.7), "SPEC §3: 0.7 x 90 is 62.99999999999999 in double");
        assertEquals(170_000, CatalogCompiler.tokenLimit(200_000, 0.85));
        assertEquals(108_800, CatalogCompiler.tokenLimit(128_000, 0.85));
        assertEquals(0, CatalogCompiler.tokenLimit(1, 0.5));
    }

    @Test
    void shouldScoreCapabilityPerDollarWithFreeModelsInfinite()
    {
        assertEquals(Double.POSITIVE_INFINITY, CatalogCompiler.score(model(0.5, 0.0)));
        assertEquals(2.4, CatalogCompiler.score(model(0.6, 0.25)));
        assertTrue(CatalogCompiler.score(model(0.3, 0.1)) < CatalogCompiler.score(model(3, 1)), "0.3/0.1 < 3/1 in double");
    }

    @Test
    void shouldRankByScoreThenFirstAppearance() throws CatalogException
    {
        final CompiledCatalog catalog = compile("version: 1\n" +
            "models: {a: {capability: 1, input_cost_per_mtok: 2}, b: {capability: 2, input_cost_per_mtok: 4}, " +
            "c: {capability: 1, input_cost_per_mtok: 0}, d: {capability: 9, input_cost_per_mtok: 1}, e: {capability: 1}}\n" +
            "tiers: [{tier: 2, models: [b, a]}, {tier: 1, models: [e, c, d]}]\n");
        // c is free (infinite score), d scores 9, then a and b tie at 0.5 and tier 1 lists neither: tier 2 is b, a.
        assertEquals(List.of("c", "d", "b", "a", "e"), ids(catalog));
        assertTrue(catalog.rankFollowsListOrder(2));
        assertEquals(1, catalog.lowestTier(catalog.indexOf("c")));
        assertEquals(2, catalog.lowestTier(catalog.indexOf("a")));
    }

    @Test
    void shouldFlagATierWhoseTiesRunAgainstRankOrder() throws CatalogException
    {
        final CompiledCatalog catalog = compile("version: 1\nmodels: {a: {capability: 1}, b: {capability: 1}}\n" +
            "tiers: [{tier: 1, models: [a, b]}, {tier: 2, models: [b, a]}]\n");
        assertEquals(List.of("a", "b"), ids(catalog));
        assertTrue(catalog.rankFollowsListOrder(1));
        assertFalse(catalog.rankFollowsListOrder(2), "tier 2 lists b before a, which tie");
        assertEquals(0, catalog.tierPosition(2, catalog.indexOf("b")));
    }

    @Test
    void shouldKeepModelsNoTierListsOutOfEverySet() throws CatalogException
    {
        final CompiledCatalog catalog = compile("version: 1\nmodels: {spare: {capability: 5}, a: {}}\n" +
            "tiers: [{tier: 1, models: [a]}]\n");
        assertEquals(2, catalog.modelCount());
        assertEquals(1, catalog.tieredCount());
        assertEquals("spare", catalog.id(1));
        assertEquals(0, catalog.lowestTier(1));
        assertEquals(1L, fitting(catalog, 0)[0]);
    }

    @Test
    void shouldApplyTierFloorsToCandidatesOnly() throws CatalogException
    {
        final CompiledCatalog catalog = compile("version: 1\nmodels: {weak: {capability: 0.5}, strong: {capability: 0.9}}\n" +
            "tiers: [{tier: 1, min_capability: 0.8, models: [weak, strong]}]\n");
        final long strong = 1L << catalog.indexOf("strong");
        final long weak = 1L << catalog.indexOf("weak");
        assertEquals(strong | weak, fitting(catalog, 10)[0]);
        assertEquals(strong, catalog.tierFloorWord(1, 0));
        assertEquals(strong | weak, catalog.tierWord(1, 0));
        assertEquals(0L, catalog.tierFloorWord(2, 0), "the row below the last tier is empty");
        assertEquals(0L, catalog.tierFloorWord(0, 0), "row 0 is empty");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 63, 64, 65, 127, 128, 1000, 2500})
    void shouldHoldCatalogsOfAnyWidth(final int models) throws CatalogException
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final StringBuilder yaml = new StringBuilder("version: 1\nsafety_margin: 0.85\nmodels:\n");
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < models; i++)
        {
            final String id = "m" + i;
            ids.add(id);
            yaml.append("  ").append(id).append(": {context_window: ").append(1 + random.nextInt(300_000))
                .append(", input_cost_per_mtok: ").append(random.nextInt(20) / 4.0)
                .append(", capability: ").append(0.05 + random.nextInt(20) / 20.0).append("}\n");
        }
        yaml.append("tiers:\n  - {tier: 1, models: [").append(String.join(", ", ids)).append("]}\n")
            .append("  - {tier: 2, min_capability: 0.5, models: [").append(String.join(", ", ids.subList(0, (models + 1) / 2)))
            .append("]}\n");
        final CompiledCatalog catalog = compile(yaml.toString());
        final String where = "seed " + seed + ", " + models + " models";

        assertEquals((models + 63) / 64, catalog.words(), where);
        for (int m = 1; m < catalog.tieredCount(); m++)
        {
            assertTrue(catalog.score(m - 1) >= catalog.score(m), where + ": rank " + m + " out of score order");
        }
        for (int m = 0; m < catalog.tieredCount(); m++)
        {
            final long limit = catalog.tokenLimit(m);
            assertTrue(isSet(catalog, catalog.fitRow(limit), m), where + ": " + catalog.id(m) + " fits its own limit");
            assertTrue(limit == 0 || isSet(catalog, catalog.fitRow(limit - 1), m), where + ": fits limit - 1");
            assertFalse(isSet(catalog, catalog.fitRow(limit + 1), m), where + ": does not fit limit + 1");
            assertTrue((catalog.tierWord(1, m >>> 6) & (1L << m)) != 0, where + ": in tier 1");
        }
        final long[] limits = catalog.distinctTokenLimits();
        for (int row = 0; row <= limits.length; row++)
        {
            final long[] set = new long[catalog.words()];
            catalog.fitSet(row, set, 0);
            final long tokens = row < limits.length ? limits[row] : Long.MAX_VALUE;
            for (int m = 0; m < catalog.tieredCount(); m++)
            {
                assertEquals(catalog.tokenLimit(m) >= tokens, (set[m >>> 6] & (1L << m)) != 0, where + ": row " + row);
            }
        }
        assertPrimaryChoices(catalog, where);
    }

    @Test
    void shouldKeepFitMasksWithinBudgetWhenEveryModelHasItsOwnWindow() throws CatalogException
    {
        final int models = 30_000;
        final StringBuilder json = new StringBuilder("{\"version\": 1, \"models\": {");
        final StringBuilder ids = new StringBuilder();
        for (int i = 0; i < models; i++)
        {
            json.append(i == 0 ? "" : ", ").append("\"m").append(i).append("\": {\"context_window\": ").append(1000 + i * 7L)
                .append(", \"capability\": ").append(1 + i % 13).append('}');
            ids.append(i == 0 ? "" : ", ").append("\"m").append(i).append('"');
        }
        json.append("}, \"tiers\": [{\"tier\": 1, \"models\": [").append(ids).append("]}]}");
        final CompiledCatalog catalog = CatalogLoader.parse("wide.json", json.toString(), true).compile();
        assertEquals(models, catalog.distinctTokenLimits().length);
        assertTrue(catalog.toString().contains("fitStride="), catalog.toString());
        final Random random = new Random(7);
        for (int probe = 0; probe < 200; probe++)
        {
            final long tokens = random.nextInt(1000 + models * 7);
            final long[] set = fitting(catalog, tokens);
            for (int m = 0; m < catalog.tieredCount(); m++)
            {
                if (catalog.tokenLimit(m) >= tokens != ((set[m >>> 6] & (1L << m)) != 0))
                {
                    throw new AssertionError("model " + m + " at " + tokens + " tokens");
                }
            }
        }
        assertPrimaryChoices(catalog, "wide catalog");
    }

    /** Every precomputed choice against a plain scan of the tiers as SPEC §3 writes them. */
    private static void assertPrimaryChoices(final CompiledCatalog catalog, final String where)
    {
        final long[] limits = catalog.distinctTokenLimits();
        for (int row = 0; row <= limits.length; row += Math.max(1, limits.length / 500))
        {
            final long tokens = row < limits.length ? limits[row] : limits[limits.length - 1] + 1;
            for (int initial = 1; initial <= catalog.tierCount(); initial++)
            {
                long expected = CompiledCatalog.NO_CHOICE;
                for (int tier = initial; tier >= 1 && expected == CompiledCatalog.NO_CHOICE; tier--)
                {
                    int best = -1;
                    for (final int m : catalog.tierMembers(tier))
                    {
                        if (catalog.tokenLimit(m) >= tokens && catalog.capability(m) >= catalog.minCapability(tier) &&
                            (best < 0 || catalog.score(m) > catalog.score(best)))
                        {
                            best = m;
                        }
                    }
                    expected = best < 0 ? CompiledCatalog.NO_CHOICE : (long)tier << 32 | best;
                }
                assertEquals(expected, catalog.primaryChoice(initial, catalog.fitRow(tokens)),
                    where + ": initial tier " + initial + ", " + tokens + " tokens");
            }
        }
    }

    private static boolean isSet(final CompiledCatalog catalog, final int fitRow, final int model)
    {
        final long[] set = new long[catalog.words() + 2];
        catalog.fitSet(fitRow, set, 1); // at an offset, to catch a fill that ignores its base
        return (set[1 + (model >>> 6)] & (1L << model)) != 0;
    }

    private static long[] fitting(final CompiledCatalog catalog, final long tokens)
    {
        final long[] set = new long[catalog.words()];
        catalog.fitSet(catalog.fitRow(tokens), set, 0);
        return set;
    }

    private static CompiledCatalog compile(final String yaml) throws CatalogException
    {
        return CatalogLoader.parse("test.yaml", yaml, false).compile();
    }

    private static List<String> ids(final CompiledCatalog catalog)
    {
        final List<String> ids = new ArrayList<>();
        for (int m = 0; m < catalog.modelCount(); m++)
        {
            ids.add(catalog.id(m));
        }
        return ids;
    }

    private static ModelDefinition model(final double capability, final double cost)
    {
        return new ModelDefinition("m", 1000, cost, Double.NaN, capability, null, RateLimits.NONE, true);
    }

    private static void assertModel(
        final CatalogDefinition definition, final String id, final long window, final double cost, final double capability)
    {
        final ModelDefinition model = definition.models().get(id);
        assertEquals(window, model.contextWindow(), id);
        assertEquals(cost, model.inputCostPerMtok(), id);
        assertEquals(capability, model.capability(), id);
    }
}
