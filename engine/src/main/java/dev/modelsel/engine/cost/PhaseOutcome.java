package dev.modelsel.engine.cost;

import dev.modelsel.catalog.Complexity;

/**
 * What one phase (one attempt) did: the guide's execution history record. A mutable holder the caller fills and
 * reuses, so recording allocates nothing.
 * <p>
 * Not thread-safe: one per recording thread.
 */
public final class PhaseOutcome
{
    /** {@link #qualityScore()} of an outcome without one. */
    public static final double NO_QUALITY_SCORE = Double.NaN;
    /** {@link #attempt()} of an outcome without one. */
    public static final int NO_ATTEMPT = -1;
    /**
     * The most input or output tokens one phase may count: 10^12, a thousand times any context window yet. A count
     * past it is a mistake, refused where it is read ({@code run}'s {@code record}, {@code analyze}'s history), so that
     * it is never priced or summed: 10^12 tokens at any sane price, added millions of times, stays inside a long.
     */
    public static final long MAX_TOKENS = 1_000_000_000_000L;
    /**
     * The largest attempt number: 10^6 tries at one phase, far past any retry policy. A larger one is a mistake,
     * refused where it is read ({@code record}, {@code analyze}) and by {@link #attempt(int)}, never clamped.
     */
    public static final int MAX_ATTEMPT = 1_000_000;

    private String category;
    private Complexity complexity;
    private int initialTier;
    private int finalTier;
    private String model;
    private long inputTokens;
    private long outputTokens;
    private boolean success;
    private double qualityScore = NO_QUALITY_SCORE;
    private int attempt = NO_ATTEMPT;

    /**
     * Sets every required field; clears the optional ones.
     *
     * @throws IllegalArgumentException when a token count is negative or past {@link #MAX_TOKENS}.
     */
    public PhaseOutcome set(
        final String category,
        final Complexity complexity,
        final int initialTier,
        final int finalTier,
        final String model,
        final long inputTokens,
        final long outputTokens,
        final boolean success)
    {
        if (inputTokens < 0 || inputTokens > MAX_TOKENS || outputTokens < 0 || outputTokens > MAX_TOKENS)
        {
            throw new IllegalArgumentException("token counts must be 0 to " + MAX_TOKENS + ", got " + inputTokens +
                " and " + outputTokens);
        }
        this.category = category;
        this.complexity = complexity;
        this.initialTier = initialTier;
        this.finalTier = finalTier;
        this.model = model;
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
        this.success = success;
        this.qualityScore = NO_QUALITY_SCORE;
        this.attempt = NO_ATTEMPT;
        return this;
    }

    public PhaseOutcome qualityScore(final double qualityScore)
    {
        this.qualityScore = qualityScore;
        return this;
    }

    /** @throws IllegalArgumentException when the attempt number is negative or past {@link #MAX_ATTEMPT}. */
    public PhaseOutcome attempt(final int attempt)
    {
        if (attempt < 0 || attempt > MAX_ATTEMPT)
        {
            throw new IllegalArgumentException("an attempt number must be 0 to " + MAX_ATTEMPT + ", got " + attempt);
        }
        this.attempt = attempt;
        return this;
    }

    public String category()
    {
        return category;
    }

    public Complexity complexity()
    {
        return complexity;
    }

    public int initialTier()
    {
        return initialTier;
    }

    public int finalTier()
    {
        return finalTier;
    }

    public String model()
    {
        return model;
    }

    public long inputTokens()
    {
        return inputTokens;
    }

    public long outputTokens()
    {
        return outputTokens;
    }

    public boolean success()
    {
        return success;
    }

    /** @return the quality score, or {@link #NO_QUALITY_SCORE}. */
    public double qualityScore()
    {
        return qualityScore;
    }

    /** @return the attempt number, or {@link #NO_ATTEMPT}. */
    public int attempt()
    {
        return attempt;
    }

    /**
     * The guide's {@code analyze_escalations}, its comparison fixed: tier 1 is the most capable, so a phase escalated
     * when it ended in a tier numbered lower than the one it started in.
     */
    public boolean escalated()
    {
        return finalTier < initialTier;
    }

    @Override
    public String toString()
    {
        return "PhaseOutcome{category=" + category + ", complexity=" + complexity + ", initialTier=" + initialTier +
            ", finalTier=" + finalTier + ", model=" + model + ", inputTokens=" + inputTokens + ", outputTokens=" +
            outputTokens + ", success=" + success + ", qualityScore=" + qualityScore + ", attempt=" + attempt + '}';
    }
}
