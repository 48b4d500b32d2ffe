package dev.modelsel.engine.mapped;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The file a path named when a process opened it, by the file system's key for it (device and inode on Linux): so
 * that the process can tell later whether the path still names the file it maps, or was deleted (and perhaps made
 * again by another process) under it.
 * <p>
 * The comparison is sound while the process keeps the file open or mapped: the file system cannot free its inode,
 * so no new file can be given the same key. Following links, as opening does: the key is that of the file opening
 * the path would reach now. One check is one {@code stat}: microseconds, never for a hot path.
 * <p>
 * Immutable; thread-safe.
 */
public final class FileIdentity
{
    private final Path path;
    private final Object key;

    private FileIdentity(final Path path, final Object key)
    {
        this.path = path;
        this.key = key;
    }

    /**
     * @param key the key the file had when it was opened ({@link #keyOf}); {@code null} when the path named nothing
     *            by then, which every later {@link #change()} reports.
     */
    public static FileIdentity of(final Path path, final Object key)
    {
        return new FileIdentity(path, key);
    }

    /**
     * The file the path names now (device and inode on Linux), links followed; {@code null} when there is none.
     *
     * @throws IOException when the path cannot be looked at (a directory that cannot be read, ...).
     */
    public static Object keyOf(final Path path) throws IOException
    {
        try
        {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        }
        catch (final NoSuchFileException gone)
        {
            return null;
        }
    }

    public Path path()
    {
        return path;
    }

    /**
     * @return {@code null} while the path still names the file it named when opened; else what became of it, a
     *         sentence that starts with the path ({@code "/dev/shm/x was deleted"}, {@code "... was replaced by
     *         another file"}, {@code "... cannot be looked at (AccessDeniedException)"}).
     */
    public String change()
    {
        final Object now;
        try
        {
            now = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        }
        catch (final NoSuchFileException gone)
        {
            return path + " was deleted";
        }
        catch (final IOException ex)
        {
            final String reason = ex instanceof FileSystemException && ((FileSystemException)ex).getReason() != null ?
                ((FileSystemException)ex).getReason() : ex.getClass().getSimpleName();
            return path + " cannot be looked at (" + reason + ")";
        }
        if (key == null)
        {
            return path + " was deleted while it was being opened";
        }
        return Objects.equals(key, now) ? null : path + " was replaced by another file";
    }

    @Override
    public String toString()
    {
        return path + " " + key;
    }
}
