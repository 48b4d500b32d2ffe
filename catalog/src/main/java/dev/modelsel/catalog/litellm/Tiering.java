package dev.modelsel.catalog.litellm;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts imported models into tiers, each tier ordered by id. Tiers left empty are dropped and the rest renumbered,
 * since a catalog's tiers are 1..N and none may be empty; the rules say which range each tier kept.
 */
final class Tiering
{
    private Tiering()
    {
    }

    /**
     * Tier k holds the models at or above the k-th threshold and below the ones before it; the last tier the rest.
     * Models without a capability go in no tier.
     *
     * @param models models sorted by id.
     * @param rules  receives one line per tier kept, saying what it holds.
     * @return the tiers' ids, tier 1 first.
     */
    static List<List<String>> byCapability(final List<PricedModel> models, final ImportOptions options,
        final List<String> rules)
    {
        final List<Double> thresholds = options.tierThresholds();
        final List<List<String>> bands = new ArrayList<>();
        for (int band = 0; band <= thresholds.size(); band++)
        {
            bands.add(new ArrayList<>());
        }
        for (final PricedModel model : models)
        {
            final Double capability = options.capabilities().get(model.id());
            if (capability != null)
            {
                int band = 0;
                while (band < thresholds.size() && capability < thresholds.get(band))
                {
                    band++;
                }
                bands.get(band).add(model.id());
            }
        }
        final List<List<String>> tiers = new ArrayList<>();
        for (int band = 0; band < bands.size(); band++)
        {
            if (!bands.get(band).isEmpty())
            {
                tiers.add(bands.get(band));
                rules.add("tier " + tiers.size() + ": " + capabilityRange(thresholds, band) + " (" +
                    bands.get(band).size() + " models)");
            }
        }
        return tiers;
    }

    /**
     * Thirds by input price, the most expensive first; equal prices at a boundary are split by id, so that every
     * tier holds a third (one or two tiers for one or two models).
     *
     * @param models models sorted by id.
     * @param rules  receives one line per tier, saying what it holds.
     * @return the tiers' ids, tier 1 first.
     */
    static List<List<String>> byPrice(final List<PricedModel> models, final List<String> rules)
    {
        final List<PricedModel> dearestFirst = new ArrayList<>(models);
        dearestFirst.sort(Comparator.comparing(PricedModel::inputCostPerMtok).reversed()
            .thenComparing(PricedModel::id));
        final int count = dearestFirst.size();
        final List<List<String>> tiers = new ArrayList<>();
        final List<BigDecimal[]> ranges = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final int tier = (int)((long)i * 3 / count);
            if (tier == tiers.size())
            {
                tiers.add(new ArrayList<>());
                ranges.add(new BigDecimal[] {dearestFirst.get(i).inputCostPerMtok(), null});
            }
            tiers.get(tier).add(dearestFirst.get(i).id());
            ranges.get(tier)[1] = dearestFirst.get(i).inputCostPerMtok();
        }
        final String[] names = {"the most expensive third", "the middle third", "the cheapest third"};
        for (int tier = 0; tiers.size() > tier; tier++)
        {
            tiers.get(tier).sort(null);
            rules.add("tier " + (tier + 1) + ": " + (tiers.size() == 3 ? names[tier] + " by input price" :
                "by input price") + ", " + ImportedCatalog.decimal(ranges.get(tier)[0]) + " down to " +
                ImportedCatalog.decimal(ranges.get(tier)[1]) + " $/Mtok (" + tiers.get(tier).size() + " models)");
        }
        return tiers;
    }

    private static String capabilityRange(final List<Double> thresholds, final int band)
    {
        if (band == 0)
        {
            return "capability >= " + ImportedCatalog.decimal(thresholds.get(0));
        }
        final String below = "capability < " + ImportedCatalog.decimal(thresholds.get(band - 1));
        return band == thresholds.size() ? below :
            ImportedCatalog.decimal(thresholds.get(band)) + " <= " + below;
    }
}
