package dev.modelsel.engine.limits;

import dev.modelsel.catalog.BudgetDefinition;
import dev.modelsel.catalog.BudgetPeriod;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.ModelDefinition;
import dev.modelsel.catalog.RateLimits;
import org.agrona.concurrent.AtomicBuffer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SPEC §7 for one catalog over a {@link LimitsStore}: whether a model admits a request, its reservation, when it
 * would admit one, and what a recorded outcome takes. Each model's words are found once, here, by name, so a
 * selection touches no map: only the model's two buckets and the words of the budgets that cover it.
 * <p>
 * Immutable and thread-safe; everything it changes is in the store, by compare-and-set.
 */
public final class Limiter
{
    /** A time no bucket or budget reaches: the model never admits the request. */
    public static final long NEVER = Long.MAX_VALUE;
    private static final int[] NO_BUDGETS = new int[0];
    /** Between an id and what its words mean, in a store's names: no id or budget name is expected to hold it. */
    private static final char NAME_SEPARATOR = '\u0000';
    /** The limits part of a {@link #bucketsName}. */
    private static final Pattern BUCKETS_NAME_LIMITS = Pattern.compile("rpm=(0|[1-9][0-9]{0,9}),tpm=(0|[1-9][0-9]{0,9})");

    private final CompiledCatalog catalog;
    private final AtomicBuffer[] bucketBuffers;
    private final int[] bucketOffsets;
    private final RateBucket.Scale[] rpm;
    private final RateBucket.Scale[] tpm;
    private final AtomicBuffer[] budgetBuffers;
    private final int[] budgetOffsets;
    /** This host's own part of each budget (issue 14): null where the store is never replicated. */
    private final AtomicBuffer[] budgetHereBuffers;
    private final int[] budgetHereOffsets;
    /** The store's Limits Replicated word, or null: see {@link #replicated()}. */
    private final AtomicBuffer replicatedBuffer;
    private final int replicatedOffset;
    private final long[] budgetLimits;
    private final BudgetPeriod[] budgetPeriods;
    /**
     * Each budget's period last asked for: nearly every select falls in it, and its number is then two comparisons
     * rather than the calendar's arithmetic (8 ns a select for a monthly budget). Replaced, one small object, when a
     * time outside it comes; threads racing to replace it only compute it twice.
     */
    private final Period[] periods;
    private final BudgetDefinition[] budgetDefinitions;
    private final int[][] budgetsOfModel;
    /** Budgets naming a model the catalog lacks: its recorded outcomes count for them (SPEC §7). */
    private final Map<String, int[]> budgetsOfOtherIds = new HashMap<>();

    private Limiter(final CompiledCatalog catalog, final LimitsStore store)
    {
        this.catalog = catalog;
        final int models = catalog.modelCount();
        bucketBuffers = new AtomicBuffer[models];
        bucketOffsets = new int[models];
        rpm = new RateBucket.Scale[models];
        tpm = new RateBucket.Scale[models];
        for (int m = 0; m < models; m++)
        {
            final ModelDefinition model = catalog.definition().models().get(catalog.id(m));
            final RateLimits limits = model == null ? RateLimits.NONE : model.limits();
            if (limits.any())
            {
                final LimitsStore.Slot slot = store.buckets(bucketsName(catalog.id(m), limits));
                bucketBuffers[m] = slot.buffer();
                bucketOffsets[m] = slot.offset();
                rpm[m] = limits.rpm() == 0 ? null : RateBucket.Scale.of(limits.rpm());
                tpm[m] = limits.tpm() == 0 ? null : RateBucket.Scale.of(limits.tpm());
            }
        }
        final List<BudgetDefinition> budgets = catalog.definition().budgets();
        budgetBuffers = new AtomicBuffer[budgets.size()];
        budgetOffsets = new int[budgets.size()];
        budgetHereBuffers = new AtomicBuffer[budgets.size()];
        budgetHereOffsets = new int[budgets.size()];
        final LimitsStore.Slot replicatedWord = store.limitsReplicated();
        replicatedBuffer = replicatedWord == null ? null : replicatedWord.buffer();
        replicatedOffset = replicatedWord == null ? 0 : replicatedWord.offset();
        budgetLimits = new long[budgets.size()];
        budgetPeriods = new BudgetPeriod[budgets.size()];
        periods = new Period[budgets.size()];
        budgetDefinitions = budgets.toArray(new BudgetDefinition[0]);
        final List<List<Integer>> covering = new ArrayList<>();
        for (int m = 0; m < models; m++)
        {
            covering.add(new ArrayList<>());
        }
        final Map<String, List<Integer>> others = new HashMap<>();
        for (int b = 0; b < budgets.size(); b++)
        {
            final BudgetDefinition budget = budgets.get(b);
            final LimitsStore.Slot slot = store.budget(budgetName(budget));
            budgetBuffers[b] = slot.buffer();
            budgetOffsets[b] = slot.offset();
            final LimitsStore.Slot here = replicatedWord == null ? null : store.budgetHere(budgetName(budget));
            if (here != null)
            {
                budgetHereBuffers[b] = here.buffer();
                budgetHereOffsets[b] = here.offset();
            }
            budgetLimits[b] = budget.limitMicros();
            budgetPeriods[b] = budget.period();
            periods[b] = new Period(0, -1, 0); // holds no time
            boolean any = false;
            for (int m = 0; m < models; m++)
            {
                if (budget.covers(catalog.id(m), catalog.provider(m)))
                {
                    covering.get(m).add(b);
                    any = true;
                }
            }
            if (!any && budget.model() != null)
            {
                others.computeIfAbsent(budget.model(), id -> new ArrayList<>()).add(b);
            }
        }
        budgetsOfModel = new int[models][];
        for (int m = 0; m < models; m++)
        {
            budgetsOfModel[m] = covering.get(m).isEmpty() ? NO_BUDGETS :
                covering.get(m).stream().mapToInt(Integer::intValue).toArray();
        }
        others.forEach((id, list) -> budgetsOfOtherIds.put(id, list.stream().mapToInt(Integer::intValue).toArray()));
    }

