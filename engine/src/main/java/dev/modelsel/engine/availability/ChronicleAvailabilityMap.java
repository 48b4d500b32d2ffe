package dev.modelsel.engine.availability;

import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.hash.locks.InterProcessLock;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Chronicle side of {@link SharedAvailabilityTable}: the map file and its sequence file, opened per the
 * protocol of {@link SharedTableDescriptor}. The only class that touches Chronicle Map, so that nothing loads it
 * before the JVM flags are checked.
 * <p>
 * Thread-safe.
 */
final class ChronicleAvailabilityMap implements AutoCloseable
{
    /** An entry lock held longer than this was left by a process that died while writing it. */
    private static final long LOCK_TIMEOUT_MS = 2_000;
    /** How long an opener waits for another process to finish creating the map. */
    private static final long INCOMPLETE_WAIT_MS = 2_000;
    private static final long PID = ProcessHandle.current().pid();

    private final Path path;
    private final SequenceFile sequence;
    private final ChronicleMap<CharSequence, AvailabilityEntry> map;
    private final ThreadLocal<AvailabilityEntry> readScratch = ThreadLocal.withInitial(AvailabilityEntry::new);

    private ChronicleAvailabilityMap(
        final Path path, final SequenceFile sequence, final ChronicleMap<CharSequence, AvailabilityEntry> map)
    {
        this.path = path;
        this.sequence = sequence;
        this.map = map;
    }

    /**
     * Opens the table at {@code path}, creating it if it does not exist. One process at a time opens (a lock on the
     * sequence file): if no other process has the map open, the map is recovered first, which releases any entry
     * lock a killed writer left; otherwise it is opened as it is.
     *
     * @throws ForeignTableException when either file is not one of ours; neither is changed.
     */
    static ChronicleAvailabilityMap open(final Path path) throws IOException
    {
        refuseIfForeign(path, MapFileCheck.check(path)); // before creating anything beside a file that is not ours
        final SequenceFile sequence = SequenceFile.openOrCreate(sequencePath(path));
        try
        {
            final ChronicleMap<CharSequence, AvailabilityEntry> map = sequence.whileOpening(() -> openMap(path));
            if (map.keyClass() != CharSequence.class || map.valueClass() != AvailabilityEntry.class)
            {
                map.close();
                throw new ForeignTableException(path + ": a Chronicle map of " + map.keyClass().getName() + " to " +
                    map.valueClass().getName() + "; refused, and left as it is");
            }
            return new ChronicleAvailabilityMap(path, sequence, map);
        }
        catch (final IOException | RuntimeException ex)
        {
            sequence.close();
            throw ex;
        }
    }

    /**
     * Deletes a table, both files, when it is ours and no process has it open; refuses otherwise and changes
     * nothing. This process must not have it open either.
     */
    static void delete(final Path path) throws IOException
    {
        refuseIfForeign(path, MapFileCheck.check(path));
        final Path sequence = sequencePath(path);
        if (!Files.exists(sequence))
        {
            Files.deleteIfExists(path); // a map without its sequence file was never opened by modelsel
            return;
        }
        final String refusal = SequenceFile.refusal(sequence);
        if (refusal != null)
        {
            throw new ForeignTableException(sequence + ": " + refusal + "; refused, and left as it is");
        }
        SequenceFile.whileOpening(sequence, () ->
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

    private static ChronicleMap<CharSequence, AvailabilityEntry> openMap(final Path path) throws IOException
    {
        final long giveUpAt = System.currentTimeMillis() + INCOMPLETE_WAIT_MS;
        MapFileCheck.Result check = MapFileCheck.check(path);
        while (check.verdict() == MapFileCheck.Verdict.INCOMPLETE && System.currentTimeMillis() < giveUpAt)
        {
            sleep(50);
            check = MapFileCheck.check(path);
        }
        switch (check.verdict())
        {
            case ABSENT:
                return builder().createPersistedTo(path.toFile());
            case OURS:
                if (noOtherProcessHasItOpen(path))
                {
                    // Chronicle's own open checks the file's length against its header and never writes: a
                    // truncated table fails here. Recovery would "repair" it by growing it back.
                    openAsItIs(path).close();
                    return builder().recoverPersistedTo(path.toFile(), true);
                }
                return openAsItIs(path);
            case INCOMPLETE:
                throw new ForeignTableException(path + ": " + check.reason() + ": the process creating it died " +
                    "part-way; refused, and left as it is (when no modelsel process uses the table, delete " + path +
                    " and " + sequencePath(path) + ")");
            default:
                refuseIfForeign(path, check);
                throw new IllegalStateException("unreachable");
        }
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

    private static ChronicleMapBuilder<CharSequence, AvailabilityEntry> builder()
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
        final AvailabilityEntry entry = readScratch.get();
        try (ExternalMapQueryContext<CharSequence, AvailabilityEntry, ?> context = map.queryContext(modelId))
        {
            lock(context.readLock(), modelId);
            final MapEntry<CharSequence, AvailabilityEntry> found = context.entry();
            if (found == null)
            {
                into.clear();
                return false;
            }
            found.value().getUsing(entry);
        }
        into.set(entry.down, entry.cooldownUntilMs, entry.changes, entry.writerPid, entry.changedAtMs);
        return true;
    }

    /**
     * Changes one entry under its lock, and announces the change after the lock is released.
     *
     * @return the entry as it is after the change.
     */
    AvailabilityEntry update(final String modelId, final Consumer<AvailabilityEntry> change)
    {
        final AvailabilityEntry before = new AvailabilityEntry();
        final AvailabilityEntry after = new AvailabilityEntry();
        try (ExternalMapQueryContext<CharSequence, AvailabilityEntry, ?> context = map.queryContext(modelId))
        {
            lock(context.updateLock(), modelId);
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
        }
        sequence.announceChange();
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

    /** Every entry, each under its segment's lock; the key is a reused builder. */
    void forEach(final AvailabilityTable.RecordVisitor visitor)
    {
        final StringBuilder key = new StringBuilder();
        final AvailabilityEntry entry = new AvailabilityEntry();
        final AvailabilityRecord record = new AvailabilityRecord();
        map.forEachEntry(e ->
        {
            e.key().getUsing(key);
            e.value().getUsing(entry);
            visitor.accept(key.toString(),
                record.set(entry.down, entry.cooldownUntilMs, entry.changes, entry.writerPid, entry.changedAtMs));
        });
    }

    private void lock(final InterProcessLock lock, final String modelId)
    {
        try
        {
            if (!lock.tryLock(LOCK_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                throw new SharedTableException(path + ": the entry of \"" + modelId + "\" has been locked for over " +
                    LOCK_TIMEOUT_MS + " ms, so a process died while writing it; stop every process that uses this " +
                    "table: the next one to open it recovers it");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new SharedTableException(path + ": interrupted while waiting for the entry of \"" + modelId + "\"");
        }
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

    @Override
    public void close()
    {
        try
        {
            map.close();
        }
        finally
        {
            sequence.close();
        }
    }
}
