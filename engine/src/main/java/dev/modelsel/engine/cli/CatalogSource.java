package dev.modelsel.engine.cli;

import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.LoadedCatalog;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --catalog FILE} option shared by commands: a catalog file, or the built-in default catalog. */
final class CatalogSource
{
    @Option(names = "--catalog", paramLabel = "FILE",
        description = "Catalog file (YAML or JSON). Default: the built-in catalog of the Model Selection Guide.")
    Path file;

    /**
     * @return the loaded catalog.
     * @throws UserError listing every error, when the catalog does not load.
     */
    LoadedCatalog load()
    {
        if (file == null)
        {
            return CatalogLoader.loadDefault();
        }
        if (file.toString().isEmpty())
        {
            throw new UserError(UserError.USAGE, "--catalog needs a file name");
        }
        try
        {
            return CatalogLoader.load(file);
        }
        catch (final CatalogException ex)
        {
            throw new UserError(UserError.FAILED, ex.getMessage());
        }
    }
}
