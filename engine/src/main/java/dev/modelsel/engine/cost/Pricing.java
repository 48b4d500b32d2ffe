package dev.modelsel.engine.cost;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.ModelDefaults;

import java.math.BigDecimal;

/**
 * What a model's tokens cost, by the catalog: {@code input_tokens / 1e6 × input_cost_per_mtok + output_tokens /
 * 1e6 × output_cost_per_mtok}. A model the catalog lacks is priced with the catalog's defaults (and the caller is
 * told); a model without an output price has its output part 0 (and the caller is told).
 * <p>
 * Immutable and thread-safe.
 */
public final class Pricing
{
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final CompiledCatalog catalog;
    private final ModelDefaults defaults;

    public Pricing(final CompiledCatalog catalog)
    {
        this.catalog = catalog;
        this.defaults = catalog.definition().defaults();
    }

    public CompiledCatalog catalog()
    {
        return catalog;
    }

    /** @return whether the catalog has the model; when not, its price is the defaults'. */
    public boolean knows(final String model)
    {
        return catalog.indexOf(model) >= 0;
    }

    public double inputCostPerMtok(final String model)
    {
        final int index = catalog.indexOf(model);
        return index >= 0 ? catalog.inputCostPerMtok(index) : defaults.inputCostPerMtok();
    }

    /** @return the output price, or {@code NaN} when there is none (the output part is then 0). */
    public double outputCostPerMtok(final String model)
    {
        final int index = catalog.indexOf(model);
        return index >= 0 ? catalog.outputCostPerMtok(index) : defaults.outputCostPerMtok();
    }

    public boolean pricesOutput(final String model)
    {
        return !Double.isNaN(outputCostPerMtok(model));
    }

    /**
     * The cost in whole micro-dollars, rounded half up: tokens × USD per million tokens is micro-dollars already.
     * For counters that add up exactly across processes.
     */
    public long costMicros(final String model, final long inputTokens, final long outputTokens)
    {
        final double output = pricesOutput(model) ? outputTokens * outputCostPerMtok(model) : 0;
        return Math.round(inputTokens * inputCostPerMtok(model) + output);
    }

    /** The cost in USD, exact in decimal (prices are read as their shortest decimal form). */
    public BigDecimal costUsd(final String model, final long inputTokens, final long outputTokens)
    {
        BigDecimal micros = BigDecimal.valueOf(inputTokens).multiply(BigDecimal.valueOf(inputCostPerMtok(model)));
        if (pricesOutput(model))
        {
            micros = micros.add(BigDecimal.valueOf(outputTokens).multiply(BigDecimal.valueOf(outputCostPerMtok(model))));
        }
        return micros.divide(MILLION).stripTrailingZeros();
    }
}
