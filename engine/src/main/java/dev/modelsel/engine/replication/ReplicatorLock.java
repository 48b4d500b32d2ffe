package dev.modelsel.engine.replication;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Only one replicator per table: an exclusive lock on {@code TABLE.replicator}, held for the replicator's life and
 * released by the OS when it dies, however it dies. The file holds the holder's pid, so a second replicator can
 * say which process it would have raced.
 */
final class ReplicatorLock implements AutoCloseable
{
    static final String SUFFIX = ".replicator";

    private final FileChannel channel;
    private final FileLock lock;

    private ReplicatorLock(final FileChannel channel, final FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException naming the pid of the replicator that holds it. */
    static ReplicatorLock acquire(final Path table) throws IOException
    {
        return acquire(table, "table");
    }

    /**
     * The lock on {@code FILE.replicator}, for any file one replicator alone may serve (the table, the counters file).
     *
     * @param what the file's kind, for the message: "table", "counters file".
     * @throws IllegalStateException naming the pid of the replicator that holds it.
     */
    static ReplicatorLock acquire(final Path file, final String what) throws IOException
    {
        final Path path = file.resolveSibling(file.getFileName() + SUFFIX);
        final FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        final FileLock lock;
        try
        {
            lock = channel.tryLock();
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
        if (lock == null)
        {
            final String holder = readPid(channel);
            channel.close();
            throw new IllegalStateException(file + ": a replicator already runs for this " + what + " (pid " +
                holder + "); one per " + what);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new ReplicatorLock(channel, lock);
    }

    private static String readPid(final FileChannel channel) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(32);
        channel.read(bytes, 0);
        final String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII).trim();
        return text.matches("[0-9]{1,19}") ? text : "unknown";
    }

    @Override
    public void close() throws IOException
    {
        lock.release();
        channel.close();
    }
}
