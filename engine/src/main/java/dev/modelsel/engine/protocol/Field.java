package dev.modelsel.engine.protocol;

import dev.modelsel.engine.cost.PhaseOutcome;

/**
 * The request fields of the {@code run} protocol that some op reads (SPEC §4, and the {@code record} op's history
 * fields), with the JSON type each must have.
 */
enum Field
{
    COMPLEXITY("complexity", Type.STRING),
    TOKENS("tokens", Type.NON_NEGATIVE_INTEGER),
    NOW_MS("now_ms", Type.NON_NEGATIVE_INTEGER),
    MODEL("model", Type.STRING),
    TIER("tier", Type.NON_NEGATIVE_INTEGER),
    TRIGGER("trigger", Type.STRING),
    RETRY_COUNT("retry_count", Type.NON_NEGATIVE_INTEGER),
    QUALITY_SCORE("quality_score", Type.NUMBER),
    RETRY_AFTER_MS("retry_after_ms", Type.NON_NEGATIVE_INTEGER),
    UNTIL_MS("until_ms", Type.NON_NEGATIVE_INTEGER),
    CATEGORY("category", Type.STRING),
    INITIAL_TIER("initial_tier", Type.NON_NEGATIVE_INTEGER),
    FINAL_TIER("final_tier", Type.NON_NEGATIVE_INTEGER),
    INPUT_TOKENS("input_tokens", Type.NON_NEGATIVE_INTEGER, PhaseOutcome.MAX_TOKENS),
    OUTPUT_TOKENS("output_tokens", Type.NON_NEGATIVE_INTEGER, PhaseOutcome.MAX_TOKENS),
    SUCCESS("success", Type.BOOLEAN),
    ATTEMPT("attempt", Type.NON_NEGATIVE_INTEGER, PhaseOutcome.MAX_ATTEMPT);

    enum Type
    {
        STRING("a string"),
        NON_NEGATIVE_INTEGER("a non-negative integer"),
        NUMBER("a number"),
        BOOLEAN("true or false");

        final String description;

        Type(final String description)
        {
            this.description = description;
        }
    }

    static final Field[] VALUES = values();

    final String wireName;
    final Type type;
    /**
     * The largest integer the field takes; past it the request is refused. Counts that are summed (tokens) and the
     * attempt number (an {@code int} in {@link PhaseOutcome}) have a bound; the rest saturate at
     * {@code Long.MAX_VALUE}, which means "beyond any limit or clock" to them.
     */
    final long max;

    Field(final String wireName, final Type type)
    {
        this(wireName, type, Long.MAX_VALUE);
    }

    Field(final String wireName, final Type type, final long max)
    {
        this.wireName = wireName;
        this.type = type;
        this.max = max;
    }

    /** @return the field with this wire name, or {@code null} for a field no op reads (which is ignored). */
    static Field fromWireName(final String name)
    {
        switch (name)
        {
            case "complexity": return COMPLEXITY;
            case "tokens": return TOKENS;
            case "now_ms": return NOW_MS;
            case "model": return MODEL;
            case "tier": return TIER;
            case "trigger": return TRIGGER;
            case "retry_count": return RETRY_COUNT;
            case "quality_score": return QUALITY_SCORE;
            case "retry_after_ms": return RETRY_AFTER_MS;
            case "until_ms": return UNTIL_MS;
            case "category": return CATEGORY;
            case "initial_tier": return INITIAL_TIER;
            case "final_tier": return FINAL_TIER;
            case "input_tokens": return INPUT_TOKENS;
            case "output_tokens": return OUTPUT_TOKENS;
            case "success": return SUCCESS;
            case "attempt": return ATTEMPT;
            default: return null;
        }
    }
}
