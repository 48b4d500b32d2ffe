package dev.modelsel.engine.reference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Seeded random catalogs that stress SPEC §2–§3's corners: 1–5 tiers, 1–200 models, models in several tiers in
 * different orders, floors, free models (infinite scores), exact score ties, margins other than 0.85, tiered
 * models without attributes, partial defaults, and widths around the 64-model word boundary.
 */
public final class RandomCatalogs
{
    private static final double[] CAPABILITIES = {0.5, 0.6, 0.7, 0.85, 0.9, 1.0, 0.3, 3.0, 0.42, 1.5};
    private static final double[] COSTS = {0.0, 0.1, 0.25, 0.5, 1.0, 3.0, 5.0, 10.0, 15.0, 0.3, 2.048, 1e-4};
    private static final long[] WINDOWS = {4096, 8192, 16000, 16385, 32000, 100000, 128000, 200000, 1000000, 90, 1};
    private static final double[] MARGINS = {0.7, 0.9, 1.0, 0.5, 0.333, 0.85, 0.1};
    private static final String[] PROVIDERS = {"acme", "orca", "nova", "zeta"};
    private static final long[] RPMS = {1, 2, 3, 5, 7, 60, 1000};
    private static final long[] TPMS = {1, 1000, 4096, 16000, 60000, 100000, 128000, 999_999_937, 1_000_000_000};
    private static final java.math.BigDecimal[] BUDGETS = {new java.math.BigDecimal("0.001"),
        new java.math.BigDecimal("0.05"), new java.math.BigDecimal("0.5"), new java.math.BigDecimal("2"),
        new java.math.BigDecimal("25.125")};
    private static final String[] ODD_SUFFIXES = {"", "", "", "/v1", ":free", "@2024", ".5", "-x"};

    private RandomCatalogs()
    {
    }

    public static RefCatalog generate(final Random random)
    {
        return generate(random, false);
    }

    /**
     * @param limits whether to give models SPEC §7 limits and the catalog budgets, small enough to bind often: a few
     *               requests a minute, token limits near the token counts scripts ask for, budgets of cents.
     */
    public static RefCatalog generate(final Random random, final boolean limits)
    {
        final RefCatalog catalog = new RefCatalog();
        final int tierCount = 1 + random.nextInt(5);
        final int modelCount = modelCount(random);

        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < modelCount; i++)
        {
            ids.add(PROVIDERS[random.nextInt(PROVIDERS.length)] + "-m" + i + ODD_SUFFIXES[random.nextInt(ODD_SUFFIXES.length)]);
        }

        if (random.nextBoolean())
        {
            catalog.safetyMargin = random.nextInt(4) == 0 ? 1e-3 + random.nextDouble() * 0.999 :
                MARGINS[random.nextInt(MARGINS.length)];
        }
        if (random.nextInt(3) == 0)
        {
            catalog.defaultContextWindow = random.nextBoolean() ? window(random) : null;
            catalog.defaultInputCost = random.nextBoolean() ? COSTS[random.nextInt(COSTS.length)] : null;
            catalog.defaultCapability = random.nextBoolean() ? capability(random) : null;
        }
        if (random.nextBoolean())
        {
            for (final String complexity : List.of("low", "medium", "high"))
            {
                if (random.nextBoolean())
                {
                    catalog.complexityTiers.put(complexity, 1 + random.nextInt(tierCount));
                }
            }
        }
        if (random.nextBoolean())
        {
            catalog.maxRetries = random.nextInt(4);
            catalog.qualityThreshold = new double[] {0.5, 0.8, 0.9, 0.0}[random.nextInt(4)];
        }

        for (final String id : ids)
        {
            if (random.nextInt(8) == 0)
            {
                continue; // tiered (perhaps) but not declared: takes every default
            }
            final RefCatalog.Model model = new RefCatalog.Model();
            model.contextWindow = random.nextInt(6) == 0 ? null : window(random);
            model.inputCostPerMtok = random.nextInt(6) == 0 ? null : COSTS[random.nextInt(COSTS.length)];
            model.capability = random.nextInt(6) == 0 ? null : capability(random);
            model.outputCostPerMtok = random.nextBoolean() ? null : COSTS[random.nextInt(COSTS.length)];
            model.provider = random.nextBoolean() ? null : PROVIDERS[random.nextInt(PROVIDERS.length)];
            if (limits && random.nextInt(3) != 0)
            {
                model.rpm = random.nextInt(3) == 0 ? null : RPMS[random.nextInt(RPMS.length)];
                model.tpm = model.rpm != null && random.nextBoolean() ? null : random.nextInt(3) == 0 ?
                    1 + (long)random.nextInt(3_000_000) : TPMS[random.nextInt(TPMS.length)];
            }
            catalog.models.put(id, model);
        }
        if (limits)
        {
            for (int b = random.nextInt(4); b > 0; b--)
            {
                final RefCatalog.Budget budget = new RefCatalog.Budget();
                budget.name = "budget-" + b;
                if (random.nextBoolean())
                {
                    budget.provider = PROVIDERS[random.nextInt(PROVIDERS.length)];
                }
                else
                {
                    budget.model = random.nextInt(5) == 0 ? "unknown-" + random.nextInt(3) :
                        ids.get(random.nextInt(ids.size()));
                }
                budget.usd = BUDGETS[random.nextInt(BUDGETS.length)];
                budget.period = new String[] {"hour", "day", "month"}[random.nextInt(3)];
                catalog.budgets.add(budget);
            }
        }

        final List<Integer> numbers = new ArrayList<>();
        for (int t = 1; t <= tierCount; t++)
        {
            numbers.add(t);
        }
        if (random.nextBoolean())
        {
            Collections.shuffle(numbers, random); // tiers may appear in any order in the file
        }
        for (final int number : numbers)
        {
            final RefCatalog.Tier tier = new RefCatalog.Tier();
            tier.number = number;
            if (random.nextInt(3) == 0)
            {
                tier.minCapability = random.nextBoolean() ? 0.0 : capability(random);
            }
            final List<String> shuffled = new ArrayList<>(ids);
            Collections.shuffle(shuffled, random);
            final int size = 1 + random.nextInt(Math.min(ids.size(), random.nextInt(4) == 0 ? ids.size() : 12));
            tier.models.addAll(shuffled.subList(0, size));
            catalog.tiers.add(tier);
        }
        return catalog;
    }

    private static int modelCount(final Random random)
    {
        switch (random.nextInt(10))
        {
            case 0:
                return 63 + random.nextInt(3); // the word boundary
            case 1:
                return 100 + random.nextInt(101);
            case 2:
                return 1 + random.nextInt(3);
            default:
                return 2 + random.nextInt(30);
        }
    }

    private static long window(final Random random)
    {
        return random.nextInt(4) == 0 ? 1 + random.nextInt(2_000_000) : WINDOWS[random.nextInt(WINDOWS.length)];
    }

    private static double capability(final Random random)
    {
        return random.nextInt(5) == 0 ? 0.01 + random.nextInt(100) / 100.0 : CAPABILITIES[random.nextInt(CAPABILITIES.length)];
    }
}
