package dev.modelsel.engine.cost;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.ModelDefaults;

import java.math.BigDecimal;
import java.math.RoundingMode;

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
    /** Prices are held in units of 10^-9 micro-dollars per token: exact for any price of up to 9 decimals. */
    private static final int SCALE_DIGITS = 9;
    private static final long SCALE = 1_000_000_000L;
    private static final long HALF = SCALE / 2;
    /** A price not exact in {@link #SCALE_DIGITS} decimals, or too large for them: priced by the slow path. */
    private static final long NOT_EXACT = -1;

    private final CompiledCatalog catalog;
    private final ModelDefaults defaults;
    private final long[] inputScaled;
    private final long[] outputScaled;
    private final long defaultInputScaled;
    private final long defaultOutputScaled;

    public Pricing(final CompiledCatalog catalog)
    {
        this.catalog = catalog;
        this.defaults = catalog.definition().defaults();
        inputScaled = new long[catalog.modelCount()];
        outputScaled = new long[catalog.modelCount()];
        for (int model = 0; model < inputScaled.length; model++)
        {
            inputScaled[model] = scaled(catalog.inputCostPerMtok(model));
            outputScaled[model] = scaled(catalog.outputCostPerMtok(model));
        }
        defaultInputScaled = scaled(defaults.inputCostPerMtok());
        defaultOutputScaled = scaled(defaults.outputCostPerMtok());
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
     * The cost in whole micro-dollars, rounded half up exactly (31.5 is 32): tokens × USD per million tokens is
     * micro-dollars already. For counters that add up exactly across processes. Saturates at {@code Long.MAX_VALUE}.
     * <p>
     * Allocation-free for prices of up to 9 decimals and costs up to about 9 × 10^9 micro-dollars: the price is a long
     * of 10^-9 micro-dollars per token, fixed when this pricing is built, so the product is exact integer arithmetic
     * (a double product rounded 45 × 0.7 = 31.499999999999996 down). Past that, exact in {@link BigDecimal}.
     */
    public long costMicros(final String model, final long inputTokens, final long outputTokens)
    {
        final int index = catalog.indexOf(model);
        final long input = index >= 0 ? inputScaled[index] : defaultInputScaled;
        final long output = index >= 0 ? outputScaled[index] : defaultOutputScaled;
        if (input != NOT_EXACT && output != NOT_EXACT && inputTokens >= 0 && outputTokens >= 0)
        {
            final long inputPart = inputTokens * input;
            final long outputPart = outputTokens * output;
            if (Math.multiplyHigh(inputTokens, input) == 0 && inputPart >= 0 &&
                Math.multiplyHigh(outputTokens, output) == 0 && outputPart >= 0 &&
                inputPart <= Long.MAX_VALUE - HALF - outputPart)
            {
                return (inputPart + outputPart + HALF) / SCALE;
            }
        }
        return costMicrosSlowPath(model, inputTokens, outputTokens);
    }

    private long costMicrosSlowPath(final String model, final long inputTokens, final long outputTokens)
    {
        final BigDecimal micros = costUsd(model, inputTokens, outputTokens).multiply(MILLION)
            .setScale(0, RoundingMode.HALF_UP);
        return micros.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : micros.longValueExact();
    }

    /** @return the price in 10^-9 micro-dollars per token (no output price: 0), or {@link #NOT_EXACT}. */
    static long scaled(final double costPerMtok)
    {
        if (Double.isNaN(costPerMtok))
        {
            return 0; // no output price: the output part is 0, as the slow path says too
        }
        final BigDecimal price = BigDecimal.valueOf(costPerMtok); // its shortest decimal, as costUsd reads it
        if (price.signum() < 0 || price.stripTrailingZeros().scale() > SCALE_DIGITS)
        {
            return NOT_EXACT;
        }
        final BigDecimal scaled = price.movePointRight(SCALE_DIGITS);
        return scaled.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0 ? scaled.longValueExact() : NOT_EXACT;
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
