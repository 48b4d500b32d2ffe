package dev.modelsel.engine;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.protocol.RunSession;
import dev.modelsel.engine.reference.ReferenceProtocol;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every row of SPEC §5, the seed's own cases on the default catalog, through the library and through {@code run}. */
class SeedCasesTest
{
    private static final String OPUS = "claude-3-opus-20240229";
    private static final String SONNET = "claude-3-sonnet-20240229";
    private static final String HAIKU = "claude-3-haiku-20240307";
    private static final long NOW = 1_700_000_000_000L;

    private Selector selector;
    private RunSession run;
    private final Selection selection = new Selection();

    @BeforeEach
    void setUp()
    {
        selector = Selector.create(CatalogLoader.loadDefault().compile(), new InMemoryAvailabilityTable());
        run = new RunSession(selector, () -> NOW);
    }

    @Test
    void shouldPickHaikuForExample1()
    {
        assertEquals(new Answer(Status.OK, HAIKU, 3, 3, Fallback.NONE, null), select(Complexity.LOW, 8_000));
        assertRun("{\"status\": \"OK\", \"model\": \"" + HAIKU + "\", \"tier\": 3, \"initial_tier\": 3, " +
            "\"fallback\": \"NONE\", \"retry_at_ms\": null}", "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 8000}");
    }

    @Test
    void shouldPickSonnetInTier1ForExample2()
    {
        assertEquals(new Answer(Status.OK, SONNET, 1, 1, Fallback.NONE, null), select(Complexity.HIGH, 145_000));
        assertRun("{\"status\": \"OK\", \"model\": \"" + SONNET + "\", \"tier\": 1, \"initial_tier\": 1, " +
            "\"fallback\": \"NONE\", \"retry_at_ms\": null}", "{\"op\": \"select\", \"complexity\": \"high\", \"tokens\": 145000}");
    }

    @Test
    void shouldEscalateSonnetToOpusOnExample2sQualityRetry()
    {
        selector.escalate(Complexity.HIGH, 145_000, NOW, SONNET, 1, Trigger.QUALITY, 0, 0.7, selection);
        assertEquals(new Answer(Status.OK, OPUS, 1, 1, Fallback.NONE, null), Answer.of(selection));
        assertRun("{\"status\": \"OK\", \"model\": \"" + OPUS + "\", \"tier\": 1, \"initial_tier\": 1, " +
            "\"fallback\": \"NONE\", \"retry_at_ms\": null}", "{\"op\": \"escalate\", \"complexity\": \"high\", " +
            "\"tokens\": 145000, \"model\": \"" + SONNET + "\", \"tier\": 1, \"trigger\": \"quality\", \"quality_score\": 0.7}");
    }

    @Test
    void shouldPickHaikuForTest1()
    {
        assertEquals(new Answer(Status.OK, HAIKU, 3, 3, Fallback.NONE, null), select(Complexity.LOW, 5_000));
        assertRun("{\"status\": \"OK\", \"model\": \"" + HAIKU + "\", \"tier\": 3, \"initial_tier\": 3, " +
            "\"fallback\": \"NONE\", \"retry_at_ms\": null}", "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 5000}");
    }

    @Test
    void shouldFindNoModelForTest2sOversizedPrompt()
    {
        assertEquals(new Answer(Status.NO_MODEL_FITS, null, null, 2, null, null), select(Complexity.MEDIUM, 180_000));
        assertRun("{\"status\": \"NO_MODEL_FITS\", \"model\": null, \"tier\": null, \"initial_tier\": 2, " +
            "\"fallback\": null, \"retry_at_ms\": null}", "{\"op\": \"select\", \"complexity\": \"medium\", \"tokens\": 180000}");
    }

    @Test
    void shouldPickSonnetAsBestValueForTest3()
    {
        assertEquals(new Answer(Status.OK, SONNET, 2, 2, Fallback.NONE, null), select(Complexity.MEDIUM, 50_000));
        assertRun("{\"status\": \"OK\", \"model\": \"" + SONNET + "\", \"tier\": 2, \"initial_tier\": 2, " +
            "\"fallback\": \"NONE\", \"retry_at_ms\": null}", "{\"op\": \"select\", \"complexity\": \"medium\", \"tokens\": 50000}");
    }

    @Test
    void shouldFallBackToOpusWhenSonnetIsDown()
    {
        selector.availability().setDown(SONNET);
        assertEquals(new Answer(Status.OK, OPUS, 1, 1, Fallback.SAME_TIER, null), select(Complexity.HIGH, 145_000));
    }

    @Test
    void shouldFallBackToOpusWhenSonnetIsDownThroughRun()
    {
        assertRun("{\"status\": \"OK\"}", "{\"op\": \"set_down\", \"model\": \"" + SONNET + "\"}");
        assertRun("{\"status\": \"OK\", \"model\": \"" + OPUS + "\", \"tier\": 1, \"initial_tier\": 1, " +
            "\"fallback\": \"SAME_TIER\", \"retry_at_ms\": null}", "{\"op\": \"select\", \"complexity\": \"high\", \"tokens\": 145000}");
    }

    private Answer select(final Complexity complexity, final long tokens)
    {
        return Answer.of(selector.select(complexity, tokens, NOW, selection));
    }

    private void assertRun(final String expected, final String request)
    {
        assertEquals(parse(expected), parse(run.handle(1, request)), request);
    }

    private static Map<?, ?> parse(final String json)
    {
        try
        {
            return ReferenceProtocol.JSON.readValue(json, Map.class);
        }
        catch (final Exception ex)
        {
            throw new AssertionError("not JSON: " + json, ex);
        }
    }
}
