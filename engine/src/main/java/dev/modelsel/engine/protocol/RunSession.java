package dev.modelsel.engine.protocol;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.catalog.QuotedText;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.Trigger;
import dev.modelsel.engine.availability.AvailabilityTable;
import dev.modelsel.engine.availability.FollowedTable;
import dev.modelsel.engine.availability.SharedTableException;
import dev.modelsel.engine.cost.CostTracker;
import dev.modelsel.engine.cost.CountersFaultException;
import dev.modelsel.engine.cost.CountersFullException;
import dev.modelsel.engine.cost.FollowedCounters;
import dev.modelsel.engine.cost.InMemoryPhaseCounters;
import dev.modelsel.engine.cost.PhaseCounters;
import dev.modelsel.engine.cost.PhaseOutcome;
import dev.modelsel.engine.mapped.FileUnavailableException;

import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * The {@code run} protocol (SPEC §4), one request line in, one answer line out. A line that cannot be served
 * gets an {@code INVALID_REQUEST} answer naming the line and the problem; the session goes on. A fault of the
 * shared availability table (not of the request) gets {@code {"status": "ERROR", "error": ...}}, and the session
 * goes on too.
 * <p>
 * A {@link FollowedTable} or {@link FollowedCounters} is followed before each request that needs it: when its file
 * was deleted or replaced, the session moves to the one now at the path and re-reads availability from it; while
 * none can be opened, such requests are answered {@code ERROR} with the reason.
 * <p>
 * Not thread-safe: one session per input stream.
 */
public final class RunSession
{
    private final Selector selector;
    private final AvailabilityTable table;
    private final FollowedTable followedTable;
    private final FollowedCounters followedCounters;
    private final LongSupplier clockMs;
    private final Runnable beforeEachRequest;
    private final CostTracker costs;
    private final PhaseOutcome outcome = new PhaseOutcome();
    private final RequestParser parser = new RequestParser();
    private final Request request = new Request();
    private final Selection selection = new Selection();
    private final StringBuilder answer = new StringBuilder(256);
    /** The table moved, and the selector has not yet read availability from the new one. */
    private boolean reloadPending;
    /** How far a request's time may be from the clock when the limits are shared: see sharedLimitsTimeProblem. */
    static final long MAX_SHARED_SKEW_MS = 86_400_000L;

    /**
     * @param selector selects, and holds the availability table that availability ops write to.
     * @param clockMs  the time of a request without {@code now_ms}; normally {@link System#currentTimeMillis()}.
     */
    public RunSession(final Selector selector, final LongSupplier clockMs)
    {
        this(selector, clockMs, () -> { }, new InMemoryPhaseCounters());
    }

    /**
     * @param beforeEachRequest runs before each request is served, e.g. to reload a catalog that changed.
     * @param counters          where {@code record} ops are counted.
     */
    public RunSession(
        final Selector selector, final LongSupplier clockMs, final Runnable beforeEachRequest, final PhaseCounters counters)
    {
        this.selector = selector;
        this.table = selector.availability();
        this.followedTable = table instanceof FollowedTable ? (FollowedTable)table : null;
        this.followedCounters = counters instanceof FollowedCounters ? (FollowedCounters)counters : null;
        this.clockMs = clockMs;
        this.beforeEachRequest = beforeEachRequest;
        this.costs = CostTracker.following(selector, counters);
    }

    /**
     * @param lineNumber the line's number in the input, for error answers.
     * @return the answer line, without a line break; valid until the next call.
     */
    public CharSequence handle(final long lineNumber, final byte[] line, final int offset, final int length)
    {
        answer.setLength(0);
        try
        {
            beforeEachRequest.run(); // a catalog reload reads the table: its fault is this line's, and the run goes on
            final String notObject = parser.parse(line, offset, length, request);
            final String problem = notObject != null ? notObject : serve();
            if (problem != null)
            {
                answer.setLength(0);
                AnswerWriter.invalid(answer, "line " + lineNumber + ": " + problem);
            }
        }
        catch (final SharedTableException | CountersFullException | CountersFaultException |
            FileUnavailableException fault)
        {
            // a file that cannot take this line: full, stuck, truncated, or deleted and not to be opened again yet
            answer.setLength(0);
            AnswerWriter.error(answer, "line " + lineNumber + ": " + fault.getMessage());
        }
        catch (final InternalError fault)
        {
            // a fault in a mapped file that reached no catch nearer to it: Java may deliver one from compiled code a
            // little after the access that faulted
            answer.setLength(0);
            AnswerWriter.error(answer, "line " + lineNumber + ": a shared file's memory faulted (" + fault.getMessage() +
                "): one of the files this run maps was probably truncated under it; the next look at them says which");
        }
        catch (final RuntimeException bug) // still one answer for the line, and the run goes on: SPEC §4
        {
            answer.setLength(0);
            AnswerWriter.error(answer, "line " + lineNumber + ": internal error, please report it: " + bug);
        }
        return answer;
    }

