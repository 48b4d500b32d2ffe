package dev.modelsel.engine.cost;

import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogLoader;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Whole micro-dollars rounded half up exactly, as a plain BigDecimal computation rounds them. */
class PricingTest
{
    @Test
    void shouldRoundAnExactHalfUp() throws CatalogException
    {
        final Pricing pricing = pricing("0.7", "0.7", "2");
        assertEquals(32, pricing.costMicros("a", 45, 0), "45 x 0.7 = 31.5 exactly; through a double it was 31.4999...");
        assertEquals(32, pricing.costMicros("a", 0, 45));
        assertEquals(63, pricing.costMicros("a", 45, 45), "31.5 + 31.5, rounded once");
        assertEquals(90, pricing.costMicros("nobody", 45, 0), "the defaults' price");
    }

    /** Seeded prices of few and many decimals, and token counts up to the bound, against BigDecimal. */
    @Test
    void shouldPriceAsBigDecimalDoes() throws CatalogException
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        for (int trial = 0; trial < 200; trial++)
        {
            final String input = price(random);
            final String output = price(random);
            final Pricing pricing = pricing(input, output, price(random));
            for (int i = 0; i < 200; i++)
            {
                final String model = random.nextInt(8) == 0 ? "nobody" : "a";
                final long inputTokens = tokens(random);
                final long outputTokens = tokens(random);
                assertEquals(reference(pricing, model, inputTokens, outputTokens),
                    pricing.costMicros(model, inputTokens, outputTokens), "seed " + seed + ": " + model + " at " +
                    input + "/" + output + ", " + inputTokens + " and " + outputTokens + " tokens");
            }
        }
    }

    /** Straight from the definition: tokens × USD per Mtok, in exact decimal, half up, at most a long. */
    private static long reference(final Pricing pricing, final String model, final long inputTokens,
        final long outputTokens)
    {
        BigDecimal micros = BigDecimal.valueOf(inputTokens).multiply(BigDecimal.valueOf(pricing.inputCostPerMtok(model)));
        if (pricing.pricesOutput(model))
        {
            micros = micros.add(BigDecimal.valueOf(outputTokens)
                .multiply(BigDecimal.valueOf(pricing.outputCostPerMtok(model))));
        }
        final BigDecimal rounded = micros.setScale(0, RoundingMode.HALF_UP);
        return rounded.min(BigDecimal.valueOf(Long.MAX_VALUE)).longValueExact();
    }

    private static String price(final Random random)
    {
        switch (random.nextInt(5))
        {
            case 0:
                return BigDecimal.valueOf(random.nextInt(100_000), random.nextInt(7)).toPlainString();
            case 1:
                return String.valueOf(random.nextDouble() * 100); // many decimals: the slow path
            case 2:
                return BigDecimal.valueOf(random.nextInt(1_000_000), 9).toPlainString();
            case 3:
                return String.valueOf(random.nextInt(1_000_000)); // large: big costs overflow the fast path
            default:
                return BigDecimal.valueOf(random.nextInt(2_000) + 1, 1).toPlainString(); // x.5 prices: exact halves
        }
    }

    private static long tokens(final Random random)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return random.nextInt(100);
            case 1:
                return random.nextInt(1_000_000);
            case 2:
                return PhaseOutcome.MAX_TOKENS - random.nextInt(1_000);
            default:
                return (long)(random.nextDouble() * PhaseOutcome.MAX_TOKENS);
        }
    }

    private static Pricing pricing(final String input, final String output, final String defaultInput)
        throws CatalogException
    {
        return new Pricing(CatalogLoader.parse("c.yaml", "version: 1\n" +
            "defaults: {input_cost_per_mtok: " + defaultInput + "}\n" +
            "models:\n" +
            "  a: {input_cost_per_mtok: " + input + ", output_cost_per_mtok: " + output + "}\n" +
            "tiers: [{tier: 1, models: [a]}]\n", false).compile());
    }
}
