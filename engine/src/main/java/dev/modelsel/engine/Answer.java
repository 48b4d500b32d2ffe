package dev.modelsel.engine;

/**
 * An immutable copy of a {@link Selection}, with {@code null} where SPEC §4 answers null. Allocated per call:
 * for convenience, logs and tests, not for hot paths.
 *
 * @param status      the outcome.
 * @param model       the model id, or {@code null}.
 * @param tier        the tier, or {@code null}.
 * @param initialTier the initial tier of the request's complexity.
 * @param fallback    the fallback step, for {@link Status#OK} only.
 * @param retryAtMs   the retry time, for {@link Status#NO_MODEL_AVAILABLE} (may still be null) and {@link Status#WAIT}.
 */
public record Answer(Status status, String model, Integer tier, int initialTier, Fallback fallback, Long retryAtMs)
{
    public static Answer of(final Selection selection)
    {
        return new Answer(
            selection.status(),
            selection.modelId(),
            selection.tier() == Selection.NO_TIER ? null : selection.tier(),
            selection.initialTier(),
            selection.fallback(),
            selection.hasRetryAt() ? selection.retryAtMs() : null);
    }
}
