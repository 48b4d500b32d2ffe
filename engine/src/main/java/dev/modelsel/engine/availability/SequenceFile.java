package dev.modelsel.engine.availability;

import dev.modelsel.engine.mapped.FileIdentity;
import dev.modelsel.engine.mapped.MappedFiles;
import dev.modelsel.engine.replication.HostId;
import dev.modelsel.engine.replication.HybridClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.function.IntConsumer;

import static dev.modelsel.engine.availability.SharedTableDescriptor.CHANGE_RING_OFFSET;
import static dev.modelsel.engine.availability.SharedTableDescriptor.CHANGE_SEQUENCE_OFFSET;
import static dev.modelsel.engine.availability.SharedTableDescriptor.HOST_CLOCK_OFFSET;
import static dev.modelsel.engine.availability.SharedTableDescriptor.HOST_ID_GENERATION_OFFSET;
import static dev.modelsel.engine.availability.SharedTableDescriptor.HOST_ID_SLOT_0_OFFSET;
import static dev.modelsel.engine.availability.SharedTableDescriptor.HOST_ID_SLOT_LENGTH;
import static dev.modelsel.engine.availability.SharedTableDescriptor.LAYOUT_VERSION;
import static dev.modelsel.engine.availability.SharedTableDescriptor.LAYOUT_VERSION_OFFSET;
import static dev.modelsel.engine.availability.SharedTableDescriptor.MAGIC;
import static dev.modelsel.engine.availability.SharedTableDescriptor.MAGIC_OFFSET;
import static dev.modelsel.engine.availability.SharedTableDescriptor.OPENING_STEP_OFFSET;
import static dev.modelsel.engine.availability.SharedTableDescriptor.OPEN_HANDLES_OFFSET;
import static dev.modelsel.engine.availability.SharedTableDescriptor.RECORDS_INSERTED_COUNT_BITS;
import static dev.modelsel.engine.availability.SharedTableDescriptor.RECORDS_INSERTED_COUNT_MASK;
import static dev.modelsel.engine.availability.SharedTableDescriptor.RECORDS_INSERTED_MAX_GENERATION;
import static dev.modelsel.engine.availability.SharedTableDescriptor.RECORDS_INSERTED_OFFSET;
import static dev.modelsel.engine.availability.SharedTableDescriptor.RECOVERY_WANTED_OFFSET;
import static dev.modelsel.engine.availability.SharedTableDescriptor.SEQUENCE_FILE_LENGTH;

/**
 * The table's {@code PATH.seq} (see {@link SharedTableDescriptor}): the change sequence every selector watches,
 * the count of processes that have the table open, the lock that lets one process at a time open, recover or
 * delete the table, and the host's clock and id, which every local write stamps (SPEC §6).
 * <p>
 * Thread-safe: the counters and the clock are read and changed with atomic operations on the mapping. The mapping is
 * never unmapped by {@link #close()}: a selector still reading a closed table reads a stale value, not freed memory.
 */
final class SequenceFile implements AutoCloseable
{
    /**
     * How long an opener waits for others to finish opening before it gives up and says so. Openers take turns and a
     * first open in a JVM takes seconds (Chronicle compiles code at run time), so several starting at once on a busy
     * two-core machine need far more than one open's time.
     */
    private static final long GATE_TIMEOUT_MS = 30_000;

    /** The file at the path is not the one mapped or locked: a reset replaced it meanwhile. Open again. */
    static final class ReplacedException extends IOException
    {
        private static final long serialVersionUID = 1L;

        ReplacedException(final Path path)
        {
            super(path + " was replaced while this process was opening it");
        }
    }

    /** The host id as a process last read it, by the generation it was read under: a write reads one long. */
    private record HostIdRead(long generation, String id)
    {
    }

    private final Path path;
    private final FileIdentity file;
    private final UnsafeBuffer buffer;
    private final ChangeRing ring;
    private volatile HostIdRead hostId;

    private SequenceFile(final FileIdentity file, final MappedByteBuffer mapping)
    {
        this.path = file.path();
        this.file = file;
        this.buffer = new UnsafeBuffer(mapping);
        this.ring = new ChangeRing(new ChangeRing.Slots()
        {
            @Override
            public long get(final int index)
            {
                return buffer.getLongVolatile(CHANGE_RING_OFFSET + index * Long.BYTES);
            }

            @Override
            public void put(final int index, final long value)
            {
                buffer.putLongVolatile(CHANGE_RING_OFFSET + index * Long.BYTES, value);
            }
        });
    }

