package dev.modelsel.engine.availability;

import dev.modelsel.engine.mapped.FileIdentity;
import dev.modelsel.engine.mapped.MappedFiles;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.hash.locks.InterProcessDeadLockException;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The Chronicle side of {@link SharedAvailabilityTable}: the map file and its sequence file, opened per the
 * protocol of {@link SharedTableDescriptor}. The only class that touches Chronicle Map, so that nothing loads it
 * before the JVM flags are checked.
 * <p>
 * Thread-safe.
 */
final class ChronicleAvailabilityMap implements AutoCloseable
{
    /** How long an opener waits for another process to finish creating the map. */
    private static final long INCOMPLETE_WAIT_MS = 2_000;
    private static final long PID = ProcessHandle.current().pid();

    private final Path path;
    private final SequenceFile sequence;
    private final ChronicleMap<CharSequence, AvailabilityEntry> map;
    private final boolean recovered;
    private final Object mapFileKey;
    private final ThreadLocal<AvailabilityEntry> readScratch = ThreadLocal.withInitial(AvailabilityEntry::new);

    private ChronicleAvailabilityMap(
        final Path path,
        final SequenceFile sequence,
        final ChronicleMap<CharSequence, AvailabilityEntry> map,
        final boolean recovered,
        final Object mapFileKey)
    {
        this.path = path;
        this.sequence = sequence;
        this.map = map;
        this.recovered = recovered;
        this.mapFileKey = mapFileKey;
    }

    /** The map itself, for tests that must hold its locks as a dying writer would. */
    ChronicleMap<CharSequence, AvailabilityEntry> chronicleMap()
    {
        return map;
    }

    /** Whether opening recovered the map after a process died with it open. */
    boolean recovered()
    {
        return recovered;
    }

    /**
     * Opens the table at {@code path}, creating it if it does not exist. One process at a time opens (a lock on the
     * sequence file). If no other process has the map open but the sequence file still counts one, a process died
     * with it open: the map is recovered first, which releases any entry lock the dead writer held.
     *
     * @throws ForeignTableException when either file is not one of ours; neither is changed.
     */
    static ChronicleAvailabilityMap open(final Path path) throws IOException
    {
        for (int attempt = 1; ; attempt++)
        {
            refuseIfForeign(path, MapFileCheck.check(path)); // before creating anything beside a file not ours
            final Path sequencePath = sequencePath(path);
            final boolean createsSequence = !Files.exists(sequencePath, LinkOption.NOFOLLOW_LINKS);
            try
            {
                final SequenceFile sequence = SequenceFile.openOrCreate(sequencePath);
                try
                {
                    final Opened opened = sequence.whileOpening(() -> openMap(path, sequence));
                    return new ChronicleAvailabilityMap(path, sequence, opened.map, opened.recovered, opened.fileKey);
                }
                catch (final IOException | RuntimeException notOpened)
                {
                    sequence.close(); // its mapping: this process does not have the table open after all
                    throw notOpened;
                }
            }
            catch (final SequenceFile.ReplacedException replaced)
            {
                if (attempt == 5)
                {
                    throw replaced;
                }
            }
            catch (final ForeignTableException refused)
            {
                if (createsSequence)
                {
                    Files.deleteIfExists(sequencePath); // leave nothing beside a file that is not a usable table
                }
                throw refused;
            }
            catch (final IOException failed)
            {
                if (createsSequence && !Files.exists(path, LinkOption.NOFOLLOW_LINKS))
                {
                    Files.deleteIfExists(sequencePath); // no table was made (a full file system): leave nothing
                }
                throw failed;
            }
        }
    }

    /** @param fileKey the map file's, read under the opening lock: no modelsel process makes another one meanwhile. */
    private record Opened(ChronicleMap<CharSequence, AvailabilityEntry> map, boolean recovered, Object fileKey)
    {
        Opened(final ChronicleMap<CharSequence, AvailabilityEntry> map, final boolean recovered)
        {
            this(map, recovered, null);
        }
    }

