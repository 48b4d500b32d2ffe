package dev.modelsel.catalog;

import java.util.List;

/**
 * A catalog that did not load: every error found, each with file, key path and line. Nothing of the
 * catalog was kept. The warnings found on the way are carried too, so a caller can show them all.
 */
public final class CatalogException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient List<CatalogProblem> errors;
    private final transient List<CatalogProblem> warnings;

    public CatalogException(final List<CatalogProblem> errors, final List<CatalogProblem> warnings)
    {
        super(describe(errors));
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
    }

    public List<CatalogProblem> errors()
    {
        return errors;
    }

    public List<CatalogProblem> warnings()
    {
        return warnings;
    }

    private static String describe(final List<CatalogProblem> errors)
    {
        final StringBuilder sb = new StringBuilder();
        for (final CatalogProblem error : errors)
        {
            if (sb.length() > 0)
            {
                sb.append(System.lineSeparator());
            }
            sb.append(error);
        }
        return sb.toString();
    }
}
