package dev.modelsel.engine;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.ModelSets;

/**
 * SPEC §3's fallback chain, the slow path of every selection whose best candidate is not available. Works in the
 * caller's {@link Selection} scratch, three sets of the catalog's width: {@code fitting(n)} in words
 * {@code [0, w)}, the candidate list {@code C} in {@code [w, 2w)}, and a temporary in {@code [2w, 3w)}.
 */
final class FallbackChain
{
    static final int FITTING = 0;
    static final int CANDIDATES = 1;
    static final int TEMPORARY = 2;

    private FallbackChain()
    {
    }

    /**
     * @param view        availability at the request's time.
     * @param tier        the tier {@code t} whose candidates are in the scratch.
     * @param sets        scratch holding {@code fitting(n)} and {@code C} (not empty).
     * @param excluded    the model of {@code X}, or {@link Selection#NO_MODEL}.
     * @param nowMs       the request's time, for the retry time of step 5.
     * @param initialTier echoed in the answer.
     * @param out         the answer.
     */
    static Selection run(
        final AvailabilityView view,
        final int tier,
        final long[] sets,
        final int excluded,
        final long nowMs,
        final int initialTier,
        final Selection out)
    {
        final CompiledCatalog catalog = view.catalog;
        final int words = catalog.words();
        final int fitting = FITTING * words;
        final int candidates = CANDIDATES * words;
        final int temporary = TEMPORARY * words;

        // 1. the best candidate, if it is available
        final int best = ModelSets.best(catalog, tier, sets, candidates, words);
        if (view.isAvailable(best))
        {
            return out.ok(catalog, best, tier, initialTier, Fallback.NONE);
        }

        // 2. the best available candidate of the same tier
        for (int w = 0; w < words; w++)
        {
            sets[temporary + w] = sets[candidates + w] & view.availableWord(w);
        }
        int model = ModelSets.best(catalog, tier, sets, temporary, words);
        if (model >= 0)
        {
            return out.ok(catalog, model, tier, initialTier, Fallback.SAME_TIER);
        }

        // 3. the best available candidate of the tier below, under its own floor (row tierCount + 1 is empty)
        final int lower = tier + 1;
        for (int w = 0; w < words; w++)
        {
            sets[temporary + w] = catalog.tierFloorWord(lower, w) & sets[fitting + w] & view.availableWord(w);
        }
        ModelSets.clear(sets, temporary, excluded);
        model = ModelSets.best(catalog, lower, sets, temporary, words);
        if (model >= 0)
        {
            return out.ok(catalog, model, lower, initialTier, Fallback.LOWER_TIER);
        }

        // 4. the best available model of any tier that fits, in first-appearance order (which rank order is)
        for (int w = 0; w < words; w++)
        {
            sets[temporary + w] = sets[fitting + w] & view.availableWord(w);
        }
        ModelSets.clear(sets, temporary, excluded);
        model = ModelSets.best(catalog, ModelSets.FITTING_ORDER, sets, temporary, words);
        if (model >= 0)
        {
            return out.ok(catalog, model, catalog.lowestTier(model), initialTier, Fallback.ANY);
        }

        // 5. nothing: when the first cooldown among the fitting models that are not down ends
        for (int w = 0; w < words; w++)
        {
            sets[temporary + w] = sets[fitting + w] & ~view.downWord(w);
        }
        ModelSets.clear(sets, temporary, excluded);
        long retryAtMs = Selection.NO_RETRY_AT;
        for (int m = ModelSets.first(sets, temporary, words); m >= 0; m = ModelSets.next(sets, temporary, words, m + 1))
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

    /**
     * Writes {@code fitting(n)} for the fit row into the scratch, and returns it.
     */
    static long[] fitting(final CompiledCatalog catalog, final int fitRow, final Selection out)
    {
        final long[] sets = out.scratch(catalog.words());
        catalog.fitSet(fitRow, sets, FITTING * catalog.words());
        return sets;
    }

    /** Writes SPEC's {@code candidates(tier, n)} from the fitting set; @return whether it is non-empty. */
    static boolean candidates(final CompiledCatalog catalog, final int tier, final long[] sets)
    {
        final int words = catalog.words();
        long any = 0;
        for (int w = 0; w < words; w++)
        {
            final long word = catalog.tierFloorWord(tier, w) & sets[FITTING * words + w];
            sets[CANDIDATES * words + w] = word;
            any |= word;
        }
        return any != 0;
    }
}