    /**
     * Deletes a table, both files, when it is ours and no process has it open; refuses otherwise and changes
     * nothing. This process must not have it open either. A table left incomplete by a process that died while
     * creating or recovering it is deleted too: that is the way out for it.
     */
    static void delete(final Path path) throws IOException
    {
        final MapFileCheck.Result check = MapFileCheck.check(path);
        refuseIfForeign(path, check);
        final Path sequence = sequencePath(path);
        final Object sequenceKey = SequenceFile.fileKey(sequence);
        if (sequenceKey == null)
        {
            if (check.verdict() == MapFileCheck.Verdict.OURS)
            {
                Files.delete(path); // ours by its header, never opened by modelsel (or its sequence file was deleted)
            }
            else if (Files.exists(path, LinkOption.NOFOLLOW_LINKS))
            {
                throw new ForeignTableException(path + ": " + check.reason() + ", and no " + sequence + " beside it; " +
                    "refused, and left as it is");
            }
            return;
        }
        final String refusal = SequenceFile.refusal(sequence);
        if (refusal != null)
        {
            throw new ForeignTableException(sequence + ": " + refusal + "; refused, and left as it is");
        }
        SequenceFile.whileOpening(sequence, sequenceKey, () ->
        {
            if (Files.exists(path) && Files.size(path) > 0 && !noOtherProcessHasItOpen(path))
            {
                throw new IllegalStateException(path + ": in use by another process; stop every process that uses " +
                    "it first (or clear models one by one with set-up)");
            }
            Files.deleteIfExists(path);
            Files.delete(sequence);
            return null;
        });
    }

    static Path sequencePath(final Path path)
    {
        return path.resolveSibling(path.getFileName() + SharedTableDescriptor.SEQUENCE_FILE_SUFFIX);
    }

    /** Under the opening lock. */
    private static Opened openMap(final Path path, final SequenceFile sequence) throws IOException
    {
        final long giveUpAt = System.currentTimeMillis() + INCOMPLETE_WAIT_MS;
        MapFileCheck.Result check = MapFileCheck.check(path);
        while (check.verdict() == MapFileCheck.Verdict.INCOMPLETE && System.currentTimeMillis() < giveUpAt)
        {
            sleep(50);
            check = MapFileCheck.check(path);
        }
        final Opened opened;
        switch (check.verdict())
        {
            case ABSENT:
                opened = new Opened(checkTypes(path, create(path)), false);
                sequence.forgetOpenHandles(); // a new map: any count left with an old sequence file is moot
                break;
            case OURS:
                opened = openExisting(path, sequence);
                break;
            case INCOMPLETE:
                throw new ForeignTableException(path + ": " + check.reason() + ": a process died while creating or " +
                    "recovering it; refused, and left as it is (modelsel availability reset deletes it once no " +
                    "process uses it)");
            default:
                refuseIfForeign(path, check);
                throw new IllegalStateException("unreachable");
        }
        sequence.opened();
        return new Opened(opened.map, opened.recovered, FileIdentity.keyOf(path));
    }

    /**
     * Creates the map under the opening lock, every page of its file allocated: without JNR Chronicle cannot
     * {@code posix_fallocate}, and a page first touched through the mapping on a full file system (a small
     * {@code /dev/shm}) would fail as an {@code InternalError} in whichever process wrote there. The pages are
     * allocated while the new map is closed: closing any channel of a file drops every lock this process holds on
     * it, Chronicle's "this process has it open" lock included. A failure leaves no half-made file behind: this
     * process made it, and no other has seen it.
     */
    private static ChronicleMap<CharSequence, AvailabilityEntry> create(final Path path) throws IOException
    {
        try
        {
            builder().createPersistedTo(path.toFile()).close();
            MappedFiles.allocateEveryPage(path); // while no process has it open: see its note
            return builder().createPersistedTo(path.toFile());
        }
        catch (final IOException | InternalError failed) // InternalError: a fault in the mapping as Chronicle wrote it
        {
            Files.deleteIfExists(path);
            throw new IOException(path + ": cannot create the table: " + failed.getMessage() +
                " (is its file system full?)", failed);
        }
        catch (final RuntimeException failed)
        {
            Files.deleteIfExists(path);
            throw failed;
        }
    }

