package dev.modelsel.engine;

/** Which step of the fallback chain (SPEC §3) answered an {@link Status#OK} selection. */
public enum Fallback
{
    /** The best candidate was available. */
    NONE,
    /** The best available candidate of the same tier. */
    SAME_TIER,
    /** The best available candidate of the tier below (less capable), under that tier's floor. */
    LOWER_TIER,
    /** The best available model of any tier that fits the tokens. */
    ANY
}
