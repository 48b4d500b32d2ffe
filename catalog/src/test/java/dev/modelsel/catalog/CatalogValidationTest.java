package dev.modelsel.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One test per error SPEC §2 names: each must be refused, nothing loaded, with a message of the form
 * {@code file: key.path (line N): what is wrong}.
 */
class CatalogValidationTest
{
    /** A valid catalog to break one line at a time. Line numbers below refer to this text. */
    private static final String VALID = String.join("\n",
        "version: 1",                                           // 1
        "safety_margin: 0.85",                                  // 2
        "defaults:",                                            // 3
        "  context_window: 100000",                             // 4
        "  input_cost_per_mtok: 5.0",                           // 5
        "  capability: 0.7",                                    // 6
        "complexity_tiers: {low: 2, medium: 2, high: 1}",       // 7
        "escalation: {max_retries: 2, quality_threshold: 0.8}", // 8
        "models:",                                              // 9
        "  big:",                                               // 10
        "    context_window: 200000",                           // 11
        "    input_cost_per_mtok: 15.0",                        // 12
        "    output_cost_per_mtok: 75.0",                       // 13
        "    capability: 1.0",                                  // 14
        "    provider: acme",                                   // 15
        "  small: {context_window: 16000, input_cost_per_mtok: 0.5, capability: 0.5}", // 16
        "tiers:",                                               // 17
        "  - tier: 1",                                          // 18
        "    models: [big]",                                    // 19
        "  - tier: 2",                                          // 20
        "    min_capability: 0.4",                              // 21
        "    models: [small, big]",                             // 22
        "");

    @TempDir
    Path dir;

    @Test
    void shouldLoadTheValidCatalogWithoutWarnings() throws CatalogException
    {
        final LoadedCatalog loaded = CatalogLoader.parse("catalog.yaml", VALID, false);
        assertTrue(loaded.warnings().isEmpty(), loaded.warnings().toString());
        assertEquals(2, loaded.definition().tiers().size());
        assertEquals(75.0, loaded.definition().models().get("big").outputCostPerMtok());
    }

    @Test
    void shouldNameTheNearestKeyForAMisspeltTopLevelKey()
    {
        assertError(replace("safety_margin: 0.85", "safty_margin: 0.85"), "safty_margin", 2,
            "unknown key (did you mean \"safety_margin\"?)");
    }

    @Test
    void shouldNameTheNearestKeyForAMisspeltModelField()
    {
        assertError(replace("    capability: 1.0", "    capabilty: 1.0"), "models.big.capabilty", 14,
            "did you mean \"capability\"?");
    }

    @Test
    void shouldListTheValidKeysWhenNoneIsNear()
    {
        assertError(replace("escalation: {max_retries: 2, quality_threshold: 0.8}",
            "escalation: {max_retries: 2, quality_threshold: 0.8, zzz: 1}"), "escalation.zzz", 8,
            "the keys here are max_retries, quality_threshold");
    }

    @Test
    void shouldRefuseAMissingVersion()
    {
        assertError(replace("version: 1\n", ""), "version", 1, "required key is missing");
    }

    @Test
    void shouldRefuseAnotherVersion()
    {
        assertError(replace("version: 1", "version: 2"), "version", 1, "must be 1");
    }

    @Test
    void shouldRefuseAnIntegerWrittenAsADecimal()
    {
        assertError(replace("    context_window: 200000", "    context_window: 200000.0"), "models.big.context_window",
            11, "must be written as an integer");
        assertError(replace("version: 1", "version: 1.0"), "version", 1, "must be written as an integer");
        assertError(replace("  - tier: 2", "  - tier: 2.0"), "tiers[1].tier", 20, "must be written as an integer");
        assertError(replace("max_retries: 2,", "max_retries: 2.5,"), "escalation.max_retries", 8, "integer");
    }

    @Test
    void shouldRefuseMissingTiers()
    {
        assertError(VALID.substring(0, VALID.indexOf("tiers:\n")), "tiers", 1, "required key is missing");
    }

