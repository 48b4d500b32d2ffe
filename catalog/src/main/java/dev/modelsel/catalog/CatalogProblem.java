package dev.modelsel.catalog;

/**
 * One thing wrong with (or worth knowing about) a catalog file, located by source, key path and line.
 * Reads as {@code catalog.yaml: tiers[1].models[2] (line 14): what is wrong}.
 *
 * @param source  the file name (or a description of the source) the catalog came from.
 * @param path    the key path, e.g. {@code models.gpt-4o.capability} or {@code tiers[0].models[2]}; empty for the file itself.
 * @param line    the 1-based line, or 0 where the parser gave none.
 * @param message what is wrong, and the fix where it is obvious.
 */
public record CatalogProblem(String source, String path, int line, String message)
{
    /** The warning's message for a model that no tier lists, so that callers can count or fold them. */
    public static final String MODEL_IN_NO_TIER = "no tier lists this model; it is never selected";

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
            sb.append(" (line ").append(line).append(')');
        }
        return sb.append(": ").append(message).toString();
    }
}