    private static Opened openExisting(final Path path, final SequenceFile sequence) throws IOException
    {
        if (!noOtherProcessHasItOpen(path))
        {
            return new Opened(checkTypes(path, openAsItIs(path)), false);
        }
        // Chronicle's own open checks the file's length against its header and never writes: a truncated table
        // fails here, before recovery could "repair" it by growing it back.
        final ChronicleMap<CharSequence, AvailabilityEntry> asItIs = checkTypes(path, openAsItIs(path));
        if (sequence.openHandles() == 0)
        {
            return new Opened(asItIs, false);
        }
        asItIs.close();
        final ChronicleMap<CharSequence, AvailabilityEntry> recovered = builder().recoverPersistedTo(path.toFile(), true);
        sequence.forgetOpenHandles();
        return new Opened(recovered, true);
    }

    /** Chronicle opens a map of any types from its header: ours must be model ids to entries. */
    private static ChronicleMap<CharSequence, AvailabilityEntry> checkTypes(
        final Path path, final ChronicleMap<CharSequence, AvailabilityEntry> map) throws ForeignTableException
    {
        if (map.keyClass() == CharSequence.class && map.valueClass() == AvailabilityEntry.class)
        {
            return map;
        }
        final String types = map.keyClass().getName() + " to " + map.valueClass().getName();
        map.close();
        throw new ForeignTableException(path + ": a Chronicle map of " + types + "; refused, and left as it is");
    }

    private static ChronicleMap<CharSequence, AvailabilityEntry> openAsItIs(final Path path) throws IOException
    {
        try
        {
            return builder().createPersistedTo(path.toFile());
        }
        catch (final IOException ex)
        {
            throw new ForeignTableException(path + ": Chronicle Map cannot open it: " + ex.getMessage() +
                "; refused, and left as it is");
        }
    }

    private static void refuseIfForeign(final Path path, final MapFileCheck.Result check) throws ForeignTableException
    {
        if (check.verdict() == MapFileCheck.Verdict.FOREIGN)
        {
            throw new ForeignTableException(path + ": not a modelsel availability table: " + check.reason() +
                "; refused, and left as it is");
        }
    }