    /** What a sequence file looks like. */
    static final MappedFiles.Kind KIND = new MappedFiles.Kind("modelsel sequence file", MAGIC, MAGIC_OFFSET,
        LAYOUT_VERSION_OFFSET, LAYOUT_VERSION, SEQUENCE_FILE_LENGTH);

    /**
     * Opens the sequence file, creating it if it does not exist; refuses one that is not ours.
     *
     * @throws ReplacedException when the file changed under the path while it was being mapped.
     */
    static SequenceFile openOrCreate(final Path path) throws IOException
    {
        MappedFiles.createIfAbsent(path, KIND, buffer -> putHostId(buffer, 0, DefaultHostId.ID));
        final String refusal = refusal(path);
        if (refusal != null)
        {
            throw new ForeignTableException(path + ": " + refusal + "; refused, and left as it is");
        }
        final Object before = FileIdentity.keyOf(path);
        final MappedByteBuffer mapping = MappedFiles.map(path, KIND);
        if (!Objects.equals(before, FileIdentity.keyOf(path)))
        {
            throw new ReplacedException(path);
        }
        return new SequenceFile(FileIdentity.fixedLength(path, before, SEQUENCE_FILE_LENGTH), mapping);
    }

    /**
     * @return why the file is not a sequence file of this layout, or {@code null} when it is; for a table of another
     *         layout version, with the way on.
     */
    static String refusal(final Path path) throws IOException
    {
        final String refusal = MappedFiles.refusal(path, KIND);
        if (refusal == null)
        {
            return null;
        }
        final int version = MappedFiles.layoutVersion(path, KIND);
        if (version < 1)
        {
            return refusal;
        }
        return refusal + (version < LAYOUT_VERSION ? " (a table made by an older modelsel: once no process uses it, " +
            "modelsel availability reset deletes it, its records lost, and the next process to use it makes a new " +
            "one)" : " (use the newer modelsel with it)");
    }

    /** Whether {@code availability reset} may delete the table this file belongs to: ours, of this layout or older. */
    static boolean deletable(final Path path) throws IOException
    {
        final int version = MappedFiles.layoutVersion(path, KIND);
        return version >= 1 && version <= LAYOUT_VERSION;
    }

    /** The file this process mapped, as it was when it checked the mapping. */
    FileIdentity file()
    {
        return file;
    }

    /** A volatile read: everything written before the increment that produced this value is visible after it. */
    long changeSequence()
    {
        return buffer.getLongVolatile(CHANGE_SEQUENCE_OFFSET);
    }

    /**
     * Counts the change (an atomic add, a full fence) and notes which record it touched: call after the entry write
     * it announces, before its lock is released.
     */
    void announceChange(final int keyHash)
    {
        ring.note(buffer.getAndAddLong(CHANGE_SEQUENCE_OFFSET, 1) + 1, keyHash);
    }

    /** See {@link ChangeRing#changes}. */
    boolean changes(final long from, final long to, final IntConsumer changed)
    {
        return ring.changes(from, to, changed);
    }

    /**
     * The clock of a new local write: {@link HybridClock#tick} of the host's clock, set with a compare-and-set so
     * that every write on the host, in any process, gets a clock of its own above every one before it.
     */
    long tickClock(final long wallMs)
    {
        while (true)
        {
            final long last = buffer.getLongVolatile(HOST_CLOCK_OFFSET);
            final long next = HybridClock.tick(last, wallMs);
            if (buffer.compareAndSetLong(HOST_CLOCK_OFFSET, last, next))
            {
                return next;
            }
        }
    }

    /** Moves the host's clock to at least {@code received}, a clock made elsewhere ({@link HybridClock#observe}). */
    void observeClock(final long received)
    {
        while (true)
        {
            final long last = buffer.getLongVolatile(HOST_CLOCK_OFFSET);
            final long next = HybridClock.observe(last, received);
            if (next == last || buffer.compareAndSetLong(HOST_CLOCK_OFFSET, last, next))
            {
                return;
            }
        }
    }

    /** The host's clock: the greatest clock any write on the host made or any merge received. */
    long clock()
    {
        return buffer.getLongVolatile(HOST_CLOCK_OFFSET);
    }

