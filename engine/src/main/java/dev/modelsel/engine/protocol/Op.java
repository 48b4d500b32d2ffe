package dev.modelsel.engine.protocol;

/** The operations of the {@code run} protocol (SPEC §4), by their wire names. */
public enum Op
{
    SELECT("select"),
    ESCALATE("escalate"),
    RATE_LIMITED("rate_limited"),
    SET_DOWN("set_down"),
    SET_UP("set_up"),
    SET_RATE_LIMITED("set_rate_limited"),
    RECORD("record");

    private static final Op[] VALUES = values();

    private final String wireName;

    Op(final String wireName)
    {
        this.wireName = wireName;
    }

    public String wireName()
    {
        return wireName;
    }

    /** @return the op with this exact wire name, or {@code null}. */
    public static Op fromWireName(final String name)
    {
        for (final Op op : VALUES)
        {
            if (op.wireName.equals(name))
            {
                return op;
            }
        }
        return null;
    }
}