    /**
     * The answer to a line too long to read: it is refused unread, so the session never sees its bytes.
     *
     * @return the answer line, without a line break; valid until the next call.
     */
    public CharSequence tooLong(final long lineNumber, final int maxBytes)
    {
        answer.setLength(0);
        return AnswerWriter.invalid(answer, "line " + lineNumber + ": longer than " + maxBytes + " bytes, the most a " +
            "request line may hold; skipped to its end");
    }

    /** {@link #handle(long, byte[], int, int)} for a line already in a string. */
    public String handle(final long lineNumber, final String line)
    {
        final byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return handle(lineNumber, bytes, 0, bytes.length).toString();
    }

    /** Serves the parsed request into {@link #answer}; @return why it cannot be served, or {@code null}. */
    private String serve()
    {
        if (request.op == null)
        {
            return request.opProblem;
        }
        switch (request.op)
        {
            case SELECT:
                return select();
            case ESCALATE:
                return escalate();
            case RATE_LIMITED:
                return rateLimited();
            case SET_DOWN:
            case SET_UP:
            case SET_RATE_LIMITED:
                return availabilityOp(request.op);
            case RECORD:
                return record();
            default:
                throw new IllegalStateException("unhandled op " + request.op);
        }
    }

    private String select()
    {
        final String problem = firstProblem(Field.COMPLEXITY, Field.TOKENS);
        if (problem != null)
        {
            return problem;
        }
        final Complexity complexity = Complexity.fromWireName(request.text(Field.COMPLEXITY));
        if (complexity == null)
        {
            return complexityProblem();
        }
        followTable();
        selector.select(complexity, request.integer(Field.TOKENS), nowMs(), selection);
        AnswerWriter.selection(answer, selection);
        return null;
    }

    private String escalate()
    {
        String problem = firstProblem(Field.COMPLEXITY, Field.TOKENS, Field.MODEL, Field.TIER, Field.TRIGGER);
        if (problem != null)
        {
            return problem;
        }
        final Complexity complexity = Complexity.fromWireName(request.text(Field.COMPLEXITY));
        if (complexity == null)
        {
            return complexityProblem();
        }
        final Trigger trigger = Trigger.fromWireName(request.text(Field.TRIGGER));
        if (trigger == null)
        {
            return "trigger must be token_overflow, phase_failure or quality, got " +
                QuotedText.of(request.text(Field.TRIGGER));
        }
        final Field triggerField = trigger == Trigger.PHASE_FAILURE ? Field.RETRY_COUNT :
            trigger == Trigger.QUALITY ? Field.QUALITY_SCORE : null;
        problem = triggerField == null ? null : request.problem(triggerField);
        if (problem != null || (problem = modelAndTierProblem()) != null)
        {
            return problem;
        }
        followTable();
        selector.escalate(complexity, request.integer(Field.TOKENS), nowMs(), request.text(Field.MODEL),
            (int)request.integer(Field.TIER), trigger,
            trigger == Trigger.PHASE_FAILURE ? request.integer(Field.RETRY_COUNT) : 0,
            trigger == Trigger.QUALITY ? request.number(Field.QUALITY_SCORE) : 0, selection);
        AnswerWriter.selection(answer, selection);
        return null;
    }

    private String rateLimited()
    {
        String problem = firstProblem(Field.COMPLEXITY, Field.TOKENS, Field.MODEL, Field.TIER, Field.RETRY_AFTER_MS);
        if (problem != null)
        {
            return problem;
        }
        final Complexity complexity = Complexity.fromWireName(request.text(Field.COMPLEXITY));
        if (complexity == null)
        {
            return complexityProblem();
        }
        if ((problem = modelAndTierProblem()) != null)
        {
            return problem;
        }
        followTable();
        selector.rateLimited(complexity, request.integer(Field.TOKENS), nowMs(), request.text(Field.MODEL),
            (int)request.integer(Field.TIER), request.integer(Field.RETRY_AFTER_MS), selection);
        AnswerWriter.selection(answer, selection);
        return null;
    }

    /** Counts a phase and answers its cost in USD, exact in decimal: {@code {"status": "OK", "cost_usd": x}}. */
    private String record()
    {
        final String problem = RecordFields.read(request, selector.catalog().tierCount(), outcome);
        if (problem != null)
        {
            return problem;
        }
        final String timeProblem = sharedLimitsTimeProblem();
        if (timeProblem != null)
        {
            return timeProblem;
        }
        followFiles(true);
        costs.record(outcome, nowMs());
        answer.append("{\"status\": \"OK\", \"cost_usd\": ")
            .append(costs.pricing().costUsd(outcome.model(), outcome.inputTokens(), outcome.outputTokens()).toPlainString())
            .append('}');
        return null;
    }

