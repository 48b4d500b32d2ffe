package dev.modelsel.engine.mapped;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The file a path named when a process mapped it, by the file system's key for it (device and inode on Linux) and
 * its size: so that the process can tell later whether the path still names the file it maps, whole, or whether the
 * file was deleted (and perhaps made again by another process), or cut short in place ({@code : > PATH}), under it.
 * A mapping reaches pages that a truncation took away only by faulting: a read becomes an {@link InternalError}, a
 * compare-and-set made from the interpreter kills the JVM with SIGBUS (docs/shared-table.md, "Files deleted under
 * running processes"). So a file of fixed length that is any other length now, or a growing one that is shorter than
 * when it was mapped, counts as changed: the process must not touch its mapping again.
 * <p>
 * The key comparison is sound while the process keeps the file open or mapped: the file system cannot free its
 * inode, so no new file can be given the same key. Following links, as opening does: the key is that of the file
 * opening the path would reach now. One check is one {@code stat}: microseconds, never for a hot path.
 * <p>
 * Immutable; thread-safe.
 */
public final class FileIdentity
{
    private final Path path;
    private final Object key;
    private final long bytes;
    private final boolean growing;

    private FileIdentity(final Path path, final Object key, final long bytes, final boolean growing)
    {
        this.path = path;
        this.key = key;
        this.bytes = bytes;
        this.growing = growing;
    }

    /**
     * A file that is mapped whole and never changes length (a sequence or counters file): any other length later is
     * a change.
     *
     * @param key   the key the file had when it was mapped ({@link #keyOf}); {@code null} when the path named nothing
     *              by then, which every later {@link #change()} reports.
     * @param bytes the length that was mapped.
     */
    public static FileIdentity fixedLength(final Path path, final Object key, final long bytes)
    {
        return new FileIdentity(path, key, bytes, false);
    }

    /**
     * A file that only ever grows (a Chronicle map adds tiers at its end), as it is now: key and length from one
     * {@code stat}. Later, a shorter file is a change.
     *
     * @throws IOException when the path names nothing or cannot be looked at.
     */
    public static FileIdentity growing(final Path path) throws IOException
    {
        final BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class);
        return new FileIdentity(path, now.fileKey(), now.size(), true);
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

    /** The key the file had when it was mapped. */
    public Object key()
    {
        return key;
    }

    /**
     * @return {@code null} while the path still names the file it named when mapped, at a length the mapping can
     *         still reach; else what became of it, a sentence that starts with the path ({@code "/dev/shm/x was
     *         deleted"}, {@code "... was replaced by another file"}, {@code "... was truncated to 0 bytes (it had
     *         4096)"}, {@code "... cannot be looked at (AccessDeniedException)"}).
     */
    public String change()
    {
        final BasicFileAttributes now;
        try
        {
            now = Files.readAttributes(path, BasicFileAttributes.class);
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
        if (!Objects.equals(key, now.fileKey()))
        {
            return path + " was replaced by another file";
        }
        if (now.size() < bytes)
        {
            return path + " was truncated to " + now.size() + " bytes (it had " + bytes + ")";
        }
        return growing || now.size() == bytes ? null :
            path + " grew to " + now.size() + " bytes (it had " + bytes + ", and never grows)";
    }

    @Override
    public String toString()
    {
        return path + " " + key + " " + bytes + " bytes";
    }
}
