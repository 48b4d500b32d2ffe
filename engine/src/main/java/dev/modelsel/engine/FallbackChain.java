package dev.modelsel.engine;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.ModelSets;

/**
 * SPEC §3's fallback chain, the slow path of every selection whose best candidate is not available (or whose
 * tier breaks ties against rank order). Works in the caller's {@link Selection} scratch: the candidate list
 * {@code C} in words {@code [0, words)}, a temporary set in {@code [words, 2 * words)}.
 */
final class FallbackChain
{
    private FallbackChain()
    {
    }

    /**
     * @param view        availability at the request's time.
     * @param tier        the tier {@code t} whose candidates are in the scratch.
     * @param fitRow      the catalog's fit row for the request's tokens: every step keeps the token fit.
     * @param sets        scratch holding {@code C}, not empty.
     * @param excluded    the model of {@code X}, or {@link Selection#NO_MODEL}.
     * @param nowMs       the request's time, for the retry time of step 5.
     * @param initialTier echoed in the answer.
     * @param out         the answer.
     */
    static Selection run(
        final AvailabilityView view,
        final int tier,
        final int fitRow,
        final long[] sets,
        final int excluded,
        final long nowMs,
        final int initialTier,
        final Selection out)
    {
        final CompiledCatalog catalog = view.catalog;
        final int words = catalog.words();

        // 1. the best candidate, if it is available
        final int best = ModelSets.best(catalog, tier, sets, 0, words);
        if (view.isAvailable(best))
        {
            return out.ok(catalog, best, tier, initialTier, Fallback.NONE);
        }

        // 2. the best available candidate of the same tier
        for (int w = 0; w < words; w++)
        {
            sets[words + w] = sets[w] & view.availableWord(w);
        }
        int model = ModelSets.best(catalog, tier, sets, words, words);
        if (model >= 0)
        {
            return out.ok(catalog, model, tier, initialTier, Fallback.SAME_TIER);
        }

        // 3. the best available candidate of the tier below, under its own floor (row tierCount + 1 is empty)
        final int lower = tier + 1;
        for (int w = 0; w < words; w++)
        {
            sets[words + w] = catalog.candidateWord(lower, fitRow, w) & view.availableWord(w);
        }
        ModelSets.clear(sets, words, excluded);
        model = ModelSets.best(catalog, lower, sets, words, words);
        if (model >= 0)
        {
            return out.ok(catalog, model, lower, initialTier, Fallback.LOWER_TIER);
        }

        // 4. the best available model of any tier that fits, in first-appearance order (which rank order is)
        for (int w = 0; w < words; w++)
        {
            sets[words + w] = catalog.fitWord(fitRow, w) & view.availableWord(w);
        }
        ModelSets.clear(sets, words, excluded);
        model = ModelSets.best(catalog, ModelSets.FITTING_ORDER, sets, words, words);
        if (model >= 0)
        {
            return out.ok(catalog, model, catalog.lowestTier(model), initialTier, Fallback.ANY);
        }

        // 5. nothing: when the first cooldown among the fitting models that are not down ends
        for (int w = 0; w < words; w++)
        {
            sets[words + w] = catalog.fitWord(fitRow, w) & ~view.downWord(w);
        }
        ModelSets.clear(sets, words, excluded);
        long retryAtMs = Selection.NO_RETRY_AT;
        for (int m = ModelSets.first(sets, words, words); m >= 0; m = ModelSets.next(sets, words, words, m + 1))
        {
            final long deadline = view.cooldownUntilMs(m);
            if (deadline > nowMs && (retryAtMs == Selection.NO_RETRY_AT || deadline < retryAtMs))
            {
                retryAtMs = deadline;
            }
        }
        return out.set(catalog, Status.NO_MODEL_AVAILABLE, Selection.NO_MODEL, Selection.NO_TIER, initialTier, null,
            retryAtMs);
    }
}
