package dev.modelsel.engine.availability;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static dev.modelsel.engine.availability.SharedTableDescriptor.CHANGE_SEQUENCE_OFFSET;
import static dev.modelsel.engine.availability.SharedTableDescriptor.LAYOUT_VERSION;
import static dev.modelsel.engine.availability.SharedTableDescriptor.LAYOUT_VERSION_OFFSET;
import static dev.modelsel.engine.availability.SharedTableDescriptor.MAGIC;
import static dev.modelsel.engine.availability.SharedTableDescriptor.MAGIC_OFFSET;
import static dev.modelsel.engine.availability.SharedTableDescriptor.SEQUENCE_FILE_LENGTH;

/**
 * The table's change signal, {@code PATH.seq}: a 4 KiB file mapped into every process (see
 * {@link SharedTableDescriptor}), and the lock that lets one process at a time open the table.
 * <p>
 * Thread-safe: the sequence is read and incremented with atomic operations on the mapping.
 */
final class SequenceFile implements AutoCloseable
{
    private final Path path;
    private final MappedByteBuffer mapping;
    private final UnsafeBuffer buffer;

    private SequenceFile(final Path path, final MappedByteBuffer mapping)
    {
        this.path = path;
        this.mapping = mapping;
        this.buffer = new UnsafeBuffer(mapping);
    }

    /** Opens the sequence file, creating it if it does not exist; refuses one that is not ours. */
    static SequenceFile openOrCreate(final Path path) throws IOException
    {
        if (!Files.exists(path))
        {
            create(path);
        }
        final String refusal = refusal(path);
        if (refusal != null)
        {
            throw new ForeignTableException(path + ": " + refusal + "; refused, and left as it is");
        }
        return new SequenceFile(path, IoUtil.mapExistingFile(path.toFile(), "modelsel availability sequence"));
    }

    /**
     * Writes the file under a temporary name, then links it into place: a link never replaces an existing file,
     * so of several processes creating at once one wins and the others open its file.
     */
    private static void create(final Path path) throws IOException
    {
        final Path temporary = path.resolveSibling(path.getFileName() + ".tmp." + ProcessHandle.current().pid());
        final MappedByteBuffer mapping = IoUtil.mapNewFile(temporary.toFile(), SEQUENCE_FILE_LENGTH, true);
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(mapping);
            buffer.putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
            buffer.putLongVolatile(MAGIC_OFFSET, MAGIC);
            mapping.force();
        }
        finally
        {
            IoUtil.unmap(mapping);
        }
        try
        {
            Files.createLink(path, temporary);
        }
        catch (final FileAlreadyExistsException lostTheRace)
        {
            // another process published its file first: use that one
        }
        finally
        {
            Files.deleteIfExists(temporary);
        }
    }

    /** @return why the file is not a sequence file of this layout, or {@code null} when it is. */
    static String refusal(final Path path) throws IOException
    {
        if (!Files.isRegularFile(path))
        {
            return "not a regular file";
        }
        if (Files.size(path) != SEQUENCE_FILE_LENGTH)
        {
            return "not a modelsel sequence file (" + Files.size(path) + " bytes, not " + SEQUENCE_FILE_LENGTH + ")";
        }
        final MappedByteBuffer mapping = IoUtil.mapExistingFile(path.toFile(), FileChannel.MapMode.READ_ONLY,
            "modelsel availability sequence");
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(mapping);
            if (buffer.getLongVolatile(MAGIC_OFFSET) != MAGIC)
            {
                return "not a modelsel sequence file (no magic)";
            }
            final int version = buffer.getInt(LAYOUT_VERSION_OFFSET);
            if (version != LAYOUT_VERSION)
            {
                return "a table of layout version " + version + (version > LAYOUT_VERSION ? ", newer than" :
                    ", other than") + " the version " + LAYOUT_VERSION + " this modelsel reads";
            }
            return null;
        }
        finally
        {
            IoUtil.unmap(mapping);
        }
    }

    /** A volatile read: everything written before the increment that produced this value is visible after it. */
    long changeSequence()
    {
        return buffer.getLongVolatile(CHANGE_SEQUENCE_OFFSET);
    }

    /** Atomic add, a full fence: call after the entry write it announces has completed. */
    void announceChange()
    {
        buffer.getAndAddLong(CHANGE_SEQUENCE_OFFSET, 1);
    }

    /**
     * Runs {@code work} while holding an exclusive lock on the sequence file's first byte, which every opener of
     * this table takes: so only one process at a time checks, recovers, creates or deletes the map.
     */
    <T> T whileOpening(final OpenStep<T> work) throws IOException
    {
        return whileOpening(path, work);
    }

    /** {@link #whileOpening(OpenStep)} for a sequence file this process has not mapped (for a reset). */
    static <T> T whileOpening(final Path path, final OpenStep<T> work) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE);
            FileLock ignored = channel.lock(0, 1, false))
        {
            return work.run();
        }
    }

    @FunctionalInterface
    interface OpenStep<T>
    {
        T run() throws IOException;
    }

    File file()
    {
        return path.toFile();
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapping);
    }
}
