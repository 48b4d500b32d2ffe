package dev.modelsel.catalog;

import java.util.Collection;

/** Key paths for messages ({@code models.gpt-4o.capability}, {@code tiers[0].models[2]}) and "did you mean" hints. */
final class CatalogPaths
{
    private CatalogPaths()
    {
    }

    static String child(final String path, final String key)
    {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String item(final String path, final int index)
    {
        return path + "[" + index + "]";
    }

    /**
     * The candidate nearest to {@code typed} by edit distance, when it is near enough to be a likely typo
     * (at most a third of the longer word, and at least one letter), else {@code null}.
     */
    static String nearest(final String typed, final Collection<String> candidates)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : candidates)
        {
            final int distance = editDistance(typed, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        final int allowed = Math.max(1, Math.max(typed.length(), best == null ? 0 : best.length()) / 3);
        return best != null && bestDistance <= allowed ? best : null;
    }

    /** " (did you mean \"x\"?)" or nothing. */
    static String didYouMean(final String typed, final Collection<String> candidates)
    {
        final String nearest = nearest(typed, candidates);
        return nearest == null ? "" : " (did you mean \"" + nearest + "\"?)";
    }

    private static int editDistance(final String a, final String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
