package dev.modelsel.catalog;

/**
 * One model of a loaded catalog, with the catalog defaults already applied to the fields it left out.
 *
 * @param id                the model id, as requests and the availability table name it.
 * @param contextWindow     tokens, &gt; 0.
 * @param inputCostPerMtok  USD per million input tokens, &ge; 0.
 * @param outputCostPerMtok USD per million output tokens, or {@code NaN} when the catalog gives no output price.
 * @param capability        &gt; 0, any scale.
 * @param provider          free text, or {@code null}.
 * @param limits            the provider's rate limits for it (SPEC §7), {@link RateLimits#NONE} when the catalog gives none.
 * @param declared          whether the {@code models} section names it; {@code false} for a tiered model that takes all the defaults.
 */
public record ModelDefinition(
    String id,
    long contextWindow,
    double inputCostPerMtok,
    double outputCostPerMtok,
    double capability,
    String provider,
    RateLimits limits,
    boolean declared)
{
    public boolean hasOutputCost()
    {
        return !Double.isNaN(outputCostPerMtok);
    }
}
