package dev.modelsel.engine.availability;

import java.net.http.HttpResponse;
import java.time.DateTimeException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What an LLM client (or the prober) learnt from calling a model, applied to an availability table: the one place
 * that turns HTTP outcomes into availability.
 * <ul>
 *   <li>2xx: the model answers; clears "down" but leaves a cooldown to expire (it is the provider's word);</li>
 *   <li>429: a cooldown until now + Retry-After (seconds or an HTTP-date; 60 s when absent or unparseable; at
 *       most a day), merged with any later deadline already set;</li>
 *   <li>5xx, or a connection that failed (refused, reset, timed out): down;</li>
 *   <li>anything else (1xx, 3xx, other 4xx): no change; a 4xx other than 429 is the caller's problem, not the
 *       model's.</li>
 * </ul>
 * Thread-safe when the table is.
 */
public final class OutcomeReporter
{
    /** The cooldown of a 429 that gives no usable Retry-After. */
    public static final long DEFAULT_RETRY_AFTER_MS = 60_000;

    /**
     * The longest cooldown one answer can set. Cooldowns only grow (the latest deadline wins) and a 2xx does not
     * clear them, so one absurd header ({@code 99999999999999999999}, a date in the year 9999) would otherwise keep
     * a model out of every process for good; providers' daily quotas reset within a day.
     */
    public static final long MAX_RETRY_AFTER_MS = AvailabilityTable.MAX_COOLDOWN_AHEAD_MS;

    /** What a report did to the table. */
    public enum Effect
    {
        /** Down cleared (a cooldown, if any, stands). */
        UP,
        /** A cooldown until {@link Outcome#cooldownUntilMs()}. */
        COOLDOWN,
        /** Marked down. */
        DOWN,
        /** Nothing. */
        NONE
    }

    /**
     * @param effect          what changed.
     * @param cooldownUntilMs for {@link Effect#COOLDOWN}: the deadline in force after the merge; otherwise
     *                        {@link AvailabilityRecord#NO_COOLDOWN}.
     */
    public record Outcome(Effect effect, long cooldownUntilMs)
    {
        static final Outcome UP = new Outcome(Effect.UP, AvailabilityRecord.NO_COOLDOWN);
        static final Outcome DOWN = new Outcome(Effect.DOWN, AvailabilityRecord.NO_COOLDOWN);
        static final Outcome NONE = new Outcome(Effect.NONE, AvailabilityRecord.NO_COOLDOWN);
    }

    /** RFC 9110's HTTP-date: IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must accept. */
    private static final List<DateTimeFormatter> HTTP_DATES = List.of(
        DateTimeFormatter.RFC_1123_DATE_TIME,
        new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970).appendPattern(" HH:mm:ss zzz")
            .toFormatter(Locale.US),
        new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("EEE MMM")
            .appendLiteral(' ').padNext(2).appendValue(ChronoField.DAY_OF_MONTH)
            .appendPattern(" HH:mm:ss yyyy").toFormatter(Locale.US).withZone(ZoneOffset.UTC));

    private final AvailabilityTable table;
    private final LongSupplier clockMs;

    public OutcomeReporter(final AvailabilityTable table)
    {
        this(table, System::currentTimeMillis);
    }

    public OutcomeReporter(final AvailabilityTable table, final LongSupplier clockMs)
    {
        this.table = table;
        this.clockMs = clockMs;
    }

    /**
     * @param modelId    the model called.
     * @param statusCode the HTTP status of its answer.
     * @param retryAfter the Retry-After header's value, or {@code null}.
     * @return what was done.
     */
    public Outcome reportStatus(final String modelId, final int statusCode, final String retryAfter)
    {
        if (statusCode >= 200 && statusCode < 300)
        {
            table.clearDown(modelId);
            return Outcome.UP;
        }
        if (statusCode == 429)
        {
            final long nowMs = clockMs.getAsLong();
            final long delayMs = retryAfterMs(retryAfter, nowMs);
            final long untilMs = nowMs + Math.min(delayMs, Long.MAX_VALUE - nowMs);
            return new Outcome(Effect.COOLDOWN, table.setRateLimited(modelId, untilMs));
        }
        if (statusCode >= 500 && statusCode < 600)
        {
            table.setDown(modelId);
            return Outcome.DOWN;
        }
        AvailabilityTable.requireModelId(modelId);
        return Outcome.NONE;
    }

    /**
     * The client hook for the JDK's HTTP client: reports a response's status and Retry-After.
     *
     * @param modelId  the model called.
     * @param response its answer.
     * @return what was done.
     */
    public Outcome reportResponse(final String modelId, final HttpResponse<?> response)
    {
        return reportStatus(modelId, response.statusCode(), response.headers().firstValue("Retry-After").orElse(null));
    }

    /** The call failed without an answer: connection refused or reset, a timeout, a DNS failure. */
    public Outcome reportIoFailure(final String modelId)
    {
        table.setDown(modelId);
        return Outcome.DOWN;
    }

    /**
     * @param retryAfter a Retry-After value: delay-seconds or an HTTP-date; or {@code null}.
     * @param nowMs      the time the answer came.
     * @return the wait in ms (0 for a date already past, at most {@link #MAX_RETRY_AFTER_MS}), or
     *         {@link #DEFAULT_RETRY_AFTER_MS} when absent or unparseable.
     */
    public static long retryAfterMs(final String retryAfter, final long nowMs)
    {
        return Math.min(MAX_RETRY_AFTER_MS, uncappedRetryAfterMs(retryAfter, nowMs));
    }

    private static long uncappedRetryAfterMs(final String retryAfter, final long nowMs)
    {
        if (retryAfter == null || retryAfter.isBlank())
        {
            return DEFAULT_RETRY_AFTER_MS;
        }
        final String value = retryAfter.trim();
        if (value.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            return value.length() > 15 ? Long.MAX_VALUE : Long.parseLong(value) * 1000; // 15 digits: no overflow
        }
        for (final DateTimeFormatter format : HTTP_DATES)
        {
            try
            {
                final long at = ZonedDateTime.parse(value, format).toInstant().toEpochMilli();
                return Math.max(0, at - nowMs);
            }
            catch (final DateTimeException notThisForm)
            {
                // try the next form
            }
        }
        return DEFAULT_RETRY_AFTER_MS;
    }
}
