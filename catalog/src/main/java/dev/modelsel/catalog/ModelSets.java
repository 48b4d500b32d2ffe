package dev.modelsel.catalog;

/**
 * Sets of models as {@code long} words in a region {@code [base, base + words)} of an array, indexed by a
 * {@link CompiledCatalog}'s rank order. For the compiler and the selector's slow paths; the fast path needs none.
 */
public final class ModelSets
{
    /** Passed as the tier of {@link #best} for SPEC's {@code fitting(n)} order, which rank order already is. */
    public static final int FITTING_ORDER = 0;

    private ModelSets()
    {
    }

    /** @return the lowest set bit, or -1 when the set is empty. */
    public static int first(final long[] set, final int base, final int words)
    {
        return next(set, base, words, 0);
    }

    /** @return the lowest set bit at or above {@code from}, or -1. */
    public static int next(final long[] set, final int base, final int words, final int from)
    {
        int w = from >>> 6;
        if (w >= words)
        {
            return -1;
        }
        long word = set[base + w] & (-1L << from);
        while (word == 0)
        {
            if (++w == words)
            {
                return -1;
            }
            word = set[base + w];
        }
        return (w << 6) + Long.numberOfTrailingZeros(word);
    }

    public static void clear(final long[] set, final int base, final int bit)
    {
        if (bit >= 0)
        {
            set[base + (bit >>> 6)] &= ~(1L << bit);
        }
    }

    /**
     * SPEC's {@code best(list)}: the highest score, ties to the earliest in the list. The lowest set bit has the
     * highest score; when the tier's list order disagrees with rank order among equal scores, the equal-score run
     * that follows it is searched for the earliest tier position.
     *
     * @return the best model, or -1 for an empty set.
     */
    public static int best(final CompiledCatalog catalog, final int tier, final long[] set, final int base, final int words)
    {
        final int first = first(set, base, words);
        if (first < 0 || tier == FITTING_ORDER || catalog.rankFollowsListOrder(tier))
        {
            return first;
        }
        final double score = catalog.score(first);
        int best = first;
        for (int m = next(set, base, words, first + 1); m >= 0 && catalog.score(m) == score;
            m = next(set, base, words, m + 1))
        {
            if (catalog.tierPosition(tier, m) < catalog.tierPosition(tier, best))
            {
                best = m;
            }
        }
        return best;
    }
}
