package dev.modelsel.engine.probe;

import java.util.List;

/**
 * What the prober probes and how often.
 *
 * @param probes         one per model, in file order.
 * @param intervalMs     the mean time between two probes of one model (each wait is jittered by ±10%).
 * @param failuresToDown consecutive failures (5xx, refused, timed out) before a model is marked down.
 * @param maxConcurrent  probes in flight at once, all models together.
 */
public record ProbeConfig(List<ProbeTarget> probes, long intervalMs, int failuresToDown, int maxConcurrent)
{
    public static final long DEFAULT_INTERVAL_MS = 10_000;
    public static final int DEFAULT_FAILURES_TO_DOWN = 1;
    public static final int DEFAULT_MAX_CONCURRENT = 8;
    public static final long DEFAULT_TIMEOUT_MS = 2_000;

    public ProbeConfig
    {
        probes = List.copyOf(probes);
    }

    /** The same probes at another interval (the command line's {@code --interval} wins over the file's). */
    public ProbeConfig withIntervalMs(final long newIntervalMs)
    {
        return new ProbeConfig(probes, newIntervalMs, failuresToDown, maxConcurrent);
    }

    /** The longest probe timeout, so that a shutdown knows how long in-flight probes may take. */
    long longestTimeoutMs()
    {
        return probes.stream().mapToLong(ProbeTarget::timeoutMs).max().orElse(0);
    }
}
