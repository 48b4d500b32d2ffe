package dev.modelsel.catalog;

/**
 * One thing wrong with (or worth knowing about) a catalog file, located by source, key path, line and, for a syntax
 * error, column. Reads as {@code catalog.yaml: tiers[1].models[2] (line 14): what is wrong}, or
 * {@code catalog.yaml (line 4, column 13): not valid YAML: ...}.
 *
 * @param source  the file name (or a description of the source) the catalog came from.
 * @param path    the key path, e.g. {@code models.gpt-4o.capability} or {@code tiers[0].models[2]}; empty for the file itself.
 * @param line    the 1-based line, or 0 where the parser gave none.
 * @param column  the 1-based column where a parser stopped, or 0.
 * @param message what is wrong, and the fix where it is obvious.
 */
public record CatalogProblem(String source, String path, int line, int column, String message)
{
    /** The warning's message for a model that no tier lists, so that callers can count or fold them. */
    public static final String MODEL_IN_NO_TIER = "no tier lists this model; it is never selected";

    /** A problem of a key or a whole file, which has no column. */
    public CatalogProblem(final String source, final String path, final int line, final String message)
    {
        this(source, path, line, 0, message);
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder(source);
        if (!path.isEmpty())
        {
            sb.append(": ").append(path);
        }
        if (line > 0)
        {
            sb.append(" (line ").append(line);
            if (column > 0)
            {
                sb.append(", column ").append(column);
            }
            sb.append(')');
        }
        return sb.append(": ").append(message).toString();
    }
}
