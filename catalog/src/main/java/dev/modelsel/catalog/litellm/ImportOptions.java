package dev.modelsel.catalog.litellm;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an import takes and how it tiers.
 *
 * @param capabilities       model id to capability; {@code null} tiers by input price terciles instead.
 * @param capabilitiesSource the capabilities file's name, for the output's header; ignored without capabilities.
 * @param tierThresholds     strictly decreasing capability floors: tier k holds the models at or above the k-th and
 *                           below the ones before it, the last tier the rest. Used with capabilities only.
 * @param providers          keep only these {@code litellm_provider} values; empty keeps all.
 * @param include            keep only ids this pattern finds a match in; {@code null} keeps all.
 */
public record ImportOptions(Map<String, Double> capabilities, String capabilitiesSource, List<Double> tierThresholds,
    Set<String> providers, Pattern include)
{
    /** The default: tier 1 at 0.85 and above, tier 2 at 0.7 and above, tier 3 the rest. */
    public static final List<Double> DEFAULT_TIER_THRESHOLDS = List.of(0.85, 0.7);

    public ImportOptions
    {
        tierThresholds = List.copyOf(tierThresholds);
        providers = Set.copyOf(providers);
        capabilities = capabilities == null ? null : Map.copyOf(capabilities);
        if (tierThresholds.isEmpty())
        {
            throw new IllegalArgumentException("tier thresholds: give at least one (\"0.85,0.7\" makes three tiers)");
        }
        for (int i = 0; i < tierThresholds.size(); i++)
        {
            final double threshold = tierThresholds.get(i);
            if (!Double.isFinite(threshold))
            {
                throw new IllegalArgumentException("tier thresholds must be finite numbers, not " + threshold);
            }
            if (i > 0 && threshold >= tierThresholds.get(i - 1))
            {
                throw new IllegalArgumentException("tier thresholds must decrease (tier 1's floor first): " +
                    tierThresholds.get(i - 1) + " then " + threshold);
            }
        }
    }

    /** Everything imported, tiered by input price terciles. */
    public static ImportOptions byPrice()
    {
        return new ImportOptions(null, null, DEFAULT_TIER_THRESHOLDS, Set.of(), null);
    }

    /** Everything imported, tiered by the default capability thresholds. */
    public static ImportOptions byCapability(final Map<String, Double> capabilities, final String source)
    {
        return new ImportOptions(capabilities, source, DEFAULT_TIER_THRESHOLDS, Set.of(), null);
    }

    boolean tiersByCapability()
    {
        return capabilities != null;
    }
}
