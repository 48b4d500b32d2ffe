package dev.modelsel.catalog;

import java.util.List;

/**
 * A catalog that loaded, with the warnings found on the way (a tiered model that takes the defaults, a
 * model no tier lists). The library never prints them: showing them is the caller's choice.
 */
public record LoadedCatalog(CatalogDefinition definition, List<CatalogProblem> warnings)
{
    public LoadedCatalog
    {
        warnings = List.copyOf(warnings);
    }

    /** Compiles the definition; see {@link CatalogCompiler#compile(CatalogDefinition)}. */
    public CompiledCatalog compile()
    {
        return CatalogCompiler.compile(definition);
    }
}
