package dev.modelsel.catalog.litellm;

import java.math.BigDecimal;

/**
 * A chat model taken from the price list, its prices per million tokens exact as the file's decimals
 * ({@code 2.5e-07} per token is {@code 0.25}).
 *
 * @param id                the price list's key, as written.
 * @param line              the line of that key in the price list.
 * @param contextWindow     {@code max_input_tokens}.
 * @param inputCostPerMtok  {@code input_cost_per_token × 1e6}.
 * @param outputCostPerMtok {@code output_cost_per_token × 1e6}, or {@code null} when the entry has none.
 * @param provider          {@code litellm_provider}, or {@code null}.
 * @param rpm               {@code rpm} (requests a minute), 0 when the entry has none.
 * @param tpm               {@code tpm} (tokens a minute), 0 when the entry has none.
 */
public record PricedModel(String id, int line, long contextWindow, BigDecimal inputCostPerMtok,
    BigDecimal outputCostPerMtok, String provider, long rpm, long tpm)
{
    public boolean hasLimits()
    {
        return rpm != 0 || tpm != 0;
    }
}
