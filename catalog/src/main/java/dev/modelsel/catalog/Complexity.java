package dev.modelsel.catalog;

/** A task's complexity, as a request names it; the catalog maps each to its initial tier. */
public enum Complexity
{
    LOW("low"),
    MEDIUM("medium"),
    HIGH("high");

    private static final Complexity[] VALUES = values();

    private final String wireName;

    Complexity(final String wireName)
    {
        this.wireName = wireName;
    }

    /** The name used in catalogs and requests: {@code low}, {@code medium}, {@code high}. */
    public String wireName()
    {
        return wireName;
    }

    /**
     * @param name a wire name, exactly as written (case matters).
     * @return the complexity, or {@code null} when the name is none of the three.
     */
    public static Complexity fromWireName(final String name)
    {
        for (final Complexity complexity : VALUES)
        {
            if (complexity.wireName.equals(name))
            {
                return complexity;
            }
        }
        return null;
    }
}