    @Test
    void shouldRefuseAnEmptyTierList()
    {
        assertError(VALID.substring(0, VALID.indexOf("tiers:\n")) + "tiers: []\n", "tiers", 17, "at least one tier");
    }

    @Test
    void shouldRefuseTiersWithAGap()
    {
        assertError(replace("  - tier: 2", "  - tier: 3"), "tiers", 18, "numbered 1..2 without gaps");
    }

    @Test
    void shouldRefuseATierNumberGivenTwice()
    {
        assertError(replace("  - tier: 2", "  - tier: 1"), "tiers[1].tier", 20, "tier 1 is given twice");
    }

    @Test
    void shouldRefuseTierZero()
    {
        assertError(replace("  - tier: 1", "  - tier: 0"), "tiers[0].tier", 18, "must be a tier number from 1");
    }

    @Test
    void shouldRefuseATierWithoutItsNumberOrModels()
    {
        assertError(replace("  - tier: 2\n    min_capability: 0.4\n", "  - min_capability: 0.4\n"), "tiers[1].tier", 20,
            "required key is missing");
        assertError(replace("    models: [small, big]\n", ""), "tiers[1].models", 20, "required key is missing");
    }

    @Test
    void shouldRefuseAnEmptyTier()
    {
        assertError(replace("    models: [small, big]", "    models: []"), "tiers[1].models", 22, "an empty tier");
    }

    @Test
    void shouldRefuseAModelListedTwiceInOneTier()
    {
        assertError(replace("    models: [small, big]", "    models: [small, big, small]"), "tiers[1].models[2]", 22,
            "listed twice in this tier (also tiers[1].models[0])");
    }

    @Test
    void shouldAllowOneModelInSeveralTiers() throws CatalogException
    {
        final LoadedCatalog loaded = CatalogLoader.parse("catalog.yaml", VALID, false);
        assertEquals(List.of("small", "big"), loaded.definition().tier(2).models());
        assertEquals(List.of("big"), loaded.definition().tier(1).models());
    }

    @Test
    void shouldRefuseAComplexityTierNamingNoTier()
    {
        assertError(replace("{low: 2, medium: 2, high: 1}", "{low: 3, medium: 2, high: 1}"), "complexity_tiers.low", 7,
            "names no tier: 3 (the tiers are 1..2)");
        assertError(replace("{low: 2, medium: 2, high: 1}", "{low: 2, medium: 0, high: 1}"), "complexity_tiers.medium",
            7, "names no tier");
    }

    @Test
    void shouldRefuseAnUnknownComplexity()
    {
        assertError(replace("{low: 2, medium: 2, high: 1}", "{low: 2, medium: 2, hihg: 1}"), "complexity_tiers.hihg", 7,
            "did you mean \"high\"?");
    }

    @Test
    void shouldRefuseValuesOutOfRange()
    {
        assertError(replace("context_window: 200000", "context_window: 0"), "models.big.context_window", 11,
            "must be a token count from 1");
        assertError(replace("context_window: 200000", "context_window: -5"), "models.big.context_window", 11,
            "must be a token count from 1");
        assertError(replace("input_cost_per_mtok: 15.0", "input_cost_per_mtok: -1"), "models.big.input_cost_per_mtok",
            12, "must be 0 or more");
        assertError(replace("output_cost_per_mtok: 75.0", "output_cost_per_mtok: -0.5"),
            "models.big.output_cost_per_mtok", 13, "must be 0 or more");
        assertError(replace("    capability: 1.0", "    capability: 0"), "models.big.capability", 14,
            "must be more than 0");
        assertError(replace("min_capability: 0.4", "min_capability: -0.1"), "tiers[1].min_capability", 21,
            "must be 0 or more");
        assertError(replace("max_retries: 2,", "max_retries: -1,"), "escalation.max_retries", 8, "must be 0 or more");
        assertError(replace("  capability: 0.7", "  capability: -0.7"), "defaults.capability", 6, "must be more than 0");
        assertError(replace("  context_window: 100000", "  context_window: 9007199254740993"),
            "defaults.context_window", 4, "from 1 to 9007199254740992");
    }

