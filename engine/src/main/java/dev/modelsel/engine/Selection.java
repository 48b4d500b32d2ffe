package dev.modelsel.engine;

import dev.modelsel.catalog.CompiledCatalog;

/**
 * The answer to one {@link Selector} call (SPEC §4), written into an object the caller owns and reuses, so
 * selecting allocates nothing. It also holds the selector's work space for the rare fallback paths.
 * <p>
 * Not thread-safe: keep one per thread.
 */
public final class Selection
{
    /** {@link #model()} of an answer that names no model. */
    public static final int NO_MODEL = -1;
    /** {@link #tier()} of an answer that names no model. */
    public static final int NO_TIER = 0;
    /** {@link #retryAtMs()} of an answer without a retry time. */
    public static final long NO_RETRY_AT = Long.MIN_VALUE;

    private static final Status[] STATUSES = Status.values();
    private static final Fallback[] FALLBACKS = Fallback.values();
    private static final int NO_FALLBACK = -1;

    // Plain ints rather than enum references: reference stores cost a GC write barrier each, on every select.
    private CompiledCatalog catalog;
    private int status = -1;
    private int fallback = NO_FALLBACK;
    private int model = NO_MODEL;
    private int tier = NO_TIER;
    private int initialTier;
    private long retryAtMs = NO_RETRY_AT;
    /** Three sets of the catalog's width for the slow paths: fitting, candidates, a temporary. Grown, never shrunk. */
    private long[] scratch = new long[4];

    /** @return the outcome, or {@code null} before the first selection into this object. */
    public Status status()
    {
        return status < 0 ? null : STATUSES[status];
    }

    /** @return how the model was found, for {@link Status#OK}; otherwise {@code null}. */
    public Fallback fallback()
    {
        return fallback == NO_FALLBACK ? null : FALLBACKS[fallback];
    }

    /** @return the model's index in {@link #catalog()}, or {@link #NO_MODEL}. */
    public int model()
    {
        return model;
    }

    /** @return the model's id, or {@code null} when the answer names none. No allocation: the catalog's own string. */
    public String modelId()
    {
        return model == NO_MODEL ? null : catalog.id(model);
    }

    /** @return the tier the model was chosen from, or {@link #NO_TIER}. */
    public int tier()
    {
        return tier;
    }

    /** @return the initial tier of the request's complexity. */
    public int initialTier()
    {
        return initialTier;
    }

    /** @return the retry time for {@link Status#NO_MODEL_AVAILABLE} and {@link Status#WAIT}, or {@link #NO_RETRY_AT}. */
    public long retryAtMs()
    {
        return retryAtMs;
    }

    public boolean hasRetryAt()
    {
        return retryAtMs != NO_RETRY_AT;
    }

    /** @return the catalog whose indexes {@link #model()} uses: the one selected from. */
    public CompiledCatalog catalog()
    {
        return catalog;
    }

    Selection set(
        final CompiledCatalog catalog,
        final Status status,
        final int model,
        final int tier,
        final int initialTier,
        final Fallback fallback,
        final long retryAtMs)
    {
        if (this.catalog != catalog)
        {
            this.catalog = catalog;
        }
        this.status = status.ordinal();
        this.model = model;
        this.tier = tier;
        this.initialTier = initialTier;
        this.fallback = fallback == null ? NO_FALLBACK : fallback.ordinal();
        this.retryAtMs = retryAtMs;
        return this;
    }

    Selection ok(final CompiledCatalog catalog, final int model, final int tier, final int initialTier, final Fallback fallback)
    {
        return set(catalog, Status.OK, model, tier, initialTier, fallback, NO_RETRY_AT);
    }

    Selection without(final CompiledCatalog catalog, final Status status, final int initialTier)
    {
        return set(catalog, status, NO_MODEL, NO_TIER, initialTier, null, NO_RETRY_AT);
    }

    /** Work space of at least {@code 3 * words} longs; allocates only when a wider catalog is first seen. */
    long[] scratch(final int words)
    {
        if (scratch.length < 4 * words)
        {
            scratch = new long[4 * words];
        }
        return scratch;
    }

    @Override
    public String toString()
    {
        return "Selection{status=" + status() + ", model=" + modelId() + ", tier=" + tier + ", initialTier=" +
            initialTier + ", fallback=" + fallback() + ", retryAtMs=" + (hasRetryAt() ? String.valueOf(retryAtMs) : "null") +
            '}';
    }
}