    /**
     * The host id local writes stamp: one volatile load while it has not changed since this process last read it.
     * An id the file does not hold validly (damage) reads as this host's default, {@link HostId#ofThisHost()}.
     */
    String hostId()
    {
        final HostIdRead last = hostId;
        if (last != null && last.generation == buffer.getLongVolatile(HOST_ID_GENERATION_OFFSET))
        {
            return last.id;
        }
        return readHostId();
    }

    private String readHostId()
    {
        final byte[] bytes = new byte[HOST_ID_SLOT_LENGTH];
        final long generation = readHostIdSlot(bytes);
        final String stored = AvailabilityEntry.host(bytes);
        final String id = HostId.problem(stored) == null ? stored : DefaultHostId.ID;
        hostId = new HostIdRead(generation, id);
        return id;
    }

    /** Reads the slot in use into {@code bytes}, both from one generation. @return that generation. */
    private long readHostIdSlot(final byte[] bytes)
    {
        long generation;
        do
        {
            generation = buffer.getLongVolatile(HOST_ID_GENERATION_OFFSET);
            buffer.getBytes(slotOffset(generation), bytes);
            VarHandle.acquireFence(); // the slot is read before the generation is read again
        }
        while (generation != buffer.getLongVolatile(HOST_ID_GENERATION_OFFSET));
        return generation;
    }

    /**
     * Sets the host id local writes stamp from now on, under the opening lock (one setter at a time; synchronized,
     * as a JVM cannot take one file lock twice): written into the slot not in use, then published by moving the
     * generation. Versions written under the old id stay valid.
     *
     * @throws IllegalArgumentException when {@code id} is not a valid host id.
     */
    synchronized void hostId(final String id) throws IOException
    {
        final String problem = HostId.problem(id);
        if (problem != null)
        {
            throw new IllegalArgumentException(problem + ": \"" + id + "\"");
        }
        whileOpening(() ->
        {
            final byte[] stored = new byte[HOST_ID_SLOT_LENGTH];
            final long generation = readHostIdSlot(stored);
            if (!id.equals(AvailabilityEntry.host(stored)))
            {
                putHostId(buffer, generation + 1, id);
                buffer.putLongVolatile(HOST_ID_GENERATION_OFFSET, generation + 1);
            }
            return null;
        });
    }

    /** Writes {@code id} into the slot that {@code generation} uses; publishing it is the caller's. */
    private static void putHostId(final UnsafeBuffer buffer, final long generation, final String id)
    {
        final byte[] bytes = new byte[HOST_ID_SLOT_LENGTH];
        AvailabilityEntry.putHost(bytes, id);
        buffer.putBytes(slotOffset(generation), bytes);
    }

    private static int slotOffset(final long generation)
    {
        return HOST_ID_SLOT_0_OFFSET + (int)(generation & 1) * HOST_ID_SLOT_LENGTH;
    }

    /** This host's default id, looked up once per process (it asks for the host name). */
    private static final class DefaultHostId
    {
        static final String ID = HostId.ofThisHost();
    }

    /** Processes that opened the table and have not closed it; one that was killed stays counted. */
    long openHandles()
    {
        return buffer.getLongVolatile(OPEN_HANDLES_OFFSET);
    }

    /** Only while opening, when no other process has the table open: forgets processes that died with it open. */
    void forgetOpenHandles()
    {
        buffer.putLongVolatile(OPEN_HANDLES_OFFSET, 0);
    }

    /** What the last holder of the opening lock was doing to the map, if it died doing it: only under that lock. */
    int openingStep()
    {
        return buffer.getIntVolatile(OPENING_STEP_OFFSET);
    }

    /** Only under the opening lock: set before creating or recovering the map, cleared once that is done. */
    void openingStep(final int step)
    {
        buffer.putIntVolatile(OPENING_STEP_OFFSET, step);
    }

    /**
     * Entries ever inserted into the map, with the count's generation: see {@link SharedTableDescriptor}. None is ever
     * removed, so a listing that finds another number than a count of its own generation says has damage.
     */
    long recordsInserted()
    {
        return buffer.getLongVolatile(RECORDS_INSERTED_OFFSET);
    }

    /** The generation of a {@link #recordsInserted()} word; 0: the count is unknown. */
    static int countGeneration(final long recordsInserted)
    {
        return (int)(recordsInserted >>> RECORDS_INSERTED_COUNT_BITS);
    }