    /**
     * The name a model's buckets are kept under: its id and its limits. A bucket's words only mean something at the
     * limit they were taken at (its units and refill rate are the limit's), so a catalog that changes a model's
     * limits, or another process's catalog that gives it others, starts a full bucket of its own rather than read
     * the old one's words at the new rate.
     */
    static String bucketsName(final String modelId, final RateLimits limits)
    {
        return modelId + NAME_SEPARATOR + "rpm=" + limits.rpm() + ",tpm=" + limits.tpm();
    }

    /**
     * The limits a {@link #bucketsName} gives, or null when it is not one (another version's, or a name too long
     * for the counters file, kept shortened there): how a replicator, which has no catalog, applies another host's
     * takes to this host's buckets of the same name.
     */
    static RateLimits limitsOfBucketsName(final String name)
    {
        final int separator = name.lastIndexOf(NAME_SEPARATOR);
        final String limits = separator < 0 ? "" : name.substring(separator + 1);
        final Matcher matcher = BUCKETS_NAME_LIMITS.matcher(limits);
        if (!matcher.matches())
        {
            return null;
        }
        final long rpm = Long.parseLong(matcher.group(1)); // at most ten digits: no overflow
        final long tpm = Long.parseLong(matcher.group(2));
        if (rpm > RateLimits.MAX || tpm > RateLimits.MAX || (rpm == 0 && tpm == 0))
        {
            return null;
        }
        return new RateLimits(rpm, tpm);
    }

    /** The name a budget's spend is kept under: its name and period (a word holds a period's number, by kind). */
    static String budgetName(final BudgetDefinition budget)
    {
        return budget.name() + NAME_SEPARATOR + budget.period().key();
    }

    /** @return the catalog's limiter over the store, or null when either is absent or the catalog has no limits. */
    public static Limiter of(final CompiledCatalog catalog, final LimitsStore store)
    {
        if (store == null || !catalog.definition().hasLimits())
        {
            return null;
        }
        return new Limiter(catalog, store);
    }

    public CompiledCatalog catalog()
    {
        return catalog;
    }

    /** Whether the model would take a request of {@code tokens} at {@code nowMs} (looking changes nothing). */
    public boolean admits(final int model, final long tokens, final long nowMs)
    {
        if (!budgetsAllow(model, nowMs))
        {
            return false;
        }
        return holds(model, 0, rpm[model], 1, nowMs) && holds(model, RateBucket.LENGTH, tpm[model], tokens, nowMs);
    }

    /** Whether the bucket (none: yes) holds {@code count} requests or tokens at {@code nowMs}. */
    private boolean holds(final int model, final int bucket, final RateBucket.Scale scale, final long count,
        final long nowMs)
    {
        return scale == null || (count <= scale.full() / scale.unitsPerCount() &&
            RateBucket.level(bucketBuffers[model], bucketOffsets[model] + bucket, scale, nowMs) >= scale.units(count));
    }

