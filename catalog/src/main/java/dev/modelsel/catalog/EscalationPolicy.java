package dev.modelsel.catalog;

/**
 * When escalation stops: a phase that failed {@code maxRetries} times gives up, and a quality score at or
 * above {@code qualityThreshold} needs no escalation.
 *
 * @param maxRetries       &ge; 0.
 * @param qualityThreshold finite, &ge; 0.
 */
public record EscalationPolicy(int maxRetries, double qualityThreshold)
{
    /** The guide's values: two retries, quality 0.8. */
    public static final EscalationPolicy GUIDE = new EscalationPolicy(2, 0.8);
}
