package dev.modelsel.engine;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.ModelSets;
import dev.modelsel.engine.limits.Limiter;

/**
 * SPEC §3's fallback chain, the slow path of every selection whose best candidate is not available. Works in the
 * caller's {@link Selection} scratch, four sets of the catalog's width: {@code fitting(n)} in words {@code [0, w)},
 * the candidate list {@code C} in {@code [w, 2w)}, a temporary in {@code [2w, 3w)}, and, when the catalog has SPEC
 * §7 limits, the fitting models whose buckets and budgets admit the request in {@code [3w, 4w)}.
 * <p>
 * With limits, "available" is the view's availability and that admission, and an {@code OK} answer must reserve:
 * a model that no longer admits by the time it is reserved (another thread or process took what was left) is
 * struck from the admitted set and the chain runs again.
 */
final class FallbackChain
{
    static final int FITTING = 0;
    static final int CANDIDATES = 1;
    static final int TEMPORARY = 2;
    static final int ADMITTED = 3;

    private FallbackChain()
    {
    }

    /**
     * @param view        availability at the request's time (and the catalog's limiter, if any).
     * @param tier        the tier {@code t} whose candidates are in the scratch.
     * @param sets        scratch holding {@code fitting(n)} and {@code C} (not empty).
     * @param excluded    the model of {@code X}, or {@link Selection#NO_MODEL}.
     * @param tokens      the request's tokens, for SPEC §7's admission.
     * @param nowMs       the request's time, for the retry time of step 5.
     * @param initialTier echoed in the answer.
     * @param out         the answer.
     */
    static Selection run(
        final AvailabilityView view,
        final int tier,
        final long[] sets,
        final int excluded,
        final long tokens,
        final long nowMs,
        final int initialTier,
        final Selection out)
    {
        admitted(view, sets, tokens, nowMs);
        final int words = view.catalog.words();
        while (true)
        {
            chain(view, tier, sets, excluded, tokens, nowMs, initialTier, out);
            if (out.status() != Status.OK || reserved(view, sets, words, out.model(), tokens, nowMs))
            {
                return out;
            }
        }
    }

    /** With a limiter: writes the fitting models the view has available and whose limits admit the request. */
    static void admitted(final AvailabilityView view, final long[] sets, final long tokens, final long nowMs)
    {
        if (view.limiter == null)
        {
            return;
        }
        final int words = view.catalog.words();
        final int admitted = ADMITTED * words;
        for (int w = 0; w < words; w++)
        {
            sets[admitted + w] = 0;
        }
        for (int m = ModelSets.first(sets, FITTING * words, words); m >= 0;
            m = ModelSets.next(sets, FITTING * words, words, m + 1))
        {
            if (view.isAvailable(m) && view.limiter.admits(m, tokens, nowMs))
            {
                sets[admitted + (m >>> 6)] |= 1L << m;
            }
        }
    }

    /** Word {@code w} of the models available for this request: the view's, and admitted where there are limits. */
    static long usable(final AvailabilityView view, final long[] sets, final int words, final int w)
    {
        return view.limiter == null ? view.availableWord(w) : view.availableWord(w) & sets[ADMITTED * words + w];
    }

    /**
     * Reserves the chosen model's request (SPEC §7). @return whether it holds; when not, the model is struck from
     * the admitted set, so the caller chooses again.
     */
    static boolean reserved(final AvailabilityView view, final long[] sets, final int words, final int model,
        final long tokens, final long nowMs)
    {
        if (view.limiter == null || view.limiter.reserve(model, tokens, nowMs))
        {
            return true;
        }
        ModelSets.clear(sets, ADMITTED * words, model);
        return false;
    }

    private static boolean isUsable(final AvailabilityView view, final long[] sets, final int words, final int model)
    {
        return (usable(view, sets, words, model >>> 6) & (1L << model)) != 0;
    }

    private static void chain(
        final AvailabilityView view,
        final int tier,
        final long[] sets,
        final int excluded,
        final long tokens,
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
        if (isUsable(view, sets, words, best))
        {
            out.ok(catalog, best, tier, initialTier, Fallback.NONE);
            return;
        }

        // 2. the best available candidate of the same tier
        for (int w = 0; w < words; w++)
        {
            sets[temporary + w] = sets[candidates + w] & usable(view, sets, words, w);
        }
        int model = ModelSets.best(catalog, tier, sets, temporary, words);
        if (model >= 0)
        {
            out.ok(catalog, model, tier, initialTier, Fallback.SAME_TIER);
            return;
        }

        // 3. the best available candidate of the tier below, under its own floor (row tierCount + 1 is empty)
        final int lower = tier + 1;
        for (int w = 0; w < words; w++)
        {
            sets[temporary + w] = catalog.tierFloorWord(lower, w) & sets[fitting + w] & usable(view, sets, words, w);
        }
        ModelSets.clear(sets, temporary, excluded);
        model = ModelSets.best(catalog, lower, sets, temporary, words);
        if (model >= 0)
        {
            out.ok(catalog, model, lower, initialTier, Fallback.LOWER_TIER);
            return;
        }

        // 4. the best available model of any tier that fits, in first-appearance order (which rank order is)
        for (int w = 0; w < words; w++)
        {
            sets[temporary + w] = sets[fitting + w] & usable(view, sets, words, w);
        }
        ModelSets.clear(sets, temporary, excluded);
        model = ModelSets.best(catalog, ModelSets.FITTING_ORDER, sets, temporary, words);
        if (model >= 0)
        {
            out.ok(catalog, model, catalog.lowestTier(model), initialTier, Fallback.ANY);
            return;
        }

        // 5. nothing: the earliest time after now at which a fitting model that is not down would be available: its
        // cooldown's end, and with SPEC §7 limits the latest of that, its buckets' admitting and its budgets' ends
        for (int w = 0; w < words; w++)
        {
            sets[temporary + w] = sets[fitting + w] & ~view.downWord(w);
        }
        ModelSets.clear(sets, temporary, excluded);
        long retryAtMs = Selection.NO_RETRY_AT;
        for (int m = ModelSets.first(sets, temporary, words); m >= 0; m = ModelSets.next(sets, temporary, words, m + 1))
        {
            long at = view.cooldownUntilMs(m);
            if (view.limiter != null)
            {
                at = Math.max(Math.max(at, nowMs), view.limiter.availableAtMs(m, tokens, nowMs));
            }
            if (at > nowMs && at != Limiter.NEVER && (retryAtMs == Selection.NO_RETRY_AT || at < retryAtMs))
            {
                retryAtMs = at;
            }
        }
        out.set(catalog, Status.NO_MODEL_AVAILABLE, Selection.NO_MODEL, Selection.NO_TIER, initialTier, null,
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
