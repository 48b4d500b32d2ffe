package dev.modelsel.catalog;

import java.math.BigDecimal;

/**
 * A spend budget of the catalog (SPEC §7): the models it covers, how much they may cost in each period.
 *
 * @param name     unique in the catalog.
 * @param provider the provider whose every model it covers, or null when it names one model.
 * @param model    the one model id it covers, or null when it names a provider.
 * @param usd      dollars a period, &gt; 0, exactly as written.
 * @param period   UTC hour, day or month.
 */
public record BudgetDefinition(String name, String provider, String model, BigDecimal usd, BudgetPeriod period)
{
    public BudgetDefinition
    {
        usd = usd.stripTrailingZeros(); // 100 and 100.00 are one budget (and records compare BigDecimal's scale)
    }

    /** Spend at or above this many whole micro-dollars exhausts the budget: {@code usd × 10^6}, rounded up. */
    public long limitMicros()
    {
        return usd.movePointRight(6).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    /** @return whether the budget covers a model of this id and provider (null: none). */
    public boolean covers(final String modelId, final String modelProvider)
    {
        return provider != null ? provider.equals(modelProvider) : model.equals(modelId);
    }

    /** "provider openai" or "model gpt-4o": what it covers, for messages. */
    public String coverage()
    {
        return provider != null ? "provider " + provider : "model " + model;
    }
}