    /** The count of a {@link #recordsInserted()} word. */
    static long count(final long recordsInserted)
    {
        return recordsInserted & RECORDS_INSERTED_COUNT_MASK;
    }

    /**
     * After an insert, before its segment's lock is released: counts it if the count is still of {@code generation},
     * the map this process opened. A process writing a map deleted under it (whose maker started a new count
     * beside the same PATH.seq) counts nothing; compare-and-set, so no count of another generation is ever changed.
     */
    void recordInserted(final int generation)
    {
        long word;
        do
        {
            word = buffer.getLongVolatile(RECORDS_INSERTED_OFFSET);
            if (countGeneration(word) != generation || count(word) == RECORDS_INSERTED_COUNT_MASK)
            {
                return;
            }
        }
        while (!buffer.compareAndSetLong(RECORDS_INSERTED_OFFSET, word, word + 1));
    }

    /**
     * Only while opening, when no other process has the map open: starts a count of this map's records (none for a
     * new map, what a recovery kept, or what is there) in a new generation, which writers of any earlier map do not
     * count into.
     *
     * @return the new generation, never 0.
     */
    int startRecordCount(final long records)
    {
        final int generation = countGeneration(recordsInserted()) % RECORDS_INSERTED_MAX_GENERATION + 1;
        buffer.putLongVolatile(RECORDS_INSERTED_OFFSET, (long)generation << RECORDS_INSERTED_COUNT_BITS | records);
        return generation;
    }

    /** Whether a process asked the next one that opens the table alone to recover it. */
    boolean recoveryWanted()
    {
        return buffer.getIntVolatile(RECOVERY_WANTED_OFFSET) != 0;
    }

    /** Asks the next process that opens the table alone to recover it (a segment stayed locked). */
    void wantRecovery()
    {
        buffer.putIntVolatile(RECOVERY_WANTED_OFFSET, 1);
    }

    /** Only while opening, once the map is recovered. */
    void recovered()
    {
        buffer.putIntVolatile(RECOVERY_WANTED_OFFSET, 0);
        forgetOpenHandles();
    }

    void opened()
    {
        buffer.getAndAddLong(OPEN_HANDLES_OFFSET, 1);
    }

    void closed()
    {
        buffer.getAndAddLong(OPEN_HANDLES_OFFSET, -1);
    }

    /**
     * Runs {@code work} while holding the table's opening lock (an exclusive lock on this file's first byte), so
     * that only one process at a time opens, recovers or deletes the table.
     *
     * @throws ReplacedException when the file at the path is no longer the one this process mapped.
     */
    <T> T whileOpening(final OpenStep<T> work) throws IOException
    {
        return whileOpening(path, file.key(), work);
    }

    /**
     * {@link #whileOpening(OpenStep)} for a sequence file this process has not mapped (to delete the table).
     *
     * @param expectedFileKey the file the caller checked; {@code null}: whatever file is there now.
     */
    static <T> T whileOpening(final Path path, final Object expectedFileKey, final OpenStep<T> work) throws IOException
    {
        final Object expected = expectedFileKey != null ? expectedFileKey : FileIdentity.keyOf(path);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE);
            FileLock ignored = lockWithin(channel, path))
        {
            // The lock is on the file the channel opened; a reset may have replaced the one at the path meanwhile.
            if (!Objects.equals(expected, FileIdentity.keyOf(path)))
            {
                throw new ReplacedException(path);
            }
            return work.run();
        }
        catch (final NoSuchFileException gone)
        {
            throw new ReplacedException(path);
        }
    }

    private static FileLock lockWithin(final FileChannel channel, final Path path) throws IOException
    {
        final long giveUpAt = System.currentTimeMillis() + GATE_TIMEOUT_MS;
        while (true)
        {
            final FileLock lock = channel.tryLock(0, 1, false);
            if (lock != null)
            {
                return lock;
            }
            if (System.currentTimeMillis() > giveUpAt)
            {
                throw new IOException(path + ": waited " + GATE_TIMEOUT_MS / 1000 + " s for other processes " +
                    "to finish opening the table (is one stopped while holding its opening lock?)");
            }
            try
            {
                Thread.sleep(10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException(path + ": interrupted while waiting to open the table");
            }
        }
    }

    @FunctionalInterface
    interface OpenStep<T>
    {
        T run() throws IOException;
    }

    /** Drops nothing but the reference: the mapping goes when the garbage collector frees it (see class comment). */
    @Override
    public void close()
    {
    }
}