    /**
     * SPEC §7's reservation of an {@code OK} answer: one request and {@code tokens} from the model's buckets, if
     * they hold them now and no budget covering it is exhausted. The tpm bucket is looked at first, so a refusal
     * writes nothing; then each bucket is one compare-and-set, and a tpm bucket that another thread or process
     * emptied in between gives the request back (which moves the rpm bucket's time on to now: SPEC's arithmetic
     * differs then, by a refill that a later request at an earlier time would see).
     *
     * @return whether reserved; when not, the model is not available for this request (another thread or process
     *         took what was left since it was looked at).
     */
    public boolean reserve(final int model, final long tokens, final long nowMs)
    {
        if (!budgetsAllow(model, nowMs))
        {
            return false;
        }
        final AtomicBuffer buffer = bucketBuffers[model];
        if (buffer == null)
        {
            return true;
        }
        final int offset = bucketOffsets[model];
        final RateBucket.Scale rpmScale = rpm[model];
        final RateBucket.Scale tpmScale = tpm[model];
        // the tpm bucket is looked at first, so that a refusal by it writes nothing (rpm's is its own compare-and-set)
        if (rpmScale != null && !holds(model, RateBucket.LENGTH, tpmScale, tokens, nowMs))
        {
            return false;
        }
        if (rpmScale != null && !RateBucket.tryTake(buffer, offset, rpmScale, nowMs, rpmScale.units(1)))
        {
            return false;
        }
        if (tpmScale != null && (tokens > tpmScale.full() ||
            !RateBucket.tryTake(buffer, offset + RateBucket.LENGTH, tpmScale, nowMs, tpmScale.units(tokens))))
        {
            if (rpmScale != null)
            {
                RateBucket.forceTake(buffer, offset, rpmScale, nowMs, -rpmScale.units(1)); // the request back
            }
            return false;
        }
        if (replicated())
        {
            countTakenHere(buffer, offset, rpmScale == null ? 0 : 1, tpmScale == null ? 0 : tokens);
        }
        return true;
    }

    /**
     * Whether a replicator sends the store (issue 14): then what this host takes is also counted as its own, for
     * the others to subtract. One plain read of a word every process shares, which stays in cache.
     */
    private boolean replicated()
    {
        return replicatedBuffer != null && replicatedBuffer.getLongVolatile(replicatedOffset) != 0;
    }

    /** Adds to this host's own takes: only ever up, so that the others take the highest value they saw. */
    private static void countTakenHere(final AtomicBuffer buffer, final int offset, final long requests,
        final long tokens)
    {
        if (requests != 0)
        {
            buffer.getAndAddLong(offset + LimitsStore.REQUESTS_TAKEN_HERE, requests);
        }
        if (tokens != 0)
        {
            buffer.getAndAddLong(offset + LimitsStore.TOKENS_TAKEN_HERE, tokens);
        }
    }

    /**
     * SPEC §7's part of step 5: the latest of the time the model's buckets would admit the request (refilling only)
     * and the end of each exhausted budget covering it; {@code nowMs} when nothing holds it back, {@link #NEVER}
     * when it never can.
     */
    public long availableAtMs(final int model, final long tokens, final long nowMs)
    {
        long at = nowMs;
        for (final int b : budgetsOfModel[model])
        {
            if (exhausted(b, nowMs))
            {
                at = Math.max(at, periodEndMs(b, nowMs));
            }
        }
        final AtomicBuffer buffer = bucketBuffers[model];
        if (buffer == null)
        {
            return at;
        }
        final int offset = bucketOffsets[model];
        if (rpm[model] != null)
        {
            at = Math.max(at, absolute(RateBucket.admitsAt(buffer, offset, rpm[model], nowMs, rpm[model].units(1)),
                nowMs));
        }
        if (tpm[model] != null)
        {
            final RateBucket.Scale scale = tpm[model];
            at = Math.max(at, tokens > scale.full() ? NEVER : absolute(RateBucket.admitsAt(buffer,
                offset + RateBucket.LENGTH, scale, nowMs, scale.units(tokens)), nowMs));
        }
        return at;
    }

    /**
     * SPEC §7's {@code record}: the outcome's output tokens from the model's tpm bucket (below zero if need be) and
     * its cost to every budget covering the model, in the period of {@code nowMs}.
     *
     * @param costMicros the outcome's cost in whole micro-dollars (see {@code Pricing}).
     */
    public void record(final String modelId, final long outputTokens, final long costMicros, final long nowMs)
    {
        final int model = catalog.indexOf(modelId);
        final int[] budgets = model >= 0 ? budgetsOfModel[model] : budgetsOfOtherIds.getOrDefault(modelId, NO_BUDGETS);
        final boolean replicated = replicated();
        if (model >= 0 && tpm[model] != null)
        {
            final long tokens = Math.min(Math.max(0, outputTokens), RateBucket.MAX_COUNT);
            RateBucket.forceTake(bucketBuffers[model], bucketOffsets[model] + RateBucket.LENGTH, tpm[model],
                nowMs, tpm[model].units(tokens));
            if (replicated)
            {
                countTakenHere(bucketBuffers[model], bucketOffsets[model], 0, tokens);
            }
        }
        for (final int b : budgets)
        {
            final long period = periodIndex(b, nowMs);
            BudgetSpend.add(budgetBuffers[b], budgetOffsets[b], period, costMicros);
            if (replicated && budgetHereBuffers[b] != null)
            {
                BudgetSpend.add(budgetHereBuffers[b], budgetHereOffsets[b], period, costMicros);
            }
        }
    }

