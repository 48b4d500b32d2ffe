package dev.modelsel.catalog;

/**
 * What a model takes for a field it does not give: the catalog's {@code defaults}, or the guide's
 * 100000 tokens, $5.0 per million input tokens and capability 0.7 where those are silent too.
 *
 * @param contextWindow     tokens.
 * @param inputCostPerMtok  USD per million input tokens.
 * @param outputCostPerMtok USD per million output tokens, or {@code NaN}: no output price.
 * @param capability        capability score.
 */
public record ModelDefaults(long contextWindow, double inputCostPerMtok, double outputCostPerMtok, double capability)
{
    /** The guide's own {@code .get()} defaults. */
    public static final ModelDefaults GUIDE = new ModelDefaults(100_000, 5.0, Double.NaN, 0.7);
}
