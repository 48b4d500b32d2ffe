package dev.modelsel.engine.probe;

import dev.modelsel.engine.availability.AvailabilityTable;
import dev.modelsel.engine.availability.OutcomeReporter;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Turns probe results into availability: the {@link OutcomeReporter} mapping (2xx clears down and leaves a
 * cooldown, 429 cools down for Retry-After), except that failures (5xx, refused, timed out) mark a model down only
 * after {@code failures_to_down} of them in a row, and answers the reporter would ignore (other 4xx, 1xx, 3xx) are
 * a configuration problem. Remembers each model's last state, so that callers can log changes only.
 * <p>
 * Thread-safe for different models; results of one model must be judged one at a time, in order (the prober never
 * has two probes of a model in flight).
 */
public final class ProbeJudge
{
    private final OutcomeReporter reporter;
    private final int failuresToDown;
    private final ConcurrentHashMap<String, ModelState> states = new ConcurrentHashMap<>();

    private static final class ModelState
    {
        ProbeVerdict.State last;
        int failuresInARow;
    }

    public ProbeJudge(final AvailabilityTable table, final int failuresToDown, final LongSupplier clockMs)
    {
        if (failuresToDown < 1)
        {
            throw new IllegalArgumentException("failures_to_down must be at least 1, not " + failuresToDown);
        }
        this.reporter = new OutcomeReporter(table, clockMs);
        this.failuresToDown = failuresToDown;
    }

    /** Writes what the result means to the table and says what it was. */
    public ProbeVerdict judge(final ProbeResult result)
    {
        final ModelState state = states.computeIfAbsent(result.model(), model -> new ModelState());
        final ProbeVerdict.State now;
        long cooldownUntilMs = 0;
        if (result.isFailure())
        {
            state.failuresInARow++;
            now = state.failuresInARow >= failuresToDown ? markDown(result) : ProbeVerdict.State.FAILING;
        }
        else
        {
            state.failuresInARow = 0;
            final OutcomeReporter.Outcome outcome = reporter.reportStatus(result.model(), result.status(),
                result.retryAfter());
            switch (outcome.effect())
            {
                case UP:
                    now = ProbeVerdict.State.UP;
                    break;
                case COOLDOWN:
                    now = ProbeVerdict.State.COOLING;
                    cooldownUntilMs = outcome.cooldownUntilMs();
                    break;
                default:
                    now = ProbeVerdict.State.MISCONFIGURED;
            }
        }
        // A failure below the threshold writes nothing: the state stays what it was, unless there was none yet.
        final boolean changed = now == ProbeVerdict.State.FAILING ? state.last == null : now != state.last;
        if (changed)
        {
            state.last = now;
        }
        return new ProbeVerdict(result, now, changed, state.failuresInARow, cooldownUntilMs);
    }

    private ProbeVerdict.State markDown(final ProbeResult result)
    {
        if (result.status() == ProbeResult.NO_STATUS)
        {
            reporter.reportIoFailure(result.model());
        }
        else
        {
            reporter.reportStatus(result.model(), result.status(), result.retryAfter());
        }
        return ProbeVerdict.State.DOWN;
    }
}
