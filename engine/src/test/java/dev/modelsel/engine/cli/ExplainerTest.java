package dev.modelsel.engine.cli;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.AvailabilityTable;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code select --explain} tells each fallback step the selector took, on the default catalog. */
class ExplainerTest
{
    private static final long NOW = 1_000;

    private CompiledCatalog catalog;
    private AvailabilityTable table;

    @BeforeEach
    void setUp()
    {
        catalog = CatalogLoader.loadDefault().compile();
        table = new InMemoryAvailabilityTable();
    }

    @Test
    void shouldTellTheSameTierFallback()
    {
        table.setDown("claude-3-sonnet-20240229");
        final String story = explain(Complexity.HIGH, 145_000);
        assertContains(story, "Fallback step 1: the best candidate, claude-3-sonnet-20240229, is down.");
        assertContains(story, "Fallback step 2: the best available candidate of tier 1 is claude-3-opus-20240229.");
        assertContains(story, "Answer: OK claude-3-opus-20240229, tier 1 (initial tier 1, fallback SAME_TIER)");
    }

    @Test
    void shouldTellTheLowerTierFallbackAndShowThatTier()
    {
        table.setRateLimited("claude-3-sonnet-20240229", NOW + 30_000);
        final String story = explain(Complexity.MEDIUM, 50_000);
        assertContains(story, "passed over: below the tier floor, capability 0.6 < 0.8");
        assertContains(story, "is cooling until 31000 (in 30 s).");
        assertContains(story, "Tier 3 (min_capability 0)");
        assertContains(story, "Fallback step 3: the best available candidate of tier 3 (less capable) is claude-3-haiku-20240307.");
    }

    @Test
    void shouldTellTheAnyTierFallback()
    {
        table.setDown("claude-3-sonnet-20240229");
        table.setDown("claude-3-haiku-20240307");
        table.setDown("claude-instant-1.2");
        final String story = explain(Complexity.MEDIUM, 50_000);
        assertContains(story, "Fallback step 3: no candidate of tier 3 is available.");
        assertContains(story, "Fallback step 4: the best available model of any tier that fits is gpt-4-1106-preview " +
            "(first listed in tier 2).");
    }

    @Test
    void shouldTellWhenToRetry()
    {
        table.setRateLimited("claude-3-sonnet-20240229", 5_000);
        table.setDown("claude-3-opus-20240229");
        final String story = explain(Complexity.HIGH, 145_000);
        assertContains(story, "Fallback step 5: NO_MODEL_AVAILABLE; the first cooldown among them ends at 5000");
        assertContains(story, "Answer: NO_MODEL_AVAILABLE, retry at 5000");
    }

    @Test
    void shouldTellTheEscalationOnTokenOverflowAndNoFit()
    {
        final String story = explain(Complexity.LOW, 100_000);
        assertContains(story, "No candidate in tier 3: escalate to tier 2 (token overflow).");
        assertContains(story, "Answer: OK claude-3-sonnet-20240229, tier 2");
        final String none = explain(Complexity.MEDIUM, 180_000);
        assertContains(none, "No candidate in tier 1 either: nothing can take 180000 tokens.");
        assertContains(none, "Answer: NO_MODEL_FITS");
    }

    private String explain(final Complexity complexity, final long tokens)
    {
        final Selection answer = Selector.create(catalog, table).select(complexity, tokens, NOW, new Selection());
        return String.join("\n", Explainer.explain(catalog, table, complexity, tokens, NOW, answer));
    }

    private static void assertContains(final String story, final String expected)
    {
        assertTrue(story.contains(expected), "expected \"" + expected + "\" in:\n" + story);
    }
}
