package dev.modelsel.engine.availability;

import dev.modelsel.engine.mapped.FileIdentity;
import net.openhft.chronicle.hash.ChronicleHashClosedException;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.hash.locks.InterProcessDeadLockException;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The Chronicle side of {@link SharedAvailabilityTable}: reads, writes and lists the map, whose file and sequence file
 * {@link MapOpener} opened per the protocol of {@link SharedTableDescriptor}. With {@link MapOpener},
 * {@link MapListing} and {@link ChroniclePreload}, the only classes that touch Chronicle Map, so that nothing loads it
 * before the JVM flags are checked.
 * <p>
 * Every entry is sealed with its checksum when written and checked when read: a corrupt one is reported, never
 * applied as data. A failure of Chronicle's own on bytes modelsel never wrote is a {@link SharedTableException} that
 * names the table and the way out.
 * <p>
 * Thread-safe.
 */
final class ChronicleAvailabilityMap implements AutoCloseable
{
    private static final long PID = ProcessHandle.current().pid();

    private final Path path;
    private final SequenceFile sequence;
    private final ChronicleMap<CharSequence, AvailabilityEntry> map;
    private final boolean recovered;
    private final TableFaults faults;
    private final FileIdentity mapFile;
    /** Of PATH.seq's count of records when this process opened the map: the count it adds its inserts to. */
    private final int countGeneration;
    private final ThreadLocal<AvailabilityEntry> readScratch = ThreadLocal.withInitial(AvailabilityEntry::new);

    ChronicleAvailabilityMap(
        final Path path,
        final SequenceFile sequence,
        final ChronicleMap<CharSequence, AvailabilityEntry> map,
        final boolean recovered,
        final FileIdentity mapFile,
        final int countGeneration)
    {
        this.path = path;
        this.sequence = sequence;
        this.map = map;
        this.recovered = recovered;
        this.faults = new TableFaults(path, sequence);
        this.mapFile = mapFile;
        this.countGeneration = countGeneration;
    }

    /** The map itself, for tests that must hold its locks as a dying writer would. */
    ChronicleMap<CharSequence, AvailabilityEntry> chronicleMap()
    {
        return map;
    }

    /** Whether opening recovered the map: after a process died with it open, or when one asked for it. */
    boolean recovered()
    {
        return recovered;
    }

    static Path sequencePath(final Path path)
    {
        return path.resolveSibling(path.getFileName() + SharedTableDescriptor.SEQUENCE_FILE_SUFFIX);
    }

    /** The map's configuration: every process opens, creates and recovers with this one. */
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
        try
        {
            return sequence.changeSequence();
        }
        catch (final InternalError fault) // see TableFaults.fault
        {
            throw faults.fault("reading the change sequence", fault);
        }
    }

    /** Allocation-free: the entry is read into this thread's scratch copy and checked in place. */
    boolean read(final String modelId, final AvailabilityRecord into)
    {
        final AvailabilityEntry entry;
        try
        {
            entry = map.getUsing(modelId, readScratch.get());
        }
        catch (final InterProcessDeadLockException stuck)
        {
            throw faults.stuck(segmentHolding(modelId));
        }
        catch (final ChronicleHashClosedException closed)
        {
            throw closed;
        }
        catch (final RuntimeException broken)
        {
            throw faults.damaged("reading \"" + modelId + "\"", broken);
        }
        catch (final InternalError fault)
        {
            throw faults.fault("reading \"" + modelId + "\"", fault);
        }
        if (entry == null)
        {
            into.clear();
            return false;
        }
        if (!entry.intact(modelId))
        {
            into.setCorrupt();
            return true;
        }
        into.set(entry.down, entry.cooldownUntilMs, entry.changes, entry.writerPid, entry.changedAtMs);
        return true;
    }

    /**
     * Changes one entry under its segment's lock, and announces the change before releasing it. A corrupt entry is
     * changed as if it were cleared (none of its fields is believed) and always rewritten: any write repairs it.
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
            throw faults.stuck(segmentHolding(modelId));
        }
        catch (final InternalError fault)
        {
            throw faults.fault("writing \"" + modelId + "\"", fault);
        }
        catch (final ChronicleHashClosedException | SharedTableException passOn)
        {
            throw passOn;
        }
        catch (final RuntimeException broken)
        {
            throw faults.damaged("writing \"" + modelId + "\"", broken);
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
            boolean repair = false;
            if (found == null)
            {
                before.clear();
            }
            else if (!found.value().getUsing(before).intact(modelId))
            {
                before.clear(); // never merged with: a garbage deadline would win every max()
                repair = true;
            }
            change.accept(after.copyFrom(before));
            if (!repair && after.down == before.down && after.cooldownUntilMs == before.cooldownUntilMs)
            {
                return before;
            }
            after.changes = before.changes + 1;
            after.writerPid = (int)PID;
            after.changedAtMs = System.currentTimeMillis();
            final Data<AvailabilityEntry> value = context.wrapValueAsData(after.seal(modelId));
            if (found == null)
            {
                insert(context, value);
                sequence.recordInserted(countGeneration);
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
            if (!String.valueOf(full.getMessage()).contains("extra segment tier"))
            {
                throw full;
            }
            throw new SharedTableException(path + ": full (it holds " + map.longSize() + " model ids, about three " +
                "times the " + SharedTableDescriptor.MAP_ENTRIES + " it is sized for); when no process uses it, " +
                "modelsel availability reset clears it");
        }
    }

    boolean changes(final long from, final long to, final IntConsumer changed)
    {
        try
        {
            return sequence.changes(from, to, changed);
        }
        catch (final InternalError fault)
        {
            throw faults.fault("reading the change ring", fault);
        }
    }

    /** See {@link MapListing}. */
    List<String> forEach(final AvailabilityTable.RecordVisitor visitor)
    {
        try
        {
            return new MapListing(map, sequence, countGeneration, faults).list(visitor);
        }
        catch (final InternalError fault)
        {
            throw faults.fault("listing it", fault);
        }
    }

    private static String segmentHolding(final String modelId)
    {
        return "the segment holding \"" + modelId + "\"";
    }

    /** The map file and the sequence file as this process opened them. */
    FileIdentity mapFile()
    {
        return mapFile;
    }

    FileIdentity sequenceFile()
    {
        return sequence.file();
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
