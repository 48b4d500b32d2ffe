package dev.modelsel.engine.protocol;

import dev.modelsel.catalog.Complexity;
import dev.modelsel.catalog.QuotedText;
import dev.modelsel.engine.cost.PhaseOutcome;

/**
 * The history record's fields, as the {@code record} op and {@code analyze}'s history lines give them: category,
 * complexity, initial_tier, final_tier, model, input_tokens, output_tokens, success, and optionally quality_score and
 * attempt.
 */
final class RecordFields
{
    private static final Field[] REQUIRED = {
        Field.CATEGORY, Field.COMPLEXITY, Field.INITIAL_TIER, Field.FINAL_TIER, Field.MODEL, Field.INPUT_TOKENS,
        Field.OUTPUT_TOKENS, Field.SUCCESS,
    };

    private RecordFields()
    {
    }

    /**
     * Fills {@code into} from a parsed line.
     *
     * @param tierCount the catalog's tiers: a tier past them names no tier, and would count a made-up escalation.
     * @return why the line is not a record, or {@code null}.
     */
    static String read(final Request request, final int tierCount, final PhaseOutcome into)
    {
        for (final Field field : REQUIRED)
        {
            final String problem = request.problem(field);
            if (problem != null)
            {
                return problem;
            }
        }
        for (final Field field : new Field[] {Field.QUALITY_SCORE, Field.ATTEMPT, Field.NOW_MS})
        {
            final String problem = request.optionalProblem(field);
            if (problem != null)
            {
                return problem;
            }
        }
        final Complexity complexity = Complexity.fromWireName(request.text(Field.COMPLEXITY));
        if (complexity == null)
        {
            return "complexity must be low, medium or high, got " + QuotedText.of(request.text(Field.COMPLEXITY));
        }
        if (request.text(Field.CATEGORY).isEmpty() || request.text(Field.MODEL).isEmpty())
        {
            return (request.text(Field.CATEGORY).isEmpty() ? "category" : "model") + " must not be empty";
        }
        final long initialTier = request.integer(Field.INITIAL_TIER);
        final long finalTier = request.integer(Field.FINAL_TIER);
        if (initialTier < 1 || finalTier < 1 || initialTier > Integer.MAX_VALUE || finalTier > Integer.MAX_VALUE)
        {
            return "initial_tier and final_tier are tier numbers, 1 or more; got " + initialTier + " and " + finalTier;
        }
        if (initialTier > tierCount || finalTier > tierCount)
        {
            return "initial_tier and final_tier must be tiers of the catalog, 1.." + tierCount + "; got " +
                initialTier + " and " + finalTier;
        }
        into.set(request.text(Field.CATEGORY), complexity, (int)initialTier, (int)finalTier, request.text(Field.MODEL),
            request.integer(Field.INPUT_TOKENS), request.integer(Field.OUTPUT_TOKENS), request.integer(Field.SUCCESS) == 1);
        if (request.has(Field.QUALITY_SCORE))
        {
            into.qualityScore(request.number(Field.QUALITY_SCORE));
        }
        if (request.has(Field.ATTEMPT))
        {
            into.attempt((int)request.integer(Field.ATTEMPT)); // at most Field.ATTEMPT.max, checked above
        }
        return null;
    }
}
