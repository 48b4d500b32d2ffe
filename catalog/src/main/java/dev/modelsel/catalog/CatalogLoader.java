package dev.modelsel.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads a catalog file (SPEC §2): YAML ({@code .yaml}, {@code .yml}, and JSON text in either) or JSON
 * ({@code .json}). Either the whole catalog loads, or a {@link CatalogException} names every error with
 * file, key path and line, and nothing is kept.
 * <p>
 * Stateless and thread-safe.
 */
public final class CatalogLoader
{
    /** The classpath resource holding the default catalog: the guide's data exactly, plus tier 2's floor. */
    public static final String DEFAULT_CATALOG_RESOURCE = "/dev/modelsel/catalog/default-catalog.yaml";

    /** What messages call the default catalog. */
    static final String DEFAULT_SOURCE = "default catalog";

    /** Far above any real catalog (100,000 models take about 10 MiB), far below what would strain the heap. */
    public static final int MAX_CATALOG_BYTES = 64 << 20;

    private CatalogLoader()
    {
    }

    /**
     * @param file a catalog file; {@code .json} is read as strict JSON, anything else as YAML.
     * @return the catalog and its warnings.
     * @throws CatalogException when it cannot be read or is not a valid catalog.
     */
    public static LoadedCatalog load(final Path file) throws CatalogException
    {
        return parse(file.toString(), readText(file), isJsonFile(file.toString()));
    }

    /** A whole file as strict UTF-8 text, bounded in size; any failure is a {@link CatalogException} naming the file. */
    static String readText(final Path file) throws CatalogException
    {
        return SourceFiles.readText(file, MAX_CATALOG_BYTES, "a catalog file");
    }

    /**
     * @param source   the name messages give the text, normally its file name.
     * @param text     catalog text.
     * @param jsonOnly whether to read it as strict JSON rather than YAML.
     * @return the catalog and its warnings.
     * @throws CatalogException when it is not a valid catalog.
     */
    public static LoadedCatalog parse(final String source, final String text, final boolean jsonOnly)
        throws CatalogException
    {
        return CatalogValidator.validate(source, SourceReader.read(source, text, jsonOnly));
    }

    /**
     * The default catalog of SPEC §2, shipped with the library: from the image the build made of it
     * ({@link CatalogImage}) when that matches the shipped text, else parsed from the text.
     */
    public static LoadedCatalog loadDefault()
    {
        final byte[] text = defaultCatalogBytes();
        try (InputStream image = CatalogLoader.class.getResourceAsStream(CatalogImage.DEFAULT_CATALOG_IMAGE))
        {
            final LoadedCatalog fromImage = CatalogImage.read(image, text);
            if (fromImage != null)
            {
                return fromImage;
            }
        }
        catch (final IOException ex)
        {
            // a damaged image only costs the parse below
        }
        try
        {
            return parse(DEFAULT_SOURCE, new String(text, StandardCharsets.UTF_8), false);
        }
        catch (final CatalogException ex)
        {
            throw new IllegalStateException("the shipped default catalog is invalid: " + ex.getMessage(), ex);
        }
    }

    /** The default catalog's text, as shipped (for {@code catalog show} and for users to copy). */
    public static String defaultCatalogText()
    {
        return new String(defaultCatalogBytes(), StandardCharsets.UTF_8);
    }

    static byte[] defaultCatalogBytes()
    {
        try (InputStream in = CatalogLoader.class.getResourceAsStream(DEFAULT_CATALOG_RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("the default catalog is missing from the jar: " + DEFAULT_CATALOG_RESOURCE);
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static boolean isJsonFile(final String name)
    {
        return name.toLowerCase(Locale.ROOT).endsWith(".json");
    }
}
