package dev.modelsel.catalog;

/**
 * A model's provider rate limits (SPEC §7): requests and tokens a minute, each refilling continuously; 0 where the
 * catalog gives none.
 *
 * @param rpm requests a minute, 0 to {@link #MAX}.
 * @param tpm tokens a minute, 0 to {@link #MAX}; a model with one cannot take a request of more tokens than it.
 */
public record RateLimits(long rpm, long tpm)
{
    /**
     * The largest limit a catalog may give: well above any provider's published one (150 million tokens a minute
     * is the largest seen), and small enough that a bucket's arithmetic in units of 1/60,000 never overflows a long.
     */
    public static final long MAX = 1_000_000_000L;

    public static final RateLimits NONE = new RateLimits(0, 0);

    public boolean any()
    {
        return rpm != 0 || tpm != 0;
    }
}
