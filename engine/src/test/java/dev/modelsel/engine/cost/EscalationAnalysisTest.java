package dev.modelsel.engine.cost;

import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.engine.protocol.HistoryReader;
import dev.modelsel.engine.protocol.RunLoop;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact counts and costs of generated histories, the guide's threshold boundary, bad lines, unknown models. */
class EscalationAnalysisTest
{
    private static final String CATALOG = "version: 1\n" +
        "defaults: {input_cost_per_mtok: 2}\n" +
        "models:\n" +
        "  big: {input_cost_per_mtok: 15, output_cost_per_mtok: 75}\n" +
        "  mid: {input_cost_per_mtok: 3, output_cost_per_mtok: 15}\n" +
        "  cheap: {input_cost_per_mtok: 0.25}\n" +
        "tiers: [{tier: 1, models: [big]}, {tier: 2, models: [mid]}, {tier: 3, models: [cheap]}]\n";

    @Test
    void shouldCountAndPriceAGeneratedHistoryExactly() throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final String[] models = {"big", "mid", "cheap", "unknown-model"};
        final String[] categories = {"docs", "refactor", "tests", "feature"};
        final Map<String, long[]> expectedCounts = new HashMap<>();
        final Map<String, BigDecimal> expectedCost = new HashMap<>();
        BigDecimal expectedTotal = BigDecimal.ZERO;
        final StringBuilder history = new StringBuilder();
        for (int i = 0; i < 2_000; i++)
        {
            final String category = categories[random.nextInt(categories.length)];
            final String model = models[random.nextInt(models.length)];
            final int initial = 1 + random.nextInt(3);
            final int last = 1 + random.nextInt(3);
            final long in = random.nextInt(300_000);
            final long out = random.nextInt(20_000);
            history.append(String.format("{\"category\": \"%s\", \"complexity\": \"medium\", \"initial_tier\": %d, " +
                "\"final_tier\": %d, \"model\": \"%s\", \"input_tokens\": %d, \"output_tokens\": %d, \"success\": %s}%n",
                category, initial, last, model, in, out, random.nextBoolean()));
            final long[] counts = expectedCounts.computeIfAbsent(category, c -> new long[2]);
            counts[0]++;
            counts[1] += last < initial ? 1 : 0;
            final BigDecimal cost = cost(model, in, out);
            expectedCost.merge(model, cost, BigDecimal::add);
            expectedTotal = expectedTotal.add(cost);
        }
        final EscalationAnalysis.Report report = analyze(history.toString(), 5);
        final String where = "seed " + seed;
        assertEquals(0, report.skipped().size(), where);
        expectedCounts.forEach((category, counts) ->
        {
            final EscalationAnalysis.CategoryReport actual = report.categories().get(category);
            assertEquals(counts[0], actual.phases(), where + " " + category);
            assertEquals(counts[1], actual.escalated(), where + " " + category);
            assertEquals((double)counts[1] / counts[0], actual.escalationRate(), where);
        });
        assertEquals(0, expectedTotal.compareTo(report.totalCostUsd()), where + ": " + expectedTotal + " vs " +
            report.totalCostUsd());
        expectedCost.forEach((model, cost) -> assertEquals(0, cost.compareTo(report.costByModelUsd().get(model)), model));
        assertEquals(List.of("unknown-model"), report.pricedByDefaults());
        assertEquals(List.of("cheap", "unknown-model"), report.outputUnpriced(), "no output price, none by default");
    }

    /** input / 1e6 × input price + output / 1e6 × output price, in decimal, straight from the issue. */
    private static BigDecimal cost(final String model, final long in, final long out)
    {
        final Map<String, String[]> prices = Map.of("big", new String[] {"15", "75"}, "mid", new String[] {"3", "15"},
            "cheap", new String[] {"0.25", "0"}, "unknown-model", new String[] {"2", "0"});
        final String[] price = prices.get(model);
        return new BigDecimal(in).multiply(new BigDecimal(price[0])).add(new BigDecimal(out).multiply(new BigDecimal(price[1])))
            .divide(BigDecimal.valueOf(1_000_000));
    }

    @Test
    void shouldFlagACategoryOnlyAboveTheThreshold() throws Exception
    {
        final String five = escalations("five", 5) + escalations("six", 6) + record("five", 3, 3) + record("six", 2, 2);
        final EscalationAnalysis.Report report = analyze(five, EscalationAnalysis.DEFAULT_THRESHOLD);
        assertFalse(report.categories().get("five").raiseComplexity(), "exactly 5 escalations: the guide's count > 5");
        assertTrue(report.categories().get("six").raiseComplexity(), "6 escalations");
        assertEquals(5, report.categories().get("five").escalated());
        assertEquals(6, report.categories().get("five").phases());
        assertTrue(analyze(five, 4).categories().get("five").raiseComplexity(), "--threshold 4");
    }

    @Test
    void shouldCountADeescalationAsNoEscalation() throws Exception
    {
        final EscalationAnalysis.Report report = analyze(record("c", 1, 3) + record("c", 3, 1) + record("c", 2, 2), 5);
        assertEquals(1, report.categories().get("c").escalated(), "3 -> 1 escalated; 1 -> 3 did not (the guide's bug)");
    }

    @Test
    void shouldSkipBadLinesWithTheirNumbersAndGoOn() throws Exception
    {
        final String history = record("a", 2, 1) +
            "not json\n" +
            "\n" +
            "{\"category\": \"a\", \"complexity\": \"medium\", \"initial_tier\": 2, \"final_tier\": 1, \"model\": \"mid\", " +
            "\"input_tokens\": 10, \"output_tokens\": 10}\n" +
            "{\"category\": \"a\", \"complexity\": \"huge\", \"initial_tier\": 2, \"final_tier\": 1, \"model\": \"mid\", " +
            "\"input_tokens\": 10, \"output_tokens\": 10, \"success\": true}\n" +
            "{\"category\": \"a\", \"complexity\": \"low\", \"initial_tier\": 0, \"final_tier\": 1, \"model\": \"mid\", " +
            "\"input_tokens\": 10, \"output_tokens\": 10, \"success\": true}\n" +
            "{\"category\": \"a\", \"complexity\": \"low\", \"initial_tier\": 2, \"final_tier\": 1, \"model\": \"mid\", " +
            "\"input_tokens\": -1, \"output_tokens\": 10, \"success\": true}\n" +
            "{\"category\": \"a\", \"complexity\": \"low\", \"initial_tier\": 2, \"final_tier\": 1, \"model\": \"mid\", " +
            "\"input_tokens\": 1, \"output_tokens\": 10, \"success\": \"yes\"}\n" +
            record("a", 3, 3);
        final EscalationAnalysis.Report report = analyze(history, 5);
        assertEquals(List.of(2L, 4L, 5L, 6L, 7L, 8L),
            report.skipped().stream().map(EscalationAnalysis.Skipped::line).collect(Collectors.toList()));
        assertTrue(report.skipped().get(1).why().contains("missing success"), report.skipped().get(1).why());
        assertTrue(report.skipped().get(5).why().contains("success must be true or false"), report.skipped().get(5).why());
        assertEquals(2, report.categories().get("a").phases(), "the good lines on either side were read");
    }

    @Test
    void shouldSkipAHistoryLineThatGivesAKeyTwice() throws Exception
    {
        final String history = record("a", 3, 2) + record("a", 3, 2).replace("\"final_tier\": 2", "\"final_tier\": 2, " +
            "\"final_tier\": 3") + record("a", 3, 3);
        final EscalationAnalysis.Report report = analyze(history, 5);
        assertEquals(1, report.skipped().size(), report.skipped().toString());
        assertEquals(2, report.skipped().get(0).line());
        assertTrue(report.skipped().get(0).why().contains("the key \"final_tier\" is given twice"),
            report.skipped().get(0).why());
        assertEquals(2, report.categories().get("a").phases());
        assertEquals(1, report.categories().get("a").escalated());
    }

    @Test
    void shouldFrameHistoryLinesAsRunDoesAndRefuseWhatRunRefuses() throws Exception
    {
        final String good = record("a", 3, 2).trim();
        final ByteArrayOutputStream history = new ByteArrayOutputStream();
        history.writeBytes((good + "\r\n").getBytes(StandardCharsets.UTF_8));                // 1: read, \r dropped
        history.writeBytes((good + "\r" + good + "\n").getBytes(StandardCharsets.UTF_8));    // 2: one line, not two
        history.writeBytes(record("x\u00ff", 3, 2).getBytes(StandardCharsets.ISO_8859_1));  // 3: not UTF-8
        history.writeBytes(record("a", 9, 2).getBytes(StandardCharsets.UTF_8));             // 4: no tier 9
        history.writeBytes(record("a", 3, 4).getBytes(StandardCharsets.UTF_8));             // 5: no tier 4
        history.writeBytes(good.getBytes(StandardCharsets.UTF_8));                          // 6: no line break
        final EscalationAnalysis analysis = new EscalationAnalysis(
            new Pricing(CatalogLoader.parse("c.yaml", CATALOG, false).compile()), 5);
        HistoryReader.read(new ByteArrayInputStream(history.toByteArray()), analysis);
        final EscalationAnalysis.Report report = analysis.report();
        assertEquals(List.of(2L, 3L, 4L, 5L),
            report.skipped().stream().map(EscalationAnalysis.Skipped::line).collect(Collectors.toList()),
            report.skipped().toString());
        assertTrue(report.skipped().get(0).why().startsWith("not a single JSON object"), report.skipped().get(0).why());
        assertTrue(report.skipped().get(1).why().contains("not UTF-8 text"), report.skipped().get(1).why());
        assertTrue(report.skipped().get(2).why().contains("must be tiers of the catalog, 1..3; got 9 and 2"),
            report.skipped().get(2).why());
        assertTrue(report.skipped().get(3).why().contains("got 3 and 4"), report.skipped().get(3).why());
        assertEquals(Set.of("a"), report.categories().keySet(), "no U+FFFD category");
        assertEquals(2, report.categories().get("a").phases());
    }

    @Test
    void shouldSkipAHistoryLineLongerThanARequestLineMayBe() throws Exception
    {
        final String history = record("a", 3, 2) + "{\"category\": \"" + "x".repeat(RunLoop.MAX_LINE_BYTES) + "\"}\n" +
            record("a", 3, 3);
        final EscalationAnalysis.Report report = analyze(history, 5);
        assertEquals(1, report.skipped().size());
        assertEquals(2, report.skipped().get(0).line());
        assertTrue(report.skipped().get(0).why().startsWith("longer than 1048576 bytes"),
            report.skipped().get(0).why());
        assertEquals(2, report.categories().get("a").phases());
    }

    @Test
    void shouldPriceAModelWithoutAnOutputPriceByTheDefaultOne() throws CatalogException
    {
        final Pricing pricing = new Pricing(CatalogLoader.parse("c.yaml", CATALOG.replace("input_cost_per_mtok: 2}",
            "input_cost_per_mtok: 2, output_cost_per_mtok: 8}"), false).compile());
        assertEquals(0, new BigDecimal("0.0079945").compareTo(pricing.costUsd("cheap", 10, 999)),
            "SPEC §2: a field the model leaves out takes the default: 10 x 0.25 + 999 x 8 micro-dollars");
        assertEquals(7995, pricing.costMicros("cheap", 10, 999));
    }

    @Test
    void shouldPriceThroughTheTrackerInWholeMicroDollars() throws CatalogException
    {
        final CompiledCatalog catalog = CatalogLoader.parse("c.yaml", CATALOG, false).compile();
        final InMemoryPhaseCounters counters = new InMemoryPhaseCounters();
        final CostTracker tracker = CostTracker.create(catalog, counters);
        final PhaseOutcome outcome = new PhaseOutcome();
        assertEquals(3, tracker.record(outcome.set("a", Complexity.LOW, 3, 3, "cheap", 10, 999, true)), "2.5 rounds to 3");
        assertEquals(2_000_000, tracker.record(outcome.set("a", Complexity.LOW, 3, 2, "nobody", 1_000_000, 1, false)));
        final Map<String, PhaseCounters.ModelCounts> models = new HashMap<>();
        counters.forEachModel(models::put);
        assertEquals(new PhaseCounters.ModelCounts(1, 0, 0, 10, 999, 3, 0, 1), models.get("cheap"));
        assertEquals(new PhaseCounters.ModelCounts(1, 1, 1, 1_000_000, 1, 2_000_000, 1, 1), models.get("nobody"));
        final Map<String, PhaseCounters.CategoryCounts> categories = new HashMap<>();
        counters.forEachCategory(categories::put);
        assertEquals(new PhaseCounters.CategoryCounts(2, 1), categories.get("a"));
    }

    private static String escalations(final String category, final int count)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            sb.append(record(category, 3, 2));
        }
        return sb.toString();
    }

    private static String record(final String category, final int initialTier, final int finalTier)
    {
        return "{\"category\": \"" + category + "\", \"complexity\": \"low\", \"initial_tier\": " + initialTier +
            ", \"final_tier\": " + finalTier + ", \"model\": \"mid\", \"input_tokens\": 100, \"output_tokens\": 10, " +
            "\"success\": true, \"quality_score\": 0.9, \"attempt\": 1}\n";
    }

    private static EscalationAnalysis.Report analyze(final String history, final int threshold)
        throws IOException, CatalogException
    {
        final EscalationAnalysis analysis = new EscalationAnalysis(
            new Pricing(CatalogLoader.parse("c.yaml", CATALOG, false).compile()), threshold);
        HistoryReader.read(new ByteArrayInputStream(history.getBytes(StandardCharsets.UTF_8)), analysis);
        return analysis.report();
    }
}
