package dev.modelsel.engine;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's library snippet, as written there (with the default catalog), so it cannot rot. */
class ReadmeExampleTest
{
    @Test
    void shouldRunTheReadmeSnippet()
    {
        CompiledCatalog catalog = CatalogLoader.loadDefault().compile();
        Selector selector = Selector.create(catalog, new InMemoryAvailabilityTable());
        Selection selection = new Selection();

        selector.select(Complexity.HIGH, 145_000, System.currentTimeMillis(), selection);
        assertEquals(Status.OK, selection.status());
        String model = selection.modelId();
        assertEquals("claude-3-sonnet-20240229", model);
        selector.rateLimited(Complexity.HIGH, 145_000, System.currentTimeMillis(), model, selection.tier(), 30_000, selection);

        assertEquals("claude-3-opus-20240229", selection.modelId());
        assertEquals(Fallback.SAME_TIER, selection.fallback());
    }

    @Test
    void shouldAnswerTheSameThroughTheSimpleSelector()
    {
        final SimpleSelector simple = SimpleSelector.create(CatalogLoader.loadDefault().compile(),
            new InMemoryAvailabilityTable());
        assertEquals(new Answer(Status.OK, "claude-3-haiku-20240307", 3, 3, Fallback.NONE, null),
            simple.select(Complexity.LOW, 8_000));
        assertEquals(Status.GIVE_UP, simple.escalateOnFailure(Complexity.LOW, 8_000, "claude-3-haiku-20240307", 3, 2).status());
        assertEquals(new Answer(Status.NOT_NEEDED, "claude-3-haiku-20240307", 3, 3, null, null),
            simple.escalateOnQuality(Complexity.LOW, 8_000, "claude-3-haiku-20240307", 3, 0.9));
        assertEquals("claude-3-sonnet-20240229",
            simple.escalateOnTokenOverflow(Complexity.LOW, 120_000, "claude-3-haiku-20240307", 3).model());
    }
}
