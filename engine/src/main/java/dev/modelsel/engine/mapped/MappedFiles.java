package dev.modelsel.engine.mapped;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Small memory-mapped files that several processes share (the availability table's sequence file, the phase
 * counters): made whole before anyone can see them, and checked before anyone uses them.
 * <p>
 * A file starts with a magic long and an int layout version. It is written under a temporary name, its magic
 * last, then published with a hard link, which never replaces an existing file: of several processes creating
 * it at once, one wins and the others use its file. A file whose length, magic or version differ is refused by
 * the caller, never rewritten.
 */
public final class MappedFiles
{
    /** The unit a file system allocates in, at most (4 KiB on Linux's tmpfs, ext4 and XFS as usually made). */
    private static final int PAGE_BYTES = 4096;

    private MappedFiles()
    {
    }

    /**
     * Where a shared file lives unless told otherwise: the system property if set, else {@code modelsel/NAME} under
     * {@code /dev/shm} where it exists (memory only: sharing without disk, gone at reboot), else under the temp
     * directory.
     */
    public static Path defaultPath(final String property, final String name)
    {
        final String configured = System.getProperty(property);
        if (configured != null && !configured.isEmpty())
        {
            return Path.of(configured);
        }
        final Path shm = Path.of("/dev/shm");
        final Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("modelsel").resolve(name);
    }

    /** What a file of one kind must look like. */
    public record Kind(String description, long magic, int magicOffset, int versionOffset, int version, int length)
    {
    }

    /** Creates the file if it does not exist, with {@code initialise} writing everything but the magic. */
    public static void createIfAbsent(final Path path, final Kind kind, final Consumer<UnsafeBuffer> initialise)
        throws IOException
    {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            return;
        }
        // A name of this call's own (two threads, or two containers' processes with one pid, may create the file at
        // once), removed whatever fails; the file is written and mapped through the one channel that created it.
        final Path temporary = path.resolveSibling(path.getFileName() + ".tmp." + ProcessHandle.current().pid() + "." +
            Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try
        {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                writeZeros(channel, temporary, kind.length());
                final MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, kind.length());
                try
                {
                    final UnsafeBuffer buffer = new UnsafeBuffer(mapping);
                    buffer.putInt(kind.versionOffset(), kind.version());
                    initialise.accept(buffer);
                    buffer.putLongVolatile(kind.magicOffset(), kind.magic());
                    mapping.force();
                }
                finally
                {
                    IoUtil.unmap(mapping);
                }
            }
            Files.createLink(path, temporary);
        }
        catch (final FileAlreadyExistsException lostTheRace)
        {
            // another thread or process published its file first: use that one
        }
        finally
        {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Writes the new file's bytes through the file system before it is mapped: a full file system says so here, as an
     * IOException, rather than as a fault when the mapping first touches a page (which kills the JVM's cleaner).
     */
    private static void writeZeros(final FileChannel channel, final Path file, final int length) throws IOException
    {
        try
        {
            final ByteBuffer zeros = ByteBuffer.allocate(length);
            while (zeros.hasRemaining())
            {
                channel.write(zeros, zeros.position());
            }
        }
        catch (final IOException ex)
        {
            throw new IOException(file + ": cannot write " + length + " bytes: " + ex.getMessage() +
                " (is its file system full?)", ex);
        }
    }

    /**
     * Allocates every page of a sparse file, as {@code posix_fallocate} would: writes each page's first byte back as
     * it is, through the file rather than a mapping, so that the file system allocates the page now or says it
     * cannot (an IOException), instead of a later write through a mapping faulting. Only while no process, this one
     * included, has the file open: closing this channel drops every lock the process holds on the file.
     */
    public static void allocateEveryPage(final Path path) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer oneByte = ByteBuffer.allocate(1);
            final long size = channel.size();
            for (long position = 0; position < size; position += PAGE_BYTES)
            {
                oneByte.clear();
                channel.read(oneByte, position);
                oneByte.flip();
                channel.write(oneByte, position);
            }
        }
    }

    /** @return why the file is not one of this kind and version, or {@code null} when it is. */
    public static String refusal(final Path path, final Kind kind) throws IOException
    {
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
        {
            return "not a regular file";
        }
        if (Files.size(path) != kind.length())
        {
            return "not a " + kind.description() + " (" + Files.size(path) + " bytes, not " + kind.length() + ")";
        }
        final MappedByteBuffer mapping = IoUtil.mapExistingFile(path.toFile(), FileChannel.MapMode.READ_ONLY,
            kind.description());
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(mapping);
            if (buffer.getLongVolatile(kind.magicOffset()) != kind.magic())
            {
                return "not a " + kind.description() + " (no magic)";
            }
            final int version = buffer.getInt(kind.versionOffset());
            if (version != kind.version())
            {
                return "a " + kind.description() + " of layout version " + version + (version > kind.version() ?
                    ", newer than" : ", other than") + " the version " + kind.version() + " this modelsel reads";
            }
            return null;
        }
        finally
        {
            IoUtil.unmap(mapping);
        }
    }

    /**
     * @return the layout version of a file of this kind (its length and magic), whatever the version; -1 when the
     *         file is not of this kind at all.
     */
    public static int layoutVersion(final Path path, final Kind kind) throws IOException
    {
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.size(path) != kind.length())
        {
            return -1;
        }
        final MappedByteBuffer mapping = IoUtil.mapExistingFile(path.toFile(), FileChannel.MapMode.READ_ONLY,
            kind.description());
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(mapping);
            return buffer.getLongVolatile(kind.magicOffset()) == kind.magic() ? buffer.getInt(kind.versionOffset()) : -1;
        }
        finally
        {
            IoUtil.unmap(mapping);
        }
    }

    /** Maps an existing file read-write; the mapping lives until it is garbage collected. */
    public static MappedByteBuffer map(final Path path, final Kind kind)
    {
        return IoUtil.mapExistingFile(path.toFile(), kind.description());
    }
}
