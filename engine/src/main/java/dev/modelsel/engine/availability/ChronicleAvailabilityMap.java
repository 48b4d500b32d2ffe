package dev.modelsel.engine.availability;

import dev.modelsel.engine.mapped.FileIdentity;
import dev.modelsel.engine.replication.ReplicatedRecord;
import net.openhft.chronicle.hash.ChronicleHashClosedException;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.hash.locks.InterProcessDeadLockException;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.ToIntFunction;

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
    private final ThreadLocal<AvailabilityEntry> writeScratch = ThreadLocal.withInitial(AvailabilityEntry::new);
    private final ThreadLocal<ReplicatedRecord> writtenScratch = ThreadLocal.withInitial(ReplicatedRecord::new);

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
            .constantValueSizeBySample(new AvailabilityEntry())
            // Chronicle's own exit hook closes every open map while the JVM shuts down, concurrently with the
            // commands' hooks that close the table; the two closes race inside Chronicle (an NPE on stderr). The
            // table is always closed by its owner; one a process never closed is recovered by the next lone opener.
            .skipCloseOnExitHook(true);
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
        final AvailabilityEntry entry = lookUp(modelId);
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
        entry.toRecord(into);
        return true;
    }

    /**
     * The model's entry, read into this thread's scratch copy (null when there is none), Chronicle's failures
     * translated: a stuck segment, damage, or a fault of the mapping (see {@link TableFaults}).
     */
    private AvailabilityEntry lookUp(final String modelId)
    {
        try
        {
            return map.getUsing(modelId, readScratch.get());
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
        catch (final InternalError fault) // see TableFaults.fault
        {
            throw faults.fault("reading \"" + modelId + "\"", fault);
        }
    }

    /** A local write of SPEC §6's table, made at version (clock, host). */
    @FunctionalInterface
    interface LocalWrite
    {
        /** @return whether it changed the record. */
        boolean apply(ReplicatedRecord record, long clock, String host);
    }

    /**
     * Reads SPEC §6's record of a model, as a replicator sends it.
     *
     * @return whether the table holds an intact record for the id; {@code into} is filled, or cleared when it holds
     *         none or a corrupt one (which merges and writes as cleared).
     */
    boolean readReplicated(final String modelId, final ReplicatedRecord into)
    {
        final AvailabilityEntry entry = lookUp(modelId);
        if (entry == null || !entry.intact(modelId))
        {
            into.clear();
            return false;
        }
        entry.toReplicated(into);
        return true;
    }

    /**
     * A local write (SPEC §6's table): under the entry's segment lock, the host's clock ticks, and {@code write}
     * applies the write at that clock and the host's id.
     *
     * @return the record as it is after the write: this thread's holder, until its next write.
     */
    ReplicatedRecord write(final String modelId, final LocalWrite write)
    {
        final ReplicatedRecord record = writtenScratch.get();
        update(modelId, record, r -> write.apply(r, sequence.tickClock(System.currentTimeMillis()), sequence.hostId()) ?
            ReplicatedRecord.FLAG_CHANGED | ReplicatedRecord.COOLDOWN_CHANGED : 0);
        return record;
    }

    /**
     * Merges a record received from another host (SPEC §6), under the entry's segment lock, and moves the host's clock
     * to at least the record's greatest clock.
     *
     * @param record filled with the record as it is after the merge.
     * @return {@link ReplicatedRecord#FLAG_CHANGED} and/or {@link ReplicatedRecord#COOLDOWN_CHANGED}, or 0.
     */
    int merge(final String modelId, final ReplicatedRecord received, final ReplicatedRecord record)
    {
        return update(modelId, record, r ->
        {
            sequence.observeClock(received.maxClock());
            return r.merge(received);
        });
    }

    /** The host id local writes stamp (see {@link SequenceFile#hostId()}). */
    String hostId()
    {
        return sequence.hostId();
    }

    /** Sets the host id local writes stamp from now on. */
    void hostId(final String id) throws IOException
    {
        sequence.hostId(id);
    }

    /** The host's clock: above every version written or merged here. */
    long clock()
    {
        return sequence.clock();
    }

    /**
     * Changes one entry under its segment's lock, and announces the change before releasing it. A corrupt entry is
     * changed as if it were cleared (none of its fields is believed) and always rewritten: any write repairs it.
     *
     * @param record filled with the record as it is after the change.
     * @return what {@code change} returned: 0 when it changed nothing.
     */
    private int update(
        final String modelId, final ReplicatedRecord record, final ToIntFunction<ReplicatedRecord> change)
    {
        try
        {
            return updateLocked(modelId, record, change);
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

    private int updateLocked(
        final String modelId, final ReplicatedRecord record, final ToIntFunction<ReplicatedRecord> change)
    {
        final AvailabilityEntry entry = writeScratch.get();
        try (ExternalMapQueryContext<CharSequence, AvailabilityEntry, ?> context = map.queryContext(modelId))
        {
            context.updateLock().lock(); // a stuck segment here, or on the upgrade to the write lock: see update
            final MapEntry<CharSequence, AvailabilityEntry> found = context.entry();
            boolean repair = false;
            if (found == null)
            {
                entry.clear();
            }
            else if (!found.value().getUsing(entry).intact(modelId))
            {
                entry.clear(); // never merged with: a garbage deadline or version would win every max() and merge
                repair = true;
            }
            final int changed = change.applyAsInt(entry.toReplicated(record));
            if (changed == 0 && !repair)
            {
                return 0;
            }
            entry.fromReplicated(record);
            entry.changes++;
            entry.writerPid = (int)PID;
            entry.changedAtMs = System.currentTimeMillis();
            final Data<AvailabilityEntry> value = context.wrapValueAsData(entry.seal(modelId));
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
            return changed;
        }
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
    List<String> forEach(final MapListing.EntryVisitor visitor)
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