    private String availabilityOp(final Op op)
    {
        String problem = request.problem(Field.MODEL);
        if (problem == null && op == Op.SET_RATE_LIMITED)
        {
            problem = request.problem(Field.UNTIL_MS);
        }
        if (problem != null)
        {
            return problem;
        }
        final String model = request.text(Field.MODEL);
        if (model.isEmpty())
        {
            return "model must not be empty";
        }
        followTable();
        switch (op)
        {
            case SET_DOWN:
                table.setDown(model);
                break;
            case SET_UP:
                table.setUp(model);
                break;
            default:
                table.setRateLimited(model, AvailabilityTable.cappedDeadline(request.integer(Field.UNTIL_MS), nowMs()));
        }
        AnswerWriter.ok(answer);
        return null;
    }

    /**
     * Moves to the table now at the path when the one in use was deleted or replaced, and re-reads availability from
     * it; at most one {@code stat} pair per {@link dev.modelsel.engine.mapped.FileFollower#CHECK_EVERY_MS}. A re-read
     * that fails (the new table's segment stuck) fails the line, and is tried again before the next line that uses
     * the table: the selector never answers from the old table's view once the move was seen.
     *
     * @throws FileUnavailableException when the table at the path cannot be opened: the line is answered ERROR.
     */
    private void followTable()
    {
        followFiles(false);
    }

    /**
     * Moves to the table, and to the counters file, now at their paths if they were replaced, and then reloads the
     * selector, whose view and SPEC §7 limits are in them. The counters file is followed for every op when the
     * catalog has limits (their words are in it), else only for {@code record}.
     */
    private void followFiles(final boolean recording)
    {
        if (followedTable != null && followedTable.follow())
        {
            reloadPending = true; // until a reload succeeds: the next look will not say that the table moved again
        }
        if (followedCounters != null && (recording || selector.limiter() != null))
        {
            final long generation = followedCounters.generation();
            followedCounters.follow();
            if (followedCounters.generation() != generation && selector.limiter() != null)
            {
                reloadPending = true;
            }
        }
        if (reloadPending)
        {
            selector.reload(selector.catalog());
            reloadPending = false;
        }
    }

    /** @return the first of the fields that is missing, null or of the wrong type, then a malformed now_ms; or null. */
    private String firstProblem(final Field... fields)
    {
        for (final Field field : fields)
        {
            final String problem = request.problem(field);
            if (problem != null)
            {
                return problem;
            }
        }
        final String nowProblem = request.optionalProblem(Field.NOW_MS);
        return nowProblem != null ? nowProblem : sharedLimitsTimeProblem();
    }

    /**
     * With the host's shared limits ({@code run --counters}), a {@code now_ms} more than a day from this host's
     * clock is refused: a bucket taken at a time far ahead sees no refill before it, for every process on the host,
     * until then (SPEC §7 has no such bound; SPEC §3 caps cooldowns at a day for the same reason). In a process's
     * own memory, any time goes, as SPEC's scripts and replays need.
     */
    private String sharedLimitsTimeProblem()
    {
        if (followedCounters == null || selector.limiter() == null || !request.has(Field.NOW_MS))
        {
            return null;
        }
        final long nowMs = request.integer(Field.NOW_MS);
        final long clock = clockMs.getAsLong();
        if (Math.abs(nowMs - clock) <= MAX_SHARED_SKEW_MS)
        {
            return null;
        }
        return "now_ms " + nowMs + " is more than a day from this host's clock (" + clock + "): the limits this " +
            "host's processes share (--counters) take no time that far off";
    }

    private String complexityProblem()
    {
        return "complexity must be low, medium or high, got " + QuotedText.of(request.text(Field.COMPLEXITY));
    }

    private String modelAndTierProblem()
    {
        final CompiledCatalog catalog = selector.catalog();
        final String model = request.text(Field.MODEL);
        final int index = catalog.indexOf(model);
        if (index < 0 || index >= catalog.tieredCount())
        {
            return "model " + QuotedText.of(model) + " is listed in no tier of the catalog";
        }
        final long tier = request.integer(Field.TIER);
        if (!catalog.hasTier(tier))
        {
            return "tier " + tier + " does not exist (the catalog has tiers 1.." + catalog.tierCount() + ")";
        }
        return null;
    }

    private long nowMs()
    {
        return request.has(Field.NOW_MS) ? request.integer(Field.NOW_MS) : clockMs.getAsLong();
    }
}