    @Test
    void shouldRefuseNanAndInfinity()
    {
        assertError(replace("    capability: 1.0", "    capability: .nan"), "models.big.capability", 14,
            "must be a finite number, not NaN");
        assertError(replace("input_cost_per_mtok: 15.0", "input_cost_per_mtok: .inf"), "models.big.input_cost_per_mtok",
            12, "must be a finite number, not infinity");
        assertError(replace("quality_threshold: 0.8", "quality_threshold: .NaN"), "escalation.quality_threshold", 8,
            "finite");
        assertError(replace("min_capability: 0.4", "min_capability: -.inf"), "tiers[1].min_capability", 21, "finite");
    }

    @Test
    void shouldRefuseASafetyMarginOutsideZeroToOne()
    {
        for (final String margin : List.of("0", "1.5", "-0.85", "0.0"))
        {
            assertError(replace("safety_margin: 0.85", "safety_margin: " + margin), "safety_margin", 2,
                "must be more than 0 and at most 1");
        }
    }

    @Test
    void shouldAcceptASafetyMarginOfExactlyOne() throws CatalogException
    {
        assertEquals(1.0, CatalogLoader.parse("c.yaml", replace("safety_margin: 0.85", "safety_margin: 1"), false)
            .definition().safetyMargin());
    }

    @Test
    void shouldRefuseValuesOfTheWrongType()
    {
        assertError(replace("    capability: 1.0", "    capability: high"), "models.big.capability", 14,
            "must be a number, not \"high\"");
        assertError(replace("    provider: acme", "    provider: 5"), "models.big.provider", 15, "must be a string");
        assertError(replace("    models: [big]", "    models: big"), "tiers[0].models", 19, "must be a list");
        assertError(replace("    models: [small, big]", "    models: [small, 7]"), "tiers[1].models[1]", 22,
            "a model id is a string");
        assertError(replace("  context_window: 100000", "  context_window: \"100000\""), "defaults.context_window", 4,
            "must be an integer, not \"100000\"");
    }

    @Test
    void shouldRefuseAKeyGivenTwice()
    {
        assertError(replace("    capability: 1.0", "    capability: 1.0\n    capability: 0.9"), "models.big.capability",
            15, "key given twice (first on line 14)");
    }

    @Test
    void shouldReportTheLineOfAYamlSyntaxError()
    {
        final CatalogException ex = assertThrows(CatalogException.class,
            () -> CatalogLoader.parse("catalog.yaml", replace("  - tier: 2", "  - tier: [2"), false));
        assertTrue(ex.getMessage().startsWith("catalog.yaml (line "), ex.getMessage());
        assertTrue(ex.getMessage().contains("not valid YAML"), ex.getMessage());
    }

    @Test
    void shouldReportTheLineOfAJsonSyntaxError() throws IOException
    {
        final Path file = dir.resolve("catalog.json");
        Files.writeString(file, "{\n  \"version\": 1,\n  \"tiers\": [\n    {\"tier\": 1 \"models\": [\"a\"]}\n  ]\n}\n");
        final CatalogException ex = assertThrows(CatalogException.class, () -> CatalogLoader.load(file));
        assertEquals(1, ex.errors().size());
        assertEquals(4, ex.errors().get(0).line(), ex.getMessage());
        assertTrue(ex.getMessage().startsWith(file + " (line 4, column 16): not valid JSON: a \",\" or \"}\" should come " +
            "after a value"), ex.getMessage());
    }

    @Test
    void shouldReportEveryErrorAtOnce()
    {
        final CatalogException ex = assertThrows(CatalogException.class, () -> CatalogLoader.parse("catalog.yaml",
            replace(replace("version: 1", "version: 3"), "    capability: 1.0", "    capability: -1"), false));
        assertEquals(List.of("version", "models.big.capability"),
            ex.errors().stream().map(CatalogProblem::path).collect(Collectors.toList()));
    }

