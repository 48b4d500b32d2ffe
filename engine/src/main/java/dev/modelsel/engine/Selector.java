package dev.modelsel.engine;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.catalog.ModelSets;
import dev.modelsel.engine.availability.AvailabilityTable;
import dev.modelsel.engine.limits.Limiter;
import dev.modelsel.engine.limits.LimitsStore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Picks a model per SPEC §3: {@link #select}, {@link #escalate} and {@link #rateLimited}, answers written into
 * a caller-owned {@link Selection}.
 * <p>
 * <b>Fast path.</b> A select whose best candidate is available costs: one load of the table's change sequence
 * and one time comparison (is the local availability view current?), a binary search over the distinct token
 * limits, one lookup of the precomputed choice for that initial tier and fit row
 * ({@link CompiledCatalog#primaryChoice}), and one availability bit. No allocation, no boxing, no hash lookup, no
 * lock, no loop over models. Everything else (a fallback, a refresh after a write or a passed deadline) is a slow
 * path over bitset words.
 * <p>
 * <b>Thread safety.</b> Any number of threads may call concurrently, each with its own {@link Selection}. The
 * availability view is immutable and swapped by compare-and-set; a thread that finds it stale builds a current
 * one for its own call even if another thread's wins the swap. {@link #reload} swaps in a new catalog; calls
 * already running finish on the old one, and their {@link Selection#catalog()} says which.
 * <p>
 * <b>Visibility.</b> A call that starts after a write to the table returned sees that write: see
 * {@link AvailabilityTable} for the protocol.
 * <p>
 * <b>Limits and budgets</b> (SPEC §7), when the catalog gives any and the selector has a {@link LimitsStore}: a model
 * is available only if its buckets admit the request and no budget covering it is exhausted, and an {@code OK}
 * answer reserves one request and the tokens. On the fast path that is one compare-and-set per bucket of the best
 * candidate; a candidate that does not admit sends the call down the slow path, which looks at every fitting
 * model's buckets. A catalog without limits selects exactly as before.
 */
public final class Selector
{
    private static final VarHandle VIEW;

    static
    {
        try
        {
            VIEW = MethodHandles.lookup().findVarHandle(Selector.class, "view", AvailabilityView.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final AvailabilityTable table;
    private final LimitsStore limits;
    @SuppressWarnings("unused") // accessed through VIEW
    private volatile AvailabilityView view;

    private Selector(final CompiledCatalog catalog, final AvailabilityTable table, final LimitsStore limits)
    {
        this.table = table;
        this.limits = limits;
        this.view = AvailabilityView.read(catalog, Limiter.of(catalog, limits), table, System.currentTimeMillis());
    }

    /**
     * @param catalog the compiled catalog to select from.
     * @param table   where availability is read (and, by {@link #rateLimited}, written).
     * @return a selector; cheap to create, meant to be long-lived and shared.
     */
    public static Selector create(final CompiledCatalog catalog, final AvailabilityTable table)
    {
        return new Selector(catalog, table, null);
    }

    /**
     * @param limits where SPEC §7's buckets and budget spend are kept, shared by every selector (and process) that
     *               should draw from the same limits; null: the catalog's limits and budgets are not applied.
     * @return a selector that also applies the catalog's limits and budgets.
     */
    public static Selector create(final CompiledCatalog catalog, final AvailabilityTable table,
        final LimitsStore limits)
    {
        return new Selector(catalog, table, limits);
    }

    /** The catalog calls starting now select from. */
    public CompiledCatalog catalog()
    {
        return view.catalog;
    }

    public AvailabilityTable availability()
    {
        return table;
    }

    /** SPEC §7 for the catalog calls starting now select from, or null when it has no limits (or no store). */
    public Limiter limiter()
    {
        return view.limiter;
    }

    /** Selects from {@code catalog} from now on. Availability is keyed by model id, so it carries over. */
    public void reload(final CompiledCatalog catalog)
    {
        view = AvailabilityView.read(catalog, Limiter.of(catalog, limits), table, System.currentTimeMillis());
    }

    /**
     * SPEC §3 {@code select(complexity, tokens)}: the initial tier, escalated upwards while no candidate fits,
     * then the fallback chain.
     *
     * @param complexity the task's complexity.
     * @param tokens     its estimated tokens, &ge; 0.
     * @param nowMs      the time availability is judged at, epoch ms.
     * @param out        receives the answer.
     * @return {@code out}.
     */
    public Selection select(final Complexity complexity, final long tokens, final long nowMs, final Selection out)
    {
        final AvailabilityView view = viewAt(nowMs);
        final CompiledCatalog catalog = view.catalog;
        final long choice = catalog.choose(complexity, tokens);
        if (choice != CompiledCatalog.NO_CHOICE)
        {
            final int model = CompiledCatalog.choiceModel(choice);
            if (view.isAvailable(model) && (view.limiter == null || view.limiter.reserve(model, tokens, nowMs)))
            {
                return out.ok(catalog, model, CompiledCatalog.choiceTier(choice), catalog.initialTier(complexity),
                    Fallback.NONE);
            }
            return unavailable(view, CompiledCatalog.choiceTier(choice), catalog.fitRow(tokens), tokens, nowMs,
                catalog.initialTier(complexity), out);
        }
        return out.without(catalog, Status.NO_MODEL_FITS, catalog.initialTier(complexity));
    }

    /**
     * The best candidate is not available. The usual answer is step 2, the tier's best available candidate: its
     * first set bit in candidates AND available, when the tier's ties follow rank order. The rest of the chain,
     * and catalogs whose fit rows are not all kept, take the slow path.
     */
    private static Selection unavailable(
        final AvailabilityView view, final int tier, final int fitRow, final long tokens, final long nowMs,
        final int initialTier, final Selection out)
    {
        final CompiledCatalog catalog = view.catalog;
        if (view.limiter == null && catalog.hasCandidateWords() && catalog.rankFollowsListOrder(tier))
        {
            for (int w = 0, words = catalog.words(); w < words; w++)
            {
                final long available = catalog.candidateWord(tier, fitRow, w) & view.availableWord(w);
                if (available != 0)
                {
                    return out.ok(catalog, (w << 6) + Long.numberOfTrailingZeros(available), tier, initialTier,
                        Fallback.SAME_TIER);
                }
            }
        }
        final long[] sets = FallbackChain.fitting(catalog, fitRow, out);
        FallbackChain.candidates(catalog, tier, sets);
        return FallbackChain.run(view, tier, sets, Selection.NO_MODEL, tokens, nowMs, initialTier, out);
    }

    /** {@link #select(Complexity, long, long, Selection)} at the wall-clock time. */
    public Selection select(final Complexity complexity, final long tokens, final Selection out)
    {
        return select(complexity, tokens, System.currentTimeMillis(), out);
    }

    /**
     * SPEC §3 {@code escalate}: after model {@code modelId} of tier {@code tier} overflowed, failed or fell short
     * of the quality threshold, find a model that fits and (for failure and quality) is more capable.
     *
     * @param complexity   the task's complexity (for {@code initial_tier}).
     * @param tokens       the task's tokens now.
     * @param nowMs        the time availability is judged at.
     * @param modelId      the model that was used; must be listed in a tier.
     * @param tier         the tier it was chosen from; must exist.
     * @param trigger      why.
     * @param retryCount   retries so far, for {@link Trigger#PHASE_FAILURE}; ignored otherwise.
     * @param qualityScore the score, for {@link Trigger#QUALITY}; ignored otherwise.
     * @param out          receives the answer.
     * @return {@code out}.
     * @throws IllegalArgumentException when the model is in no tier or the tier does not exist.
     */
    public Selection escalate(
        final Complexity complexity,
        final long tokens,
        final long nowMs,
        final String modelId,
        final int tier,
        final Trigger trigger,
        final long retryCount,
        final double qualityScore,
        final Selection out)
    {
        final AvailabilityView view = viewAt(nowMs);
        final CompiledCatalog catalog = view.catalog;
        final int initialTier = catalog.initialTier(complexity);
        final int failed = tieredModel(catalog, modelId, tier);

        if (trigger == Trigger.PHASE_FAILURE && retryCount >= catalog.escalation().maxRetries())
        {
            return out.without(catalog, Status.GIVE_UP, initialTier);
        }
        if (trigger == Trigger.QUALITY && qualityScore >= catalog.escalation().qualityThreshold())
        {
            return out.set(catalog, Status.NOT_NEEDED, failed, tier, initialTier, null, Selection.NO_RETRY_AT);
        }

        final int fitRow = catalog.fitRow(tokens);
        final long[] sets = FallbackChain.fitting(catalog, fitRow, out);
        if (trigger == Trigger.TOKEN_OVERFLOW)
        {
            final long choice = catalog.primaryChoice(tier, fitRow); // the first tier t, t-1, ..., 1 with a candidate
            if (choice != CompiledCatalog.NO_CHOICE)
            {
                final int e = CompiledCatalog.choiceTier(choice);
                FallbackChain.candidates(catalog, e, sets);
                return FallbackChain.run(view, e, sets, Selection.NO_MODEL, tokens, nowMs, initialTier, out);
            }
        }
        else
        {
            final double capability = catalog.capability(failed);
            for (int step = 1; step <= tier; step++)
            {
                final int e = step < tier ? tier - step : tier; // t-1, ..., 1, then t itself
                if (FallbackChain.candidates(catalog, e, sets) && keepMoreCapable(catalog, sets, capability))
                {
                    return FallbackChain.run(view, e, sets, failed, tokens, nowMs, initialTier, out);
                }
            }
        }
        return out.without(catalog, Status.CANNOT_ESCALATE, initialTier);
    }

    /**
     * SPEC §3 {@code rate_limited}: records model {@code modelId}'s cooldown until {@code nowMs + retryAfterMs}
     * (at most a day after {@code nowMs}) in the table (keeping a later deadline), then answers another available candidate of the same tier, or of
     * the tier below, or {@link Status#WAIT} for the model with its deadline. Never sleeps.
     *
     * @throws IllegalArgumentException when the model is in no tier or the tier does not exist.
     */
    public Selection rateLimited(
        final Complexity complexity,
        final long tokens,
        final long nowMs,
        final String modelId,
        final int tier,
        final long retryAfterMs,
        final Selection out)
    {
        final CompiledCatalog catalog = catalog();
        final int limited = tieredModel(catalog, modelId, tier);
        final long deadline = table.setRateLimited(modelId,
            AvailabilityTable.cappedDeadline(saturatedSum(nowMs, retryAfterMs), nowMs));

        AvailabilityView view = viewAt(nowMs); // after the write: the sequence moved, so this reads it back
        if (view.catalog != catalog)
        {
            view = AvailabilityView.read(catalog, Limiter.of(catalog, limits), table, nowMs); // reloaded meanwhile
        }
        final int initialTier = catalog.initialTier(complexity);
        final int words = catalog.words();
        final long[] sets = FallbackChain.fitting(catalog, catalog.fitRow(tokens), out);
        final int fitting = FallbackChain.FITTING * words;
        final int others = FallbackChain.TEMPORARY * words;
        FallbackChain.admitted(view, sets, tokens, nowMs);
        for (int t = tier; t <= tier + 1; t++)
        {
            while (true)
            {
                for (int w = 0; w < words; w++)
                {
                    sets[others + w] = catalog.tierFloorWord(t, w) & sets[fitting + w] &
                        FallbackChain.usable(view, sets, words, w);
                }
                ModelSets.clear(sets, others, limited);
                final int model = ModelSets.best(catalog, t, sets, others, words);
                if (model < 0)
                {
                    break;
                }
                if (FallbackChain.reserved(view, sets, words, model, tokens, nowMs))
                {
                    return out.ok(catalog, model, t, initialTier, t == tier ? Fallback.SAME_TIER :
                        Fallback.LOWER_TIER);
                }
            }
        }
        return out.set(catalog, Status.WAIT, limited, tier, initialTier, null, deadline);
    }

    private AvailabilityView viewAt(final long nowMs)
    {
        final AvailabilityView current = (AvailabilityView)VIEW.getAcquire(this);
        if (current.sequence == table.changeSequence() && current.covers(nowMs))
        {
            return current;
        }
        return refresh(current, nowMs);
    }

    private AvailabilityView refresh(final AvailabilityView stale, final long nowMs)
    {
        final AvailabilityView fresh = stale.sequence == table.changeSequence() ?
            stale.at(nowMs) : stale.refreshed(table, nowMs);
        VIEW.compareAndSet(this, stale, fresh); // losing to a reload or a fresher view is fine: use ours this once
        return fresh;
    }

    /** Keeps the candidates more capable than {@code capability}; @return whether any are left. */
    private static boolean keepMoreCapable(final CompiledCatalog catalog, final long[] sets, final double capability)
    {
        final int words = catalog.words();
        final int candidates = FallbackChain.CANDIDATES * words;
        boolean any = false;
        for (int m = ModelSets.first(sets, candidates, words); m >= 0; m = ModelSets.next(sets, candidates, words, m + 1))
        {
            if (catalog.capability(m) > capability)
            {
                any = true;
            }
            else
            {
                ModelSets.clear(sets, candidates, m);
            }
        }
        return any;
    }

    private static int tieredModel(final CompiledCatalog catalog, final String modelId, final int tier)
    {
        final int model = catalog.indexOf(modelId);
        if (model < 0 || model >= catalog.tieredCount())
        {
            throw new IllegalArgumentException("model \"" + modelId + "\" is listed in no tier of the catalog");
        }
        if (!catalog.hasTier(tier))
        {
            throw new IllegalArgumentException("tier " + tier + " does not exist (the catalog has tiers 1.." +
                catalog.tierCount() + ")");
        }
        return model;
    }

    private static long saturatedSum(final long a, final long b)
    {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }
}
