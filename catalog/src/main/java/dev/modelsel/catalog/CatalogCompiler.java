package dev.modelsel.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a validated {@link CatalogDefinition} into a {@link CompiledCatalog}: all the sorting and
 * precomputation happen here, once, so that selection is word-wise AND and a trailing-zero count.
 * <p>
 * Stateless and thread-safe.
 */
public final class CatalogCompiler
{
    private CatalogCompiler()
    {
    }

    public static CompiledCatalog compile(final CatalogDefinition definition)
    {
        final List<ModelDefinition> ranked = rank(definition);
        final int tieredCount = tieredCount(definition);
        final int modelCount = ranked.size();
        final int tierCount = definition.tiers().size();
        final int words = Math.max(1, (tieredCount + 63) >>> 6);

        final String[] ids = new String[modelCount];
        final long[] tokenLimits = new long[modelCount];
        final double[] scores = new double[modelCount];
        final double[] capabilities = new double[modelCount];
        final double[] inputCosts = new double[modelCount];
        final double[] outputCosts = new double[modelCount];
        final String[] providers = new String[modelCount];
        final Map<String, Integer> indexById = new HashMap<>(modelCount * 2);
        for (int m = 0; m < modelCount; m++)
        {
            final ModelDefinition model = ranked.get(m);
            ids[m] = model.id();
            tokenLimits[m] = tokenLimit(model.contextWindow(), definition.safetyMargin(), model.limits().tpm());
            scores[m] = score(model);
            capabilities[m] = model.capability();
            inputCosts[m] = model.inputCostPerMtok();
            outputCosts[m] = model.outputCostPerMtok();
            providers[m] = model.provider();
            indexById.put(model.id(), m);
        }

        // Rows 0 and tierCount + 1 stay empty so "the tier below" needs no bounds check.
        final long[] tierMasks = new long[(tierCount + 2) * words];
        final long[] tierFloorMasks = new long[(tierCount + 2) * words];
        final int[] tierPositions = new int[(tierCount + 2) * tieredCount];
        final int[][] tierMembers = new int[tierCount + 2][];
        final int[] lowestTier = new int[modelCount];
        Arrays.fill(tierPositions, Integer.MAX_VALUE);
        tierMembers[0] = new int[0];
        tierMembers[tierCount + 1] = new int[0];
        for (final TierDefinition tier : definition.tiers())
        {
            final int t = tier.number();
            final int[] members = new int[tier.models().size()];
            for (int position = 0; position < members.length; position++)
            {
                final int m = indexById.get(tier.models().get(position));
                members[position] = m;
                tierPositions[t * tieredCount + m] = position;
                setBit(tierMasks, t * words, m);
                if (capabilities[m] >= tier.minCapability())
                {
                    setBit(tierFloorMasks, t * words, m);
                }
                if (lowestTier[m] == 0 || t < lowestTier[m])
                {
                    lowestTier[m] = t;
                }
            }
            tierMembers[t] = members;
        }

        final boolean[] rankFollowsList = new boolean[tierCount + 2];
        for (int t = 0; t < tierCount + 2; t++)
        {
            rankFollowsList[t] = rankFollowsListOrder(tierMembers[t], scores, tierPositions, t * tieredCount);
        }

        final FitIndex fit = new FitIndex(tokenLimits, tieredCount, words);

        final int[] initialTiers = new int[Complexity.values().length];
        for (final Complexity complexity : Complexity.values())
        {
            initialTiers[complexity.ordinal()] = definition.initialTier(complexity);
        }

        return new CompiledCatalog(definition, tieredCount, tierCount, words, ids, tokenLimits, scores, capabilities,
            inputCosts, outputCosts, providers, indexById, tierMasks, tierFloorMasks, tierPositions,
            tierMembers, lowestTier, rankFollowsList, fit, initialTiers);
    }

    /**
     * SPEC §3: {@code n <= floor(context_window * safety_margin)}, the product in IEEE double, then floored.
     * Context windows are at most 2^53, so the conversion to double is exact.
     */
    public static long tokenLimit(final long contextWindow, final double safetyMargin)
    {
        return (long)Math.floor((double)contextWindow * safetyMargin);
    }

    /**
     * SPEC §7: a model with a {@code tpm} limit cannot hold a request of more tokens than it, so its limit is
     * {@code min(floor(context_window * safety_margin), tpm)}; such a request escalates or falls back exactly as one
     * too long for the window.
     *
     * @param tpm the model's tokens a minute, 0 for none.
     */
    public static long tokenLimit(final long contextWindow, final double safetyMargin, final long tpm)
    {
        final long windowLimit = tokenLimit(contextWindow, safetyMargin);
        return tpm == 0 ? windowLimit : Math.min(windowLimit, tpm);
    }

    /** SPEC §3: capability per dollar, {@code +infinity} for a free model. */
    public static double score(final ModelDefinition model)
    {
        return model.inputCostPerMtok() == 0.0 ? Double.POSITIVE_INFINITY : model.capability() / model.inputCostPerMtok();
    }

    /**
     * Tiered models first, by score descending and, on equal scores, by first appearance (tier 1 first, list
     * order inside): that is exactly SPEC's {@code fitting(n)} tie order. Models no tier lists follow, in file order.
     */
    private static List<ModelDefinition> rank(final CatalogDefinition definition)
    {
        final Map<String, ModelDefinition> firstAppearance = new LinkedHashMap<>();
        for (final TierDefinition tier : definition.tiers())
        {
            for (final String id : tier.models())
            {
                firstAppearance.putIfAbsent(id, definition.models().get(id));
            }
        }
        final List<ModelDefinition> ranked = new ArrayList<>(firstAppearance.values());
        ranked.sort((a, b) -> Double.compare(score(b), score(a))); // stable: ties keep first appearance
        for (final ModelDefinition model : definition.models().values())
        {
            if (!firstAppearance.containsKey(model.id()))
            {
                ranked.add(model);
            }
        }
        return ranked;
    }

    private static int tieredCount(final CatalogDefinition definition)
    {
        final Set<String> listed = new HashSet<>();
        definition.tiers().forEach(tier -> listed.addAll(tier.models()));
        return listed.size();
    }

    /**
     * Whether the first set bit of any subset of this tier is SPEC's {@code best}: true unless two models of
     * equal score are ranked in the opposite order to the tier's list (possible when a model sits in several
     * tiers in different orders). Equal scores are adjacent in rank order, so adjacent pairs suffice.
     */
    private static boolean rankFollowsListOrder(
        final int[] members, final double[] scores, final int[] tierPositions, final int positionBase)
    {
        final int[] byRank = members.clone();
        Arrays.sort(byRank);
        for (int i = 1; i < byRank.length; i++)
        {
            final int earlier = byRank[i - 1];
            final int later = byRank[i];
            if (scores[earlier] == scores[later] &&
                tierPositions[positionBase + earlier] > tierPositions[positionBase + later])
            {
                return false;
            }
        }
        return true;
    }

    private static void setBit(final long[] words, final int base, final int bit)
    {
        words[base + (bit >>> 6)] |= 1L << bit;
    }
}
