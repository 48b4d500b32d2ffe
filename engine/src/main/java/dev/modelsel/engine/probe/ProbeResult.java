package dev.modelsel.engine.probe;

/**
 * What one probe saw: an HTTP status, or a failure without one.
 *
 * @param model      the model probed.
 * @param status     the HTTP status, or {@link #NO_STATUS} when the request failed.
 * @param retryAfter the answer's Retry-After header, or {@code null}.
 * @param failure    why there is no status (connection refused, timed out, ...), else {@code null}.
 * @param elapsedMs  from sending to the answer's headers or the failure.
 */
public record ProbeResult(String model, int status, String retryAfter, String failure, long elapsedMs)
{
    public static final int NO_STATUS = -1;

    public static ProbeResult answered(final String model, final int status, final String retryAfter,
        final long elapsedMs)
    {
        return new ProbeResult(model, status, retryAfter, null, elapsedMs);
    }

    public static ProbeResult failed(final String model, final String failure, final long elapsedMs)
    {
        return new ProbeResult(model, NO_STATUS, null, failure, elapsedMs);
    }

    /** Counts towards {@code failures_to_down}: a 5xx, or no answer at all. */
    public boolean isFailure()
    {
        return status == NO_STATUS || (status >= 500 && status < 600);
    }

    /** {@code 503 in 12 ms}, {@code connection refused after 3 ms}. */
    public String describe()
    {
        return (status == NO_STATUS ? failure + " after " : status + " in ") + elapsedMs + " ms";
    }
}
