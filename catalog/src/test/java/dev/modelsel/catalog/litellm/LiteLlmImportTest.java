package dev.modelsel.catalog.litellm;

import dev.modelsel.catalog.CatalogDefinition;
import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.LoadedCatalog;
import dev.modelsel.catalog.ModelDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiteLlmImportTest
{
    private static final Path SNAPSHOT = Path.of(System.getProperty("modelsel.litellm.snapshot",
        "../benchmarks/src/main/resources/dev/modelsel/benchmarks/litellm_model_prices.json"));

    @TempDir
    Path dir;

    @Test
    void shouldImportEveryPricedChatModelOfTheSnapshotWithExactNumbers() throws Exception
    {
        final ImportedCatalog imported = LiteLlmImport.fromFile(SNAPSHOT, ImportOptions.byPrice());
        final ReferenceImport reference = new ReferenceImport(Files.readAllBytes(SNAPSHOT));
        assertEquals(reference.models.keySet(), ids(imported), "every priced chat model, nothing else");
        for (final PricedModel model : imported.models())
        {
            final ReferenceImport.Expected expected = reference.models.get(model.id());
            assertEquals(expected.window(), model.contextWindow(), model.id());
            assertEquals(0, expected.input().compareTo(model.inputCostPerMtok()), model.id());
            assertEquals(expected.output() == null, model.outputCostPerMtok() == null, model.id());
            if (expected.output() != null)
            {
                assertEquals(0, expected.output().compareTo(model.outputCostPerMtok()), model.id());
            }
            assertEquals(expected.provider(), model.provider(), model.id());
            assertEquals(expected.rpm(), model.rpm(), model.id());
            assertEquals(expected.tpm(), model.tpm(), model.id());
        }
        assertEquals(2099, imported.models().size(), "this snapshot's priced chat models");
    }

    @Test
    void shouldWriteTheSnapshotsNumbersSoThatTheyReadBackExactly() throws Exception
    {
        final ImportedCatalog imported = LiteLlmImport.fromFile(SNAPSHOT, ImportOptions.byPrice());
        final String yaml = imported.yaml();
        assertTrue(yaml.contains("""
              "claude-3-haiku-20240307":
                context_window: 200000
                input_cost_per_mtok: 0.25
                output_cost_per_mtok: 1.25
                provider: "anthropic"
            """), "2.5e-07 per token is 0.25 per million");
        assertTrue(yaml.contains("""
              "xai/grok-4-fast-reasoning":
                context_window: 2000000
                input_cost_per_mtok: 0.2
                output_cost_per_mtok: 0.5
            """), "a window written 2000000.0 is the integer 2000000");
        assertTrue(yaml.contains("  \"vertex_ai/claude-3-opus@20240229\":\n    context_window: 200000\n" +
            "    input_cost_per_mtok: 15\n    output_cost_per_mtok: 75\n"));
        final LoadedCatalog loaded = CatalogLoader.parse("imported.yaml", yaml, false);
        assertEquals(List.of(), loaded.warnings());
        final CatalogDefinition definition = loaded.definition();
        for (final PricedModel model : imported.models())
        {
            final ModelDefinition read = definition.models().get(model.id());
            assertEquals(model.contextWindow(), read.contextWindow(), model.id());
            assertEquals(model.inputCostPerMtok().doubleValue(), read.inputCostPerMtok(), model.id());
            assertEquals(model.outputCostPerMtok() == null ? Double.NaN : model.outputCostPerMtok().doubleValue(),
                read.outputCostPerMtok(), model.id());
        }
        for (int tier = 1; tier <= imported.tiers().size(); tier++)
        {
            assertEquals(imported.tiers().get(tier - 1), definition.tier(tier).models());
        }
        assertTrue(definition.models().get("anthropic.claude-mythos-preview").inputCostPerMtok() == 0, "free model");
    }

    @Test
    void shouldCountTheSnapshotsSkippedEntriesByReason() throws Exception
    {
        final ImportedCatalog imported = LiteLlmImport.fromFile(SNAPSHOT, ImportOptions.byPrice());
        assertEquals(new ReferenceImport(Files.readAllBytes(SNAPSHOT)).skipped, imported.skipped());
        assertEquals(Map.of(SkipReason.SAMPLE_SPEC, 1, SkipReason.MALFORMED, 1, SkipReason.NOT_CHAT, 698,
            SkipReason.NO_PRICE, 114, SkipReason.NO_CONTEXT, 72), imported.skipped());
        assertEquals(2985, imported.entries());
        assertEquals(imported.entries(), imported.models().size() + imported.skippedCount());
        assertTrue(imported.malformed().get(0).matches("line \\d+: \"last_updated\": not a model entry: .*"),
            imported.malformed().get(0));
    }

    @Test
    void shouldMatchTheReferenceOnRandomPriceLists() throws Exception
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int list = 0; list < 300; list++)
        {
            final String json = RandomPriceLists.generate(random, 1 + random.nextInt(60));
            final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            final ReferenceImport reference = new ReferenceImport(bytes);
            final String context = "seed " + seed + ", list " + list + ":\n" + json;
            try
            {
                final ImportedCatalog imported = LiteLlmImport.fromJson("random.json", bytes, ImportOptions.byPrice());
                assertEquals(reference.skipped, imported.skipped(), context);
                assertEquals(reference.models.keySet(), ids(imported), context);
                for (final PricedModel model : imported.models())
                {
                    final ReferenceImport.Expected expected = reference.models.get(model.id());
                    assertEquals(expected, ReferenceImport.expected(model.contextWindow(),
                        model.inputCostPerMtok(), model.outputCostPerMtok(), model.provider(), model.rpm(),
                        model.tpm()), context);
                }
                CatalogLoader.parse("random.yaml", imported.yaml(), false);
            }
            catch (final CatalogException ex)
            {
                assertTrue(reference.models.isEmpty(), context + "\n" + ex.getMessage());
                assertTrue(ex.getMessage().contains("no model to import"), ex.getMessage());
            }
        }
    }

    @Test
    void shouldKeepAwkwardIdsAndValuesAsWritten() throws Exception
    {
        final String json = """
            {
              "sample_spec": {"mode": "one of: chat, embedding", "max_input_tokens": "max input tokens"},
              "vertex_ai/claude@2024:0": {"mode": "chat", "input_cost_per_token": 1.5e-05, "max_input_tokens": 200000,
                                          "supports_vision": true, "nested": {"a": [1, {"b": 2}]}, "extra": null},
              "free/model": {"mode": "chat", "input_cost_per_token": 0, "output_cost_per_token": 0.0,
                             "max_input_tokens": 9007199254740992},
              "huge": {"mode": "chat", "input_cost_per_token": 1E-7, "max_input_tokens": 10485760.0},
              "quote\\"and\\\\back\\nslash\\u00e9\\ud83d\\ude00": {"mode": "chat", "input_cost_per_token": 3e-6,
                             "max_input_tokens": 8192, "litellm_provider": "we:ird/\\u2028"},
              "too-big": {"mode": "chat", "input_cost_per_token": 1e-6, "max_input_tokens": 9007199254740993},
              "fraction": {"mode": "chat", "input_cost_per_token": 1e-6, "max_input_tokens": 1.5},
              "nan": {"mode": "chat", "input_cost_per_token": NaN, "max_input_tokens": 100},
              "negative": {"mode": "chat", "input_cost_per_token": -1e-6, "max_input_tokens": 100},
              "text-price": {"mode": "chat", "input_cost_per_token": "0.1", "max_input_tokens": 100},
              "twice-mode": {"mode": "chat", "mode": "chat", "input_cost_per_token": 1e-6, "max_input_tokens": 100},
              "numeric-mode": {"mode": 3, "input_cost_per_token": 1e-6, "max_input_tokens": 100},
              "no-mode": {"input_cost_per_token": 1e-6, "max_input_tokens": 100},
              "null-price": {"mode": "chat", "input_cost_per_token": null, "max_input_tokens": 100},
              "zero-window": {"mode": "chat", "input_cost_per_token": 1e-6, "max_input_tokens": 0},
              "no-window": {"mode": "chat", "input_cost_per_token": 1e-6, "max_tokens": 4096},
              "embedding": {"mode": "embedding", "input_cost_per_token": 1e-6, "max_input_tokens": 100},
              "free/model": {"mode": "chat", "input_cost_per_token": 1, "max_input_tokens": 5},
              "dear": {"mode": "chat", "input_cost_per_token": 1e308, "max_input_tokens": 100},
              "twice-bad": {"mode": "chat", "input_cost_per_token": -1, "max_input_tokens": 100},
              "twice-bad": {"mode": "chat", "input_cost_per_token": 1e-6, "max_input_tokens": 100},
              "list": [1, 2]
            }
            """;
        final ImportedCatalog imported = LiteLlmImport.fromJson("awkward.json", json.getBytes(StandardCharsets.UTF_8),
            ImportOptions.byPrice());
        assertEquals(Set.of("vertex_ai/claude@2024:0", "free/model", "huge", "quote\"and\\back\nslash\u00e9\ud83d\ude00"),
            ids(imported));
        assertEquals(Map.of(SkipReason.SAMPLE_SPEC, 1, SkipReason.MALFORMED, 12, SkipReason.NOT_CHAT, 2,
            SkipReason.NO_PRICE, 1, SkipReason.NO_CONTEXT, 2), imported.skipped(), String.join("\n", imported.malformed()));
        assertTrue(imported.malformed().contains("line 22: \"free/model\": the id is given twice: line 5 gives it " +
            "first (imported); this later entry is not imported"), String.join("\n", imported.malformed()));
        assertTrue(imported.malformed().contains("line 25: \"twice-bad\": the id is given twice: line 24 gives it " +
            "first (skipped as malformed); this later entry is not imported either"),
            String.join("\n", imported.malformed()));
        assertTrue(imported.malformed().contains("line 23: \"dear\": input_cost_per_token is 1e308, out of range: " +
            "at most about 1.8e302 per token (a catalog holds prices per million tokens as doubles, at most " +
            "1.7976931348623157E308)"),
            String.join("\n", imported.malformed()));
        assertTrue(imported.malformed().stream().anyMatch(m -> m.startsWith("line 12: \"nan\": input_cost_per_token")));
        final LoadedCatalog loaded = CatalogLoader.parse("awkward.yaml", imported.yaml(), false);
        final Map<String, ModelDefinition> models = loaded.definition().models();
        assertEquals(models.keySet(), ids(imported), "ids read back as written");
        assertEquals(9007199254740992L, models.get("free/model").contextWindow());
        assertEquals(10485760, models.get("huge").contextWindow());
        assertEquals(0.1, models.get("huge").inputCostPerMtok());
        assertEquals(0.0, models.get("free/model").inputCostPerMtok());
        assertEquals("we:ird/\u2028", models.get("quote\"and\\back\nslash\u00e9\ud83d\ude00").provider());
        assertTrue(imported.yaml().lines().filter(l -> l.startsWith("#")).allMatch(l -> l.chars().allMatch(c ->
            c >= 0x20 && c < 0x7f)), "the header stays comments, whatever the ids hold");
    }

    @Test
    void shouldWriteIdsOfAnyLengthAndRefusePricesACatalogCannotKeep() throws Exception
    {
        final String cjk = "\u4e2d".repeat(171);
        final String ascii = "x".repeat(2_000);
        final String json = "{\"" + cjk + "\": " + chat("1e-6") + ", \"" + ascii + "\": " + chat("2e-6") +
            ", \"tiny\": " + chat("1e-999999999") + ", \"digits\": " + chat("0." + "1".repeat(50)) +
            ", \"smallest\": " + chat("1e-36") + "}";
        final ImportedCatalog imported = LiteLlmImport.fromJson("long.json", json.getBytes(StandardCharsets.UTF_8),
            ImportOptions.byPrice());
        assertEquals(Set.of(cjk, ascii, "smallest"), ids(imported));
        assertEquals(2, imported.skipped().get(SkipReason.MALFORMED));
        final LoadedCatalog loaded = CatalogLoader.parse("long.yaml", imported.yaml(), false);
        assertEquals(Set.of(cjk, ascii, "smallest"), loaded.definition().models().keySet());
        assertEquals(1e-30, loaded.definition().models().get("smallest").inputCostPerMtok());
        assertTrue(loaded.definition().tiers().stream().anyMatch(tier -> tier.models().contains(cjk)));
    }

    @Test
    void shouldTierByCapabilityThresholds() throws Exception
    {
        final byte[] json = priceList("a", "b", "c", "d", "e", "f");
        final Map<String, Double> capabilities = Map.of("a", 0.85, "b", 0.8499, "c", 0.7, "d", 0.2, "e", 1.0,
            "ghost", 0.9);
        final ImportedCatalog imported = LiteLlmImport.fromJson("p.json", json,
            ImportOptions.byCapability(capabilities, "caps.yaml"));
        assertEquals(List.of(List.of("a", "e"), List.of("b", "c"), List.of("d")), imported.tiers());
        assertEquals(List.of("f"), imported.withoutCapability());
        assertEquals(List.of("ghost"), imported.unusedCapabilities());
        final LoadedCatalog loaded = CatalogLoader.parse("t.yaml", imported.yaml(), false);
        assertEquals(0.8499, loaded.definition().models().get("b").capability());
        assertEquals(1, loaded.warnings().size(), "f is in no tier");
        assertTrue(imported.yaml().contains("#   f\n"), "listed");

        final ImportedCatalog four = LiteLlmImport.fromJson("p.json", json, new ImportOptions(capabilities, "caps.yaml",
            List.of(0.95, 0.8, 0.5), Set.of(), null));
        assertEquals(List.of(List.of("e"), List.of("a", "b"), List.of("c"), List.of("d")), four.tiers());
        assertEquals("tier 2: 0.8 <= capability < 0.95 (2 models)", four.tierRules().get(1));

        final ImportedCatalog gap = LiteLlmImport.fromJson("p.json", json, new ImportOptions(Map.of("a", 0.9, "b", 0.1),
            "caps.yaml", List.of(0.85, 0.7), Set.of(), null));
        assertEquals(List.of(List.of("a"), List.of("b")), gap.tiers(), "the empty middle tier is dropped");
        assertEquals(List.of("tier 1: capability >= 0.85 (1 models)", "tier 2: capability < 0.7 (1 models)"),
            gap.tierRules());

        final CatalogException none = assertThrows(CatalogException.class, () -> LiteLlmImport.fromJson("p.json", json,
            ImportOptions.byCapability(Map.of("zzz", 0.9), "caps.yaml")));
        assertTrue(none.getMessage().contains("none of the 6 imported models has a capability in caps.yaml"));
    }

    @Test
    void shouldTierByInputPriceTercilesDearestFirst() throws Exception
    {
        assertEquals(List.of(List.of("m0")), LiteLlmImport.fromJson("p.json", priceList("m0"), ImportOptions.byPrice())
            .tiers());
        assertEquals(List.of(List.of("m1"), List.of("m0")), LiteLlmImport.fromJson("p.json", priceList("m0", "m1"),
            ImportOptions.byPrice()).tiers(), "m1 costs more");
        final ImportedCatalog seven = LiteLlmImport.fromJson("p.json",
            priceList("m0", "m1", "m2", "m3", "m4", "m5", "m6"), ImportOptions.byPrice());
        assertEquals(List.of(List.of("m4", "m5", "m6"), List.of("m2", "m3"), List.of("m0", "m1")), seven.tiers());
        final LoadedCatalog loaded = CatalogLoader.parse("p.yaml", seven.yaml(), false);
        assertEquals(0.7, loaded.definition().models().get("m0").capability(), "capability left to the default");
        assertTrue(seven.yaml().lines().noneMatch(l -> l.contains("capability:")));
        assertTrue(seven.yaml().contains("Tiers by input price terciles"));
    }

    @Test
    void shouldFilterByProviderAndIdPattern() throws Exception
    {
        final byte[] json = priceList("openai/a", "openai/b", "anthropic/c", "other/d");
        final ImportedCatalog imported = LiteLlmImport.fromJson("p.json", json, new ImportOptions(null, null,
            ImportOptions.DEFAULT_TIER_THRESHOLDS, Set.of("openai", "anthropic"), Pattern.compile("[bc]$")));
        assertEquals(Set.of("openai/b", "anthropic/c"), ids(imported));
        assertEquals(1, imported.filteredByProvider());
        assertEquals(1, imported.filteredByInclude());
        assertTrue(imported.yaml().contains("# Filtered out: 1 by --providers, 1 by --include."));
        final CatalogException nothing = assertThrows(CatalogException.class, () -> LiteLlmImport.fromJson("p.json",
            json, new ImportOptions(null, null, ImportOptions.DEFAULT_TIER_THRESHOLDS, Set.of("nobody"), null)));
        assertTrue(nothing.getMessage().contains("no model to import: 4 entries, 0 skipped, 4 filtered out"),
            nothing.getMessage());
    }

    @Test
    void shouldRefuseFilesThatAreNotPriceLists() throws Exception
    {
        assertRefused("", "p.json: the file is empty");
        assertRefused("[1, 2]", "p.json (line 1): expected LiteLLM's price list, one JSON object of model id to " +
            "fields; the file starts with a list");
        assertRefused("{\"a\": {\"mode\": \"chat\",\n\"input_cost_per_token\": }",
            "p.json (line 2, column 25): not valid JSON: a value should start here, not \"}\"");
        assertRefused("{\"a\": {\"mode\": \"chat\"}", "p.json (line 1, column 23): not valid JSON: the text ends inside " +
            "an object");
        assertRefused("{} {}", "p.json (line 1): more text after the price list's closing brace");
        assertRefused("mode: chat", "p.json (line 1, column 1): not valid JSON");
        final Path latin1 = Files.write(dir.resolve("latin1.json"), new byte[] {'{', '"', (byte)0xE9, '"', ':', '1', '}'});
        assertTrue(assertThrows(CatalogException.class, () -> LiteLlmImport.fromFile(latin1, ImportOptions.byPrice()))
            .getMessage().contains("not valid JSON: not UTF-8 text"));
        assertTrue(assertThrows(CatalogException.class, () -> LiteLlmImport.fromFile(dir, ImportOptions.byPrice()))
            .getMessage().endsWith("is a directory, not a price list"));
        assertTrue(assertThrows(CatalogException.class, () -> LiteLlmImport.fromFile(dir.resolve("none.json"),
            ImportOptions.byPrice())).getMessage().endsWith("none.json: no such file"));
    }

    @Test
    void shouldRefuseThresholdsThatDoNotDecrease()
    {
        assertThrows(IllegalArgumentException.class, () -> new ImportOptions(Map.of(), "c", List.of(0.7, 0.85),
            Set.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new ImportOptions(Map.of(), "c", List.of(0.7, 0.7),
            Set.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new ImportOptions(Map.of(), "c", List.of(), Set.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new ImportOptions(Map.of(), "c", List.of(Double.NaN),
            Set.of(), null));
    }

    private static String chat(final String price)
    {
        return "{\"mode\": \"chat\", \"input_cost_per_token\": " + price + ", \"max_input_tokens\": 1000}";
    }

    private void assertRefused(final String json, final String expectedStart)
    {
        final CatalogException refused = assertThrows(CatalogException.class,
            () -> LiteLlmImport.fromJson("p.json", json.getBytes(StandardCharsets.UTF_8), ImportOptions.byPrice()));
        assertTrue(refused.getMessage().startsWith(expectedStart), refused.getMessage());
    }

    /** Chat models priced 1, 2, 3, ... $/Mtok in the order given, each with provider = the id's part before '/'. */
    private static byte[] priceList(final String... ids)
    {
        final List<String> entries = new ArrayList<>();
        for (int i = 0; i < ids.length; i++)
        {
            final String provider = ids[i].contains("/") ? ids[i].substring(0, ids[i].indexOf('/')) : "p";
            entries.add("\"" + ids[i] + "\": {\"mode\": \"chat\", \"input_cost_per_token\": " +
                BigDecimal.valueOf(i + 1).scaleByPowerOfTen(-6) + ", \"max_input_tokens\": 100000, " +
                "\"litellm_provider\": \"" + provider + "\"}");
        }
        return ("{" + String.join(",\n", entries) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static Set<String> ids(final ImportedCatalog imported)
    {
        final Set<String> ids = new java.util.TreeSet<>();
        imported.models().forEach(model -> ids.add(model.id()));
        return ids;
    }
}
