package dev.modelsel.engine;

/** Why a caller escalates (SPEC §3 {@code escalate}). */
public enum Trigger
{
    /** The prompt grew past the model's limit. */
    TOKEN_OVERFLOW("token_overflow"),
    /** The phase failed; needs the retry count so far. */
    PHASE_FAILURE("phase_failure"),
    /** The output's quality score fell short; needs the score. */
    QUALITY("quality");

    private static final Trigger[] VALUES = values();

    private final String wireName;

    Trigger(final String wireName)
    {
        this.wireName = wireName;
    }

    public String wireName()
    {
        return wireName;
    }

    /** @return the trigger with this exact wire name, or {@code null}. */
    public static Trigger fromWireName(final String name)
    {
        for (final Trigger trigger : VALUES)
        {
            if (trigger.wireName.equals(name))
            {
                return trigger;
            }
        }
        return null;
    }
}
