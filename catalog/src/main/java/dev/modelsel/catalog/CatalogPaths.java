package dev.modelsel.catalog;

import java.util.Collection;

/** Key paths for messages ({@code models.gpt-4o.capability}, {@code tiers[0].models[2]}) and "did you mean" hints. */
public final class CatalogPaths
{
    private CatalogPaths()
    {
    }

    public static String child(final String path, final String key)
    {
        return path.isEmpty() ? key : path + "." + key;
    }

    public static String item(final String path, final int index)
    {
        return path + "[" + index + "]";
    }

    /**
     * The candidate nearest to {@code typed} by edit distance, when it is near enough to be a likely typo (at most
     * a quarter of the shorter word, and at least one edit), else {@code null}.
     */
    public static String nearest(final String typed, final Collection<String> candidates)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : candidates)
        {
            final int distance = editDistance(typed, candidate);
            final int allowed = Math.max(1, Math.min(typed.length(), candidate.length()) / 4);
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** " (did you mean \"x\"?)" or nothing. */
    public static String didYouMean(final String typed, final Collection<String> candidates)
    {
        final String nearest = nearest(typed, candidates);
        return nearest == null ? "" : " (did you mean \"" + nearest + "\"?)";
    }

    /** Edit distance where swapping two neighbouring letters counts as one edit, as typos do ("hihg"). */
    private static int editDistance(final String a, final String b)
    {
        final int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++)
        {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++)
        {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            for (int j = 1; j <= b.length(); j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