    /**
     * Why the model would not take the request at {@code nowMs}, in words ({@code select --explain}): a budget
     * exhausted until its period ends, or the bucket that does not hold it; null when it would.
     */
    public String refusal(final int model, final long tokens, final long nowMs)
    {
        for (final int b : budgetsOfModel[model])
        {
            if (exhausted(b, nowMs))
            {
                return "held by budget " + budgetDefinitions[b].name() + ", exhausted until " +
                    Instant.ofEpochMilli(periodEndMs(b, nowMs));
            }
        }
        if (bucketBuffers[model] == null)
        {
            return null;
        }
        if (!holds(model, 0, rpm[model], 1, nowMs))
        {
            return String.format(Locale.ROOT, "over rpm (%.2f requests left of %d a minute)",
                requestsLeft(model, nowMs), rpm[model].full() / rpm[model].unitsPerCount());
        }
        if (!holds(model, RateBucket.LENGTH, tpm[model], tokens, nowMs))
        {
            return String.format(Locale.ROOT, "over tpm (%.2f tokens left, %d asked)",
                tokensLeft(model, nowMs), tokens);
        }
        return null;
    }

    // ---- what `modelsel limits show` reports

    /** Requests the rpm bucket holds at {@code nowMs}, with the fraction refilled so far; NaN without an rpm limit. */
    public double requestsLeft(final int model, final long nowMs)
    {
        return left(model, 0, rpm[model], nowMs);
    }

    /** Tokens the tpm bucket holds at {@code nowMs} (below zero after outcomes larger than it); NaN without one. */
    public double tokensLeft(final int model, final long nowMs)
    {
        return left(model, RateBucket.LENGTH, tpm[model], nowMs);
    }

    private double left(final int model, final int bucket, final RateBucket.Scale scale, final long nowMs)
    {
        if (scale == null)
        {
            return Double.NaN;
        }
        return (double)RateBucket.level(bucketBuffers[model], bucketOffsets[model] + bucket, scale, nowMs) /
            scale.unitsPerCount();
    }

    public int budgetCount()
    {
        return budgetDefinitions.length;
    }

    public BudgetDefinition budget(final int budget)
    {
        return budgetDefinitions[budget];
    }

    /** Micro-dollars spent in the budget's period that contains {@code nowMs}. */
    public long spentMicros(final int budget, final long nowMs)
    {
        return BudgetSpend.spent(budgetBuffers[budget], budgetOffsets[budget], periodIndex(budget, nowMs));
    }

    private boolean budgetsAllow(final int model, final long nowMs)
    {
        for (final int b : budgetsOfModel[model])
        {
            if (exhausted(b, nowMs))
            {
                return false;
            }
        }
        return true;
    }

    /** SPEC §7: spent at least its limit in the period of {@code nowMs}. */
    private boolean exhausted(final int budget, final long nowMs)
    {
        return spentMicros(budget, nowMs) >= budgetLimits[budget];
    }

    /** The end (exclusive) of the budget's period that holds {@code nowMs}. */
    private long periodEndMs(final int budget, final long nowMs)
    {
        return budgetPeriods[budget].endOfIndex(periodIndex(budget, nowMs));
    }

    /** A period's bounds, {@code [firstMs, lastMs]}, and its number ({@link BudgetPeriod#index}). */
    private record Period(long firstMs, long lastMs, long index)
    {
    }

    /** {@code budgetPeriods[budget].index(nowMs)}, from the period last asked for where it holds the time. */
    private long periodIndex(final int budget, final long nowMs)
    {
        final Period period = periods[budget];
        if (nowMs >= period.firstMs && nowMs <= period.lastMs)
        {
            return period.index;
        }
        final BudgetPeriod kind = budgetPeriods[budget];
        final long index = kind.index(nowMs);
        // the first and the last period hold every time before and after them (index clamps both ends)
        final long firstMs = index == 0 ? Long.MIN_VALUE : kind.startMs(nowMs);
        final long lastMs = index == kind.index(Long.MAX_VALUE) ? Long.MAX_VALUE : kind.endOfIndex(index) - 1;
        periods[budget] = new Period(firstMs, lastMs, index);
        return index;
    }

    private static long absolute(final long at, final long nowMs)
    {
        return at == RateBucket.NEVER ? NEVER : Math.max(nowMs, at);
    }
}
