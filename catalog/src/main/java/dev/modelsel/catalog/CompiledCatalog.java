package dev.modelsel.catalog;

import java.util.Arrays;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A catalog compiled for selection: struct-of-arrays indexed by a dense model index, and sets of models as
 * bitsets of {@code long} words.
 * <p>
 * <b>Model indexes are ranks.</b> The models that some tier lists come first, ordered by score descending
 * and, on equal scores, by first appearance (tier 1 first, list order inside). So the highest-scoring member
 * of any set is its lowest set bit, and SPEC's tie rule ("earliest in the list") holds for every list whose
 * order agrees with that rank, which {@link #rankFollowsListOrder(int)} says per tier. Models no tier lists
 * follow, with indexes from {@link #tieredCount()}; they are in no bitset.
 * <p>
 * <b>Tiers</b> are numbered 1..{@link #tierCount()}; rows 0 and {@code tierCount() + 1} exist and are empty,
 * so "the tier below the last" is simply an empty set.
 * <p>
 * <b>Token fit</b> is a row lookup: {@link #fitRow(long)} finds, by a branch-free search over the distinct token
 * limits, the row of the models whose limit is at least that many tokens (a count above every limit gets the
 * empty row), and {@link #fitSet} writes that set into the caller's words. See {@link FitIndex} for how the memory
 * stays bounded for catalogs where every model has a window of its own.
 * <p>
 * <b>Primary choices.</b> What SPEC's {@code select} picks before availability enters (the first tier from the
 * initial one upwards with a candidate, and its best candidate) depends only on the initial tier and the fit
 * row, so it is precomputed: {@link #primaryChoice}.
 * <p>
 * Immutable and safe to share between threads once constructed.
 */
public final class CompiledCatalog
{
    /** {@link #primaryChoice} when no tier from the initial one up to tier 1 has a candidate. */
    public static final long NO_CHOICE = -1L;

    private final CatalogDefinition definition;
    private final int tieredCount;
    private final int tierCount;
    private final int words;
    private final String[] ids;
    private final long[] tokenLimits;
    private final double[] scores;
    private final double[] capabilities;
    private final double[] inputCosts;
    private final double[] outputCosts;
    private final String[] providers;
    private final Map<String, Integer> indexById;
    private final long[] tierMasks;
    private final long[] tierFloorMasks;
    private final int[] tierPositions;
    private final int[][] tierMembers;
    private final int[] lowestTier;
    private final boolean[] rankFollowsList;
    private final FitIndex fit;
    private final int[] initialTiers;
    private final long[] primaryChoices;
    /** The tiered models' {@code id.hashCode()}, ascending, and the model of each: who a changed record may be. */
    private final int[] idHashes;
    private final int[] modelsByIdHash;
    private final int fitRows;

    CompiledCatalog(
        final CatalogDefinition definition,
        final int tieredCount,
        final int tierCount,
        final int words,
        final String[] ids,
        final long[] tokenLimits,
        final double[] scores,
        final double[] capabilities,
        final double[] inputCosts,
        final double[] outputCosts,
        final String[] providers,
        final Map<String, Integer> indexById,
        final long[] tierMasks,
        final long[] tierFloorMasks,
        final int[] tierPositions,
        final int[][] tierMembers,
        final int[] lowestTier,
        final boolean[] rankFollowsList,
        final FitIndex fit,
        final int[] initialTiers)
    {
        this.definition = definition;
        this.tieredCount = tieredCount;
        this.tierCount = tierCount;
        this.words = words;
        this.ids = ids;
        this.tokenLimits = tokenLimits;
        this.scores = scores;
        this.capabilities = capabilities;
        this.inputCosts = inputCosts;
        this.outputCosts = outputCosts;
        this.providers = providers;
        this.indexById = Map.copyOf(indexById);
        this.tierMasks = tierMasks;
        this.tierFloorMasks = tierFloorMasks;
        this.tierPositions = tierPositions;
        this.tierMembers = tierMembers;
        this.lowestTier = lowestTier;
        this.rankFollowsList = rankFollowsList;
        this.fit = fit;
        this.initialTiers = initialTiers;
        this.fitRows = fit.rows() + 1;
        this.primaryChoices = primaryChoices();
        final long[] byHash = new long[tieredCount];
        for (int m = 0; m < tieredCount; m++)
        {
            byHash[m] = (long)ids[m].hashCode() << 32 | m;
        }
        Arrays.sort(byHash);
        this.idHashes = new int[tieredCount];
        this.modelsByIdHash = new int[tieredCount];
        for (int i = 0; i < tieredCount; i++)
        {
            idHashes[i] = (int)(byHash[i] >> 32);
            modelsByIdHash[i] = (int)byHash[i];
        }
    }

    /** The validated definition this was compiled from. */
    public CatalogDefinition definition()
    {
        return definition;
    }

    /** Every model of the catalog: the tiered ones, then those no tier lists. */
    public int modelCount()
    {
        return ids.length;
    }

    /** Models listed in at least one tier: indexes {@code 0 .. tieredCount() - 1}. */
    public int tieredCount()
    {
        return tieredCount;
    }

    public int tierCount()
    {
        return tierCount;
    }

    /** Words in every model bitset of this catalog. */
    public int words()
    {
        return words;
    }

    public String id(final int model)
    {
        return ids[model];
    }

    /** @return the model's index, or -1 when the catalog does not have it. A hash lookup: not for hot paths. */
    public int indexOf(final String id)
    {
        final Integer index = indexById.get(id);
        return index == null ? -1 : index;
    }

    /**
     * @return floor(context_window &times; safety_margin), or the model's tpm limit when lower (SPEC §7): the most tokens
     *         the model takes.
     */
    public long tokenLimit(final int model)
    {
        return tokenLimits[model];
    }

    public double score(final int model)
    {
        return scores[model];
    }

    public double capability(final int model)
    {
        return capabilities[model];
    }

    public double inputCostPerMtok(final int model)
    {
        return inputCosts[model];
    }

    /** @return USD per million output tokens, or {@code NaN} when the catalog gives the model no output price. */
    public double outputCostPerMtok(final int model)
    {
        return outputCosts[model];
    }

    /** @return the provider, or {@code null}. */
    public String provider(final int model)
    {
        return providers[model];
    }

    /** @return the lowest tier number that lists the model, or 0 when none does. */
    public int lowestTier(final int model)
    {
        return lowestTier[model];
    }

    public int initialTier(final Complexity complexity)
    {
        return initialTiers[complexity.ordinal()];
    }

    public EscalationPolicy escalation()
    {
        return definition.escalation();
    }

    public double safetyMargin()
    {
        return definition.safetyMargin();
    }

    /** @return whether {@code tier} is 1..{@link #tierCount()}. */
    public boolean hasTier(final long tier)
    {
        return tier >= 1 && tier <= tierCount;
    }

    /** @return the tier's models, by index, in the tier's list order. The array is a copy. */
    public int[] tierMembers(final int tier)
    {
        return tierMembers[tier].clone();
    }

    public double minCapability(final int tier)
    {
        return definition.tier(tier).minCapability();
    }

    /** @return the model's position in the tier's list, or {@link Integer#MAX_VALUE} when the tier does not list it. */
    public int tierPosition(final int tier, final int model)
    {
        return tierPositions[tier * tieredCount + model];
    }

    /**
     * @return whether, in this tier, models of equal score are ranked in list order, so that the lowest set
     * bit of any subset of the tier is SPEC's {@code best}. When false, ties need {@link #tierPosition(int, int)}.
     */
    public boolean rankFollowsListOrder(final int tier)
    {
        return rankFollowsList[tier];
    }

    /** @return the fit row of {@code tokens}: the models that fit it are {@link #fitSet} of this row. */
    public int fitRow(final long tokens)
    {
        return fit.row(tokens);
    }

    /** Writes SPEC's {@code fitting(n)} for the fit row of n, as a set, into {@code into[base .. base + words())}. */
    public void fitSet(final int fitRow, final long[] into, final int base)
    {
        fit.fill(fitRow, into, base);
    }

    /**
     * SPEC §3 {@code select} steps 1–2 and step 3.1's {@code best(C)}, precomputed: from {@code tier} upwards, the
     * first tier with a candidate for the row's tokens, and that tier's best candidate (ties by the tier's list).
     * Availability does not enter into it, so a select whose choice is available is one lookup.
     *
     * @return {@code tier << 32 | model}, or {@link #NO_CHOICE}.
     */
    public long primaryChoice(final int tier, final int fitRow)
    {
        return primaryChoices[tier * fitRows + fitRow];
    }

    /** {@link #primaryChoice} for a request: its complexity's initial tier, its tokens' fit row. The select path. */
    public long choose(final Complexity complexity, final long tokens)
    {
        return primaryChoices[initialTiers[complexity.ordinal()] * fitRows + fit.row(tokens)];
    }

    /** The model of a {@link #primaryChoice}. */
    public static int choiceModel(final long choice)
    {
        return (int)choice;
    }

    /** The tier of a {@link #primaryChoice}. */
    public static int choiceTier(final long choice)
    {
        return (int)(choice >>> 32);
    }

    /**
     * Whether {@link #candidateWord} can be used: every fit row is kept as a bitset (true unless the catalog has so
     * many distinct windows that {@link FitIndex} keeps only every stride-th row).
     */
    public boolean hasCandidateWords()
    {
        return fit.everyRowKept();
    }

    /** One word of SPEC's {@code candidates(tier, n)} for the fit row of n; only when {@link #hasCandidateWords()}. */
    public long candidateWord(final int tier, final int fitRow, final int word)
    {
        return tierFloorMasks[tier * words + word] & fit.word(fitRow, word);
    }

    /** One word of the tier's models that meet its floor; AND it with a {@link #fitSet} for {@code candidates(t, n)}. */
    public long tierFloorWord(final int tier, final int word)
    {
        return tierFloorMasks[tier * words + word];
    }

    /** One word of the tier's membership, floor ignored. */
    public long tierWord(final int tier, final int word)
    {
        return tierMasks[tier * words + word];
    }

    /** Calls {@code action} with each tiered model whose id has this {@link String#hashCode()}. */
    public void forEachTieredModelWithIdHash(final int idHash, final IntConsumer action)
    {
        int low = 0;
        int high = idHashes.length;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (idHashes[mid] < idHash)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        for (int i = low; i < idHashes.length && idHashes[i] == idHash; i++)
        {
            action.accept(modelsByIdHash[i]);
        }
    }

    /** The distinct token limits of tiered models, ascending (a copy). */
    public long[] distinctTokenLimits()
    {
        final long[] limits = new long[fit.rows()];
        for (int r = 0; r < limits.length; r++)
        {
            limits[r] = fit.limit(r);
        }
        return limits;
    }

    /**
     * Sweeps the fit rows from the largest limit down, so each row's candidates are the previous row's plus the
     * models of this limit: a tier's best candidate only ever gives way to a better newcomer. Linear in models
     * and rows, not in their product.
     */
    private long[] primaryChoices()
    {
        final int rows = fitRows;
        final long[] choices = new long[(tierCount + 1) * rows];
        Arrays.fill(choices, NO_CHOICE);
        final int[] best = new int[tierCount + 1];
        Arrays.fill(best, -1);
        for (int row = rows - 2; row >= 0; row--)
        {
            for (int i = fit.rowStart(row); i < fit.rowStart(row + 1); i++)
            {
                final int model = fit.modelAt(i);
                for (int tier = 1; tier <= tierCount; tier++)
                {
                    if ((tierFloorWord(tier, model >>> 6) & (1L << model)) != 0 && isBetter(tier, model, best[tier]))
                    {
                        best[tier] = model;
                    }
                }
            }
            for (int tier = 1; tier <= tierCount; tier++)
            {
                choices[tier * rows + row] = best[tier] >= 0 ?
                    (long)tier << 32 | best[tier] : choices[(tier - 1) * rows + row];
            }
        }
        return choices;
    }

    /** SPEC's {@code best} order within a tier: higher score, then earlier in the tier's list. */
    private boolean isBetter(final int tier, final int model, final int incumbent)
    {
        return incumbent < 0 || scores[model] > scores[incumbent] ||
            scores[model] == scores[incumbent] && tierPosition(tier, model) < tierPosition(tier, incumbent);
    }

    @Override
    public String toString()
    {
        return "CompiledCatalog{source=" + definition.source() + ", models=" + ids.length + ", tiered=" + tieredCount +
            ", tiers=" + tierCount + ", words=" + words + ", distinctLimits=" + fit.rows() + ", fitStride=" + fit.stride() +
            ", tierSizes=" + Arrays.toString(Arrays.stream(tierMembers).mapToInt(m -> m.length).toArray()) + '}';
    }
}
