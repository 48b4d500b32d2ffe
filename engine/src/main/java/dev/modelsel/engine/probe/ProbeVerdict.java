package dev.modelsel.engine.probe;

import java.time.Instant;

/**
 * What a probe result meant for its model.
 *
 * @param result          the result judged.
 * @param state           the model's state as the prober now sees it.
 * @param changed         whether that state differs from the one before (the first verdict of a model always does).
 * @param failuresInARow  consecutive failures so far (0 after any answer that is not a 5xx).
 * @param cooldownUntilMs for {@link State#COOLING}: the deadline in force in the table; else 0.
 */
public record ProbeVerdict(ProbeResult result, State state, boolean changed, int failuresInARow, long cooldownUntilMs)
{
    /** A model's state as the prober sees it. */
    public enum State
    {
        /** Answered 2xx: down cleared (a cooldown the provider set still stands). */
        UP,
        /** Answered 429: cooling down until Retry-After. */
        COOLING,
        /** Failed {@code failures_to_down} times in a row: marked down. */
        DOWN,
        /** Failed, but fewer times in a row than {@code failures_to_down}: nothing written yet. */
        FAILING,
        /** Another answer (other 4xx, 1xx, 3xx): the probe is set up wrong; nothing written. */
        MISCONFIGURED
    }

    /** One line for logs and summaries, without headers or secrets. */
    public String describe(final int failuresToDown)
    {
        final String model = result.model();
        switch (state)
        {
            case UP:
                return model + ": up (" + result.describe() + ")";
            case COOLING:
                return model + ": rate limited, cooling down until " + Instant.ofEpochMilli(cooldownUntilMs) + " (" +
                    result.describe() +
                    ", Retry-After " + (result.retryAfter() == null ? "absent: 60 s" : "\"" + result.retryAfter() +
                    "\"") + ")";
            case DOWN:
                return model + ": down (" + result.describe() + ", " + failures(failuresInARow) + " in a row)";
            case FAILING:
                return model + ": failing, not down yet (" + result.describe() + ", " + failuresInARow + " of " +
                    failures(failuresToDown) + " in a row)";
            default:
                return model + ": configuration problem, nothing written (" + result.describe() + ": " +
                    (result.status() >= 300 && result.status() < 400 ? "a redirect; probe the final URL" :
                    "the probe's URL, method or headers are wrong") + ")";
        }
    }

    private static String failures(final int count)
    {
        return count + (count == 1 ? " failure" : " failures");
    }
}