    @Test
    void shouldRefuseAnEmptyFileAndANonMapping()
    {
        assertError("", "", 0, "the file is empty");
        assertError("- just\n- a list\n", "", 1, "a catalog is a mapping");
    }

    @Test
    void shouldResolveYamlAliasesOfMappingsAndLists() throws CatalogException
    {
        final LoadedCatalog loaded = CatalogLoader.parse("c.yaml", "version: 1\n" +
            "models:\n  a: &common {context_window: 32000, capability: 0.9}\n  b: *common\n" +
            "tiers:\n  - {tier: 1, models: &both [a, b]}\n  - {tier: 2, models: *both}\n", false);
        assertEquals(32_000, loaded.definition().models().get("b").contextWindow());
        assertEquals(0.9, loaded.definition().models().get("b").capability());
        assertEquals(List.of("a", "b"), loaded.definition().tier(2).models());
    }

    @Test
    void shouldRefuseAnAliasOfASingleValue()
    {
        assertError("version: 1\ntiers: [{tier: 1, models: [&x a, b]}, {tier: 2, models: [*x]}]\n", "", 2,
            "the alias *x at tiers[1].models[0] names no anchored mapping or list");
    }

    @Test
    void shouldExplainThatMergeKeysAreNotSupported()
    {
        assertError("version: 1\nmodels:\n  a: &base {capability: 0.9}\n  b:\n    <<: *base\n    context_window: 5\n" +
            "tiers: [{tier: 1, models: [a, b]}]\n", "models.b.<<", 5, "YAML merge keys are not supported");
    }

    @Test
    void shouldGiveAModelWrittenWithoutAValueEveryDefault() throws CatalogException
    {
        final LoadedCatalog loaded = CatalogLoader.parse("c.yaml", "version: 1\nmodels:\n  a:\n" +
            "tiers: [{tier: 1, models: [a]}]\n", false);
        assertTrue(loaded.warnings().isEmpty(), loaded.warnings().toString());
        assertEquals(100_000, loaded.definition().models().get("a").contextWindow());
        assertTrue(loaded.definition().models().get("a").declared());
        assertEquals(0, CatalogLoader.parse("c.yaml", "version: 1\nmodels:\ndefaults:\n" +
            "tiers: [{tier: 1, models: [a]}]\n", false).definition().models().values().stream()
            .filter(ModelDefinition::declared).count(), "an empty models section declares nothing");
    }

    @Test
    void shouldListErrorsInFileOrder()
    {
        final CatalogException ex = assertThrows(CatalogException.class, () -> CatalogLoader.parse("catalog.yaml",
            replace(replace(replace("version: 1", "version: 3"), "escalation: {max_retries: 2,",
                "escalation: {max_retries: -2,"), "  capability: 0.7", "  capability: 0"), false));
        assertEquals(List.of(1, 6, 8), ex.errors().stream().map(CatalogProblem::line).collect(Collectors.toList()),
            ex.getMessage());
    }

    @Test
    void shouldQuoteAnIdAsTheFileWritesIt()
    {
        assertError(replace("    models: [small, big]", "    models: [small, no]"), "tiers[1].models[1]", 22,
            "a model id is a string, not a boolean; quote it: \"no\"");
    }

    @Test
    void shouldRefuseTextThatIsNotUtf8() throws IOException
    {
        final Path file = dir.resolve("latin1.yaml");
        Files.write(file, "version: 1\ntiers: [{tier: 1, models: [caf\u00e9]}]\n".getBytes(StandardCharsets.ISO_8859_1));
        final CatalogException ex = assertThrows(CatalogException.class, () -> CatalogLoader.load(file));
        assertTrue(ex.getMessage().startsWith(file + ": not UTF-8 text"), ex.getMessage());
    }

