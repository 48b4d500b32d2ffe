package dev.modelsel.engine.replication;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Only one replicator per table: an exclusive lock on {@code TABLE.replicator}, held for the replicator's life and
 * released by the OS when it dies, however it dies. The file holds the holder's pid, so a second replicator can
 * say which process it would have raced.
 */
final class ReplicatorLock implements AutoCloseable
{
    static final String SUFFIX = ".replicator";

    private static final Set<Path> HELD_IN_THIS_JVM = new HashSet<>();

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private ReplicatorLock(final Path path, final FileChannel channel, final FileLock lock)
    {
        this.path = path;
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
        final Path path = file.resolveSibling(file.getFileName() + SUFFIX).toAbsolutePath().normalize();
        synchronized (HELD_IN_THIS_JVM)
        {
            // A second channel on the file would have to be closed on refusal, and closing any channel of a file
            // drops every lock this JVM holds on it: the first replicator's included.
            if (HELD_IN_THIS_JVM.contains(path))
            {
                throw refusal(file, what, String.valueOf(ProcessHandle.current().pid()));
            }
            final ReplicatorLock lock = acquireFromOtherProcesses(file, path, what);
            HELD_IN_THIS_JVM.add(path);
            return lock;
        }
    }

    private static IllegalStateException refusal(final Path file, final String what, final String holder)
    {
        return new IllegalStateException(file + ": a replicator already runs for this " + what + " (pid " + holder +
            "); one per " + what);
    }

    private static ReplicatorLock acquireFromOtherProcesses(final Path file, final Path path, final String what)
        throws IOException
    {
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
            throw refusal(file, what, holder);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new ReplicatorLock(path, channel, lock);
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
        synchronized (HELD_IN_THIS_JVM)
        {
            if (!HELD_IN_THIS_JVM.remove(path))
            {
                return; // closed already
            }
            try
            {
                lock.release();
            }
            finally
            {
                channel.close();
            }
        }
    }
}