    /**
     * Chronicle holds a shared lock on the whole map file in every process that has it open; if an exclusive
     * one can be had, none has. Only ever called before this process opens the map: closing the probe's channel
     * would drop this process's own Chronicle lock too.
     */
    private static boolean noOtherProcessHasItOpen(final Path path) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, false))
        {
            return lock != null;
        }
    }

    static ChronicleMapBuilder<CharSequence, AvailabilityEntry> builder()
    {
        return ChronicleMapBuilder.of(CharSequence.class, AvailabilityEntry.class)
            .name("modelsel-availability")
            .entries(SharedTableDescriptor.MAP_ENTRIES)
            .averageKeySize(SharedTableDescriptor.MAP_AVERAGE_KEY_BYTES)
            .constantValueSizeBySample(new AvailabilityEntry());
    }

    long changeSequence()
    {
        return sequence.changeSequence();
    }

    boolean read(final String modelId, final AvailabilityRecord into)
    {
        final AvailabilityEntry entry;
        try
        {
            entry = map.getUsing(modelId, readScratch.get());
        }
        catch (final InterProcessDeadLockException stuck)
        {
            throw stuck(modelId);
        }
        if (entry == null)
        {
            into.clear();
            return false;
        }
        into.set(entry.down, entry.cooldownUntilMs, entry.changes, entry.writerPid, entry.changedAtMs);
        return true;
    }

    /**
     * Changes one entry under its segment's lock, and announces the change before releasing it.
     *
     * @return the entry as it is after the change.
     */
    AvailabilityEntry update(final String modelId, final Consumer<AvailabilityEntry> change)
    {
        try
        {
            return updateLocked(modelId, change);
        }
        catch (final InterProcessDeadLockException stuck) // on the update lock, or on its upgrade to the write lock
        {
            throw stuck(modelId);
        }
        catch (final InternalError fault) // the JVM's word for a fault in a mapped file's memory
        {
            throw new SharedTableException(path + ": writing \"" + modelId + "\" faulted (" + fault.getMessage() +
                "): its file system is probably full, and the table had grown into pages not yet allocated; " +
                "free space there, or move the table (--table, -Dmodelsel.availability.table)");
        }
    }

    private AvailabilityEntry updateLocked(final String modelId, final Consumer<AvailabilityEntry> change)
    {
        final AvailabilityEntry before = new AvailabilityEntry();
        final AvailabilityEntry after = new AvailabilityEntry();
        try (ExternalMapQueryContext<CharSequence, AvailabilityEntry, ?> context = map.queryContext(modelId))
        {
            context.updateLock().lock(); // a stuck segment here, or on the upgrade to the write lock: see update
            final MapEntry<CharSequence, AvailabilityEntry> found = context.entry();
            if (found == null)
            {
                before.clear();
            }
            else
            {
                found.value().getUsing(before);
            }
            change.accept(after.copyFrom(before));
            if (after.down == before.down && after.cooldownUntilMs == before.cooldownUntilMs)
            {
                return before;
            }
            after.changes = before.changes + 1;
            after.writerPid = (int)PID;
            after.changedAtMs = System.currentTimeMillis();
            final Data<AvailabilityEntry> value = context.wrapValueAsData(after);
            if (found == null)
            {
                insert(context, value);
            }
            else
            {
                context.replaceValue(found, value);
            }
            sequence.announceChange(modelId.hashCode()); // before the lock goes: a writer finding nothing to change comes after
        }
        return after;
    }

    private void insert(
        final ExternalMapQueryContext<CharSequence, AvailabilityEntry, ?> context, final Data<AvailabilityEntry> value)
    {
        try
        {
            context.insert(context.absentEntry(), value);
        }
        catch (final IllegalStateException full) // Chronicle: "Attempt to allocate #17 extra segment tier..."
        {
            throw new SharedTableException(path + ": full (it holds " + map.longSize() + " model ids, about three " +
                "times the " + SharedTableDescriptor.MAP_ENTRIES + " it is sized for); when no process uses it, " +
                "modelsel availability reset clears it");
        }
    }

    boolean changes(final long from, final long to, final IntConsumer changed)
    {
        return sequence.changes(from, to, changed);
    }

    /** Every entry, each under its segment's lock; the key is a reused builder. */
    void forEach(final AvailabilityTable.RecordVisitor visitor)
    {
        final StringBuilder key = new StringBuilder();
        final AvailabilityEntry entry = new AvailabilityEntry();
        final AvailabilityRecord record = new AvailabilityRecord();
        try
        {
            map.forEachEntry(e ->
            {
                e.key().getUsing(key);
                e.value().getUsing(entry);
                visitor.accept(key.toString(),
                    record.set(entry.down, entry.cooldownUntilMs, entry.changes, entry.writerPid, entry.changedAtMs));
            });
        }
        catch (final InterProcessDeadLockException stuck)
        {
            throw stuck(null);
        }
    }

    private SharedTableException stuck(final String modelId)
    {
        return new SharedTableException(path + ": " + (modelId == null ? "a segment" : "the segment holding \"" +
            modelId + "\"") + " has been locked far longer than any write takes, so a process died while writing " +
            "it; stop every process that uses this table: the next one to open it recovers it");
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** The map file and the sequence file as this process opened them. */
    FileIdentity mapFile()
    {
        return FileIdentity.of(path, mapFileKey);
    }

    FileIdentity sequenceFile()
    {
        return FileIdentity.of(sequencePath(path), sequence.fileKey());
    }

    /** Closes the map, then tells the sequence file this process no longer has it open. */
    @Override
    public void close()
    {
        close(true);
    }

    /**
     * @param countOff whether to take this process off the sequence file's count of open handles: not when the files
     *                 at the path are no longer these (whoever made the new map set the count to zero).
     */
    void close(final boolean countOff)
    {
        try
        {
            map.close();
            if (countOff)
            {
                sequence.closed();
            }
        }
        finally
        {
            sequence.close();
        }
    }
}