    @Test
    void shouldRefuseADirectoryAndAHugeFile() throws IOException
    {
        final CatalogException directory = assertThrows(CatalogException.class, () -> CatalogLoader.load(dir));
        assertTrue(directory.getMessage().endsWith("is a directory, not a catalog file"), directory.getMessage());
        final Path huge = dir.resolve("huge.yaml");
        try (RandomAccessFile sparse = new RandomAccessFile(huge.toFile(), "rw"))
        {
            sparse.setLength(CatalogLoader.MAX_CATALOG_BYTES + 1L);
        }
        final CatalogException tooBig = assertThrows(CatalogException.class, () -> CatalogLoader.load(huge));
        assertTrue(tooBig.getMessage().endsWith("larger than 64 MiB: not a catalog file"), tooBig.getMessage());
    }

    @Test
    void shouldRefuseAFifoAndADeviceWithoutWaitingOnThem() throws Exception
    {
        final Path fifo = dir.resolve("fifo.yaml");
        assumeTrue(mkfifo(fifo), "mkfifo is not available here; a FIFO catalog cannot be tested");
        for (final Path file : List.of(fifo, Path.of("/dev/zero")))
        {
            // opening a FIFO blocks until a writer comes, which none will: the load must not open it
            final CatalogException ex = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(CatalogException.class, () -> CatalogLoader.load(file)), file.toString());
            assertEquals(file + ": not a regular file (a FIFO, a device or a socket), not a catalog file", ex.getMessage());
        }
    }

    static boolean mkfifo(final Path path)
    {
        try
        {
            return new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0;
        }
        catch (final IOException | InterruptedException ex)
        {
            return false;
        }
    }

    @Test
    void shouldNameAMissingFile()
    {
        final CatalogException ex = assertThrows(CatalogException.class, () -> CatalogLoader.load(dir.resolve("none.yaml")));
        assertTrue(ex.getMessage().endsWith("none.yaml: no such file"), ex.getMessage());
    }

    @Test
    void shouldWarnOfATieredModelThatTakesTheDefaults() throws CatalogException
    {
        final LoadedCatalog loaded = CatalogLoader.parse("catalog.yaml",
            replace("    models: [small, big]", "    models: [small, big, smal1]"), false);
        assertEquals(1, loaded.warnings().size());
        assertEquals("catalog.yaml: tiers[1].models[2] (line 22): model \"smal1\" is not in models; it takes all the " +
            "defaults (did you mean \"small\"?)", loaded.warnings().get(0).toString());
        final ModelDefinition defaulted = loaded.definition().models().get("smal1");
        assertEquals(100_000, defaulted.contextWindow());
        assertEquals(0.7, defaulted.capability());
        assertEquals(5.0, defaulted.inputCostPerMtok());
    }

    @Test
    void shouldWarnOfAModelNoTierLists() throws CatalogException
    {
        final LoadedCatalog loaded = CatalogLoader.parse("catalog.yaml",
            replace("  small: {", "  spare: {capability: 0.1}\n  small: {"), false);
        assertEquals(List.of("catalog.yaml: models.spare (line 16): no tier lists this model; it is never selected"),
            loaded.warnings().stream().map(CatalogProblem::toString).collect(Collectors.toList()));
    }

    @Test
    void shouldLoadJsonTextFromAYamlFile() throws CatalogException
    {
        final String json = "{\"version\": 1, \"safety_margin\": 0.9, \"models\": {\"a\": {\"input_cost_per_mtok\": 2.5e-1}}," +
            " \"tiers\": [{\"tier\": 1, \"models\": [\"a\"]}]}";
        final LoadedCatalog loaded = CatalogLoader.parse("catalog.yaml", json, false);
        assertEquals(0.25, loaded.definition().models().get("a").inputCostPerMtok());
        assertEquals(0.9, loaded.definition().safetyMargin());
    }

    @Test
    void shouldApplyDefaultsAndGuideDefaults() throws CatalogException
    {
        final LoadedCatalog loaded = CatalogLoader.parse("c.yaml",
            "version: 1\ndefaults: {capability: 0.9}\nmodels: {a: {context_window: 10}}\ntiers: [{tier: 1, models: [a]}]\n",
            false);
        final ModelDefinition a = loaded.definition().models().get("a");
        assertEquals(10, a.contextWindow());
        assertEquals(0.9, a.capability());
        assertEquals(5.0, a.inputCostPerMtok());
        assertTrue(!a.hasOutputCost());
        assertEquals(0.85, loaded.definition().safetyMargin());
        assertEquals(EscalationPolicy.GUIDE, loaded.definition().escalation());
    }

    @Test
    void shouldGiveLeftOutComplexitiesTheirDefaultTiers() throws CatalogException
    {
        final String oneTier = "version: 1\ntiers: [{tier: 1, models: [a]}]\n";
        final CatalogDefinition one = CatalogLoader.parse("c.yaml", oneTier, false).definition();
        assertEquals(List.of(1, 1, 1), one.initialTiers());
        final String fourTiers = "version: 1\ncomplexity_tiers: {high: 2}\ntiers: [{tier: 1, models: [a]}, " +
            "{tier: 2, models: [a]}, {tier: 4, models: [a]}, {tier: 3, models: [a]}]\n";
        final CatalogDefinition four = CatalogLoader.parse("c.yaml", fourTiers, false).definition();
        assertEquals(List.of(3, 2, 2), four.initialTiers(), "low, medium, high");
        assertEquals(List.of(1, 2, 3, 4), four.tiers().stream().map(TierDefinition::number).collect(Collectors.toList()));
    }

    // SPEC §7: limits and budgets. Each is added to VALID at line 15 (big's provider) or at the end (line 23 on).

    private static final String BUDGETS = String.join("\n",
        "budgets:",                                                                   // 23
        "  - {name: acme-daily, provider: acme, usd: 100, period: day}",            // 24
        "  - {name: big-hourly, model: big, usd: 20.5, period: hour}",              // 25
        "");

    @Test
    void shouldLoadLimitsAndBudgets() throws CatalogException
    {
        final LoadedCatalog loaded = CatalogLoader.parse("catalog.yaml", replace("    provider: acme",
            "    provider: acme\n    limits: {rpm: 500, tpm: 30000}").replace("    models: [small, big]\n",
            "    models: [small, big]\n" + BUDGETS.replace("# 23", "")), false);
        assertTrue(loaded.warnings().isEmpty(), loaded.warnings().toString());
        final ModelDefinition big = loaded.definition().models().get("big");
        assertEquals(new RateLimits(500, 30_000), big.limits());
        assertEquals(RateLimits.NONE, loaded.definition().models().get("small").limits());
        final List<BudgetDefinition> budgets = loaded.definition().budgets();
        assertEquals(2, budgets.size());
        assertEquals("acme", budgets.get(0).provider());
        assertEquals(BudgetPeriod.DAY, budgets.get(0).period());
        assertEquals(100_000_000L, budgets.get(0).limitMicros());
        assertEquals("big", budgets.get(1).model());
        assertEquals(20_500_000L, budgets.get(1).limitMicros());
        assertEquals(30_000, loaded.compile().tokenLimit(loaded.compile().indexOf("big")),
            "a tpm limit below floor(200,000 × 0.85) is the most tokens big takes");
    }

    @Test
    void shouldRefuseBadLimits()
    {
        final String at = "    provider: acme";
        assertError(replace(at, at + "\n    limits: {rpm: -5}"), "models.big.limits.rpm", 16, "from 1 to 1000000000");
        assertError(replace(at, at + "\n    limits: {rpm: 0}"), "models.big.limits.rpm", 16, "from 1 to");
        assertError(replace(at, at + "\n    limits: {tpm: 2.5}"), "models.big.limits.tpm", 16,
            "must be written as an integer");
        assertError(replace(at, at + "\n    limits: {tpm: many}"), "models.big.limits.tpm", 16, "must be an integer");
        assertError(replace(at, at + "\n    limits: {tpm: 1000000001}"), "models.big.limits.tpm", 16, "from 1 to");
        assertError(replace(at, at + "\n    limits: {}"), "models.big.limits", 16, "give rpm");
        assertError(replace(at, at + "\n    limits: {rpn: 5}"), "models.big.limits.rpn", 16, "did you mean \"rpm\"?");
        assertError(replace(at, at + "\n    limits: 500"), "models.big.limits", 16, "must be a mapping");
    }

    @Test
    void shouldRefuseBadBudgets()
    {
        assertError(withBudget("{name: b, usd: 1, period: day}"), "budgets[0]", 24, "give provider");
        assertError(withBudget("{name: b, provider: acme, model: big, usd: 1, period: day}"), "budgets[0]", 24,
            "not both");
        assertError(withBudget("{name: b, provider: acme, usd: 0, period: day}"), "budgets[0].usd", 24,
            "more than 0");
        assertError(withBudget("{name: b, provider: acme, usd: -3, period: day}"), "budgets[0].usd", 24,
            "more than 0");
        assertError(withBudget("{name: b, provider: acme, usd: .inf, period: day}"), "budgets[0].usd", 24, "finite");
        assertError(withBudget("{name: b, provider: acme, period: day}"), "budgets[0].usd", 24, "missing");
        assertError(withBudget("{name: b, provider: acme, usd: 1, period: week}"), "budgets[0].period", 24,
            "hour, day or month");
        assertError(withBudget("{provider: acme, usd: 1, period: day}"), "budgets[0].name", 24, "missing");
        assertError(withBudget("{name: b, provider: acme, usd: 1, period: day, currency: eur}"),
            "budgets[0].currency", 24, "unknown key");
        assertError(withBudget("{name: b, provider: acme, usd: 1, period: day}\n  - {name: b, model: big, usd: 2, " +
            "period: hour}"), "budgets[1].name", 25, "named twice (first on line 24)");
        assertError(replace("    models: [small, big]\n", "    models: [small, big]\nbudgets: {name: b}\n"),
            "budgets", 23, "must be a list");
    }

    @Test
    void shouldWarnOfABudgetThatCoversNothingTheCatalogHas() throws CatalogException
    {
        final LoadedCatalog loaded = CatalogLoader.parse("catalog.yaml", withBudget("{name: a, provider: acmee, " +
            "usd: 1, period: day}\n  - {name: b, model: bigg, usd: 1, period: month}"), false);
        final List<String> warnings = loaded.warnings().stream().map(CatalogProblem::toString).toList();
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("catalog.yaml: budgets[0].provider (line 24): no model of the catalog " +
            "has provider \"acmee\"") && warnings.get(0).contains("did you mean \"acme\"?"), warnings.get(0));
        assertTrue(warnings.get(1).startsWith("catalog.yaml: budgets[1].model (line 25): the catalog has no model " +
            "\"bigg\"") && warnings.get(1).contains("did you mean \"big\"?"), warnings.get(1));
        assertEquals(2, loaded.definition().budgets().size(), "warnings, not errors: both budgets stand");
    }

    private static String withBudget(final String budget)
    {
        return replace("    models: [small, big]\n", "    models: [small, big]\nbudgets:\n  - " + budget + "\n");
    }

    private static String replace(final String text, final String from, final String to)
    {
        if (!text.contains(from))
        {
            throw new IllegalArgumentException("the test's catalog has no \"" + from + "\"");
        }
        return text.replace(from, to);
    }

    private static String replace(final String from, final String to)
    {
        return replace(VALID, from, to);
    }

    private static void assertError(final String text, final String path, final int line, final String fragment)
    {
        final CatalogException ex = assertThrows(CatalogException.class, () -> CatalogLoader.parse("catalog.yaml", text, false),
            "should refuse: " + path);
        final String prefix = "catalog.yaml" + (path.isEmpty() ? "" : ": " + path) + (line > 0 ? " (line " + line + ")" : "") + ": ";
        final boolean found = ex.errors().stream()
            .map(CatalogProblem::toString)
            .anyMatch(message -> message.startsWith(prefix) && message.contains(fragment));
        assertTrue(found, "expected an error starting \"" + prefix + "\" containing \"" + fragment + "\", got:\n" +
            ex.getMessage());
    }
}
