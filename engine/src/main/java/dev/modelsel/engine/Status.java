package dev.modelsel.engine;

/** The outcome of a selection (SPEC §4); the wire name is the constant's name. */
public enum Status
{
    /** A model was chosen; see {@link Fallback} for how. */
    OK,
    /** No tier from the initial one up to tier 1 has a candidate that fits the tokens. */
    NO_MODEL_FITS,
    /** Models fit, but none is available now; {@code retryAtMs} says when the first cooldown ends, if any does. */
    NO_MODEL_AVAILABLE,
    /** Escalation found no more capable model that fits. */
    CANNOT_ESCALATE,
    /** The phase failed {@code max_retries} times already. */
    GIVE_UP,
    /** The quality score met the threshold: keep the model. */
    NOT_NEEDED,
    /** Rate limited and no alternative: retry the same model at {@code retryAtMs}. */
    WAIT;

    /** Whether the answer names a model ({@code OK}, {@code NOT_NEEDED}, {@code WAIT}). */
    public boolean hasModel()
    {
        return this == OK || this == NOT_NEEDED || this == WAIT;
    }

    /** Whether the answer carries {@code retry_at_ms} ({@code NO_MODEL_AVAILABLE}, {@code WAIT}). */
    public boolean hasRetryAt()
    {
        return this == NO_MODEL_AVAILABLE || this == WAIT;
    }
}
