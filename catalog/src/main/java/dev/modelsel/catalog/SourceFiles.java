package dev.modelsel.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Reads input files whole, bounded in size (so that {@code /dev/zero} or a huge file cannot exhaust the heap), with
 * every failure a {@link CatalogException} naming the file.
 * <p>
 * Stateless and thread-safe.
 */
public final class SourceFiles
{
    private SourceFiles()
    {
    }

    /**
     * @param file     the file to read.
     * @param maxBytes the most it may hold.
     * @param kind     what the file should be, for messages ("a catalog file", "a price list").
     * @return its bytes.
     * @throws CatalogException when it is missing, a directory, a FIFO or device, unreadable or larger than
     *                          {@code maxBytes}.
     */
    public static byte[] read(final Path file, final int maxBytes, final String kind) throws CatalogException
    {
        final String source = file.toString();
        refuseIfNotRegular(file, kind);
        final byte[] bytes;
        try (InputStream in = Files.newInputStream(file))
        {
            bytes = in.readNBytes(maxBytes + 1);
        }
        catch (final NoSuchFileException ex)
        {
            throw problem(source, "no such file");
        }
        catch (final IOException ex)
        {
            throw problem(source, "cannot read: " + ex.getMessage());
        }
        if (bytes.length > maxBytes)
        {
            throw problem(source, "larger than " + (maxBytes >> 20) + " MiB: not " + kind);
        }
        return bytes;
    }

    /**
     * Looks before opening: opening a FIFO blocks until a writer comes, so a catalog replaced by one would hang
     * {@code catalog validate} and {@code run}'s reload; a device never ends. A file swapped for one between this
     * look and the open is not caught (Java cannot open without blocking on a FIFO).
     */
    private static void refuseIfNotRegular(final Path file, final String kind) throws CatalogException
    {
        final BasicFileAttributes attributes;
        try
        {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        }
        catch (final NoSuchFileException ex)
        {
            throw problem(file.toString(), "no such file");
        }
        catch (final IOException ex)
        {
            throw problem(file.toString(), "cannot read: " + ex.getMessage());
        }
        if (attributes.isDirectory())
        {
            throw problem(file.toString(), "is a directory, not " + kind);
        }
        if (!attributes.isRegularFile())
        {
            throw problem(file.toString(), "not a regular file (a FIFO, a device or a socket), not " + kind);
        }
    }

    /**
     * As {@link #read}, then decoded strictly: a byte that is not UTF-8 is an error, not a replacement character
     * inside an id.
     */
    public static String readText(final Path file, final int maxBytes, final String kind) throws CatalogException
    {
        return utf8(file.toString(), read(file, maxBytes, kind));
    }

    static String utf8(final String source, final byte[] bytes) throws CatalogException
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw problem(source, "not UTF-8 text (" + ex.getMessage() + ")");
        }
    }

    private static CatalogException problem(final String source, final String message)
    {
        return new CatalogException(List.of(new CatalogProblem(source, "", 0, message)), List.of());
    }
}
