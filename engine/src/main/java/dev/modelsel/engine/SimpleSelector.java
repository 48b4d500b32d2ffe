package dev.modelsel.engine;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.availability.AvailabilityTable;

/**
 * The convenient face of {@link Selector}: returns a new {@link Answer} per call and uses the wall clock.
 * It allocates on every call; where a selection sits on a hot path, use {@link Selector} with a reused
 * {@link Selection} instead.
 * <p>
 * Thread-safe.
 */
public final class SimpleSelector
{
    private final Selector selector;

    public SimpleSelector(final Selector selector)
    {
        this.selector = selector;
    }

    public static SimpleSelector create(final CompiledCatalog catalog, final AvailabilityTable table)
    {
        return new SimpleSelector(Selector.create(catalog, table));
    }

    public Selector selector()
    {
        return selector;
    }

    public Answer select(final Complexity complexity, final long tokens)
    {
        return Answer.of(selector.select(complexity, tokens, System.currentTimeMillis(), new Selection()));
    }

    public Answer escalateOnTokenOverflow(final Complexity complexity, final long tokens, final String model, final int tier)
    {
        return escalate(complexity, tokens, model, tier, Trigger.TOKEN_OVERFLOW, 0, 0);
    }

    public Answer escalateOnFailure(
        final Complexity complexity, final long tokens, final String model, final int tier, final long retryCount)
    {
        return escalate(complexity, tokens, model, tier, Trigger.PHASE_FAILURE, retryCount, 0);
    }

    public Answer escalateOnQuality(
        final Complexity complexity, final long tokens, final String model, final int tier, final double qualityScore)
    {
        return escalate(complexity, tokens, model, tier, Trigger.QUALITY, 0, qualityScore);
    }

    public Answer rateLimited(
        final Complexity complexity, final long tokens, final String model, final int tier, final long retryAfterMs)
    {
        return Answer.of(selector.rateLimited(complexity, tokens, System.currentTimeMillis(), model, tier, retryAfterMs,
            new Selection()));
    }

    private Answer escalate(
        final Complexity complexity,
        final long tokens,
        final String model,
        final int tier,
        final Trigger trigger,
        final long retryCount,
        final double qualityScore)
    {
        return Answer.of(selector.escalate(complexity, tokens, System.currentTimeMillis(), model, tier, trigger,
            retryCount, qualityScore, new Selection()));
    }
}
