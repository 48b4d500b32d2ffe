package dev.modelsel.engine.availability;

import dev.modelsel.engine.jvm.JvmFlags;
import dev.modelsel.engine.jvm.MissingJvmFlagsException;
import dev.modelsel.engine.mapped.FileIdentity;
import dev.modelsel.engine.mapped.MappedFiles;
import dev.modelsel.engine.replication.HostId;
import dev.modelsel.engine.replication.HybridClock;
import dev.modelsel.engine.replication.ReplicatedRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * The availability table every process on the host shares: an off-heap Chronicle Map persisted to a file that
 * each process maps, plus a mapped change-sequence file beside it (layout and protocol:
 * {@link SharedTableDescriptor}). A process that sees a 429 or an outage writes it here, and every other process's
 * next select avoids that model.
 * <p>
 * <b>Opening.</b> The first process creates the files; later ones open them. A file that is not one of our tables
 * (junk, truncated, another map, another layout version) is refused with {@link ForeignTableException} and never
 * rewritten; so is one of ours whose structure is damaged, unless a recovery was due. When no other process has the
 * table open and a process died with it open (or asked for it), the opener recovers it first, which releases any
 * entry lock the killed writer left behind, then checks it whole. An opener also finishes what a process killed
 * while opening left half done: it makes again a map whose creation never finished, and runs an unfinished recovery
 * again.
 * <p>
 * <b>Damage.</b> Each record carries a checksum: one that fails it is read as {@link AvailabilityRecord#corrupt()}
 * (and as a model the table knows nothing about), listed as such by {@link #forEach}, and replaced by the next write
 * of that model. Damage that is no record's is listed by {@link #forEach}; where Chronicle itself fails on it, a read
 * or write throws {@link SharedTableException} naming the table and the way out.
 * <p>
 * <b>Versions (SPEC §6).</b> Each record is SPEC §6's: its flag and cooldown carry the version (the host's hybrid
 * clock and id, kept in {@code PATH.seq}) of the write that set them. Every local write stamps a new version, and
 * {@link #merge} takes in records from other hosts, so the table itself is what a replicator sends and resumes from.
 * <p>
 * <b>One instance per JVM per file</b> (Chronicle's rule): {@link #open} hands out the open instance again for
 * the same path, counting handles; the files are closed when the last handle is.
 * <p>
 * <b>Files deleted or replaced under it.</b> An instance keeps mapping the files it opened, even after someone
 * deletes them and another process makes a new table at the path: its reads and writes would reach no other process.
 * A file cut short in place ({@code : > PATH.seq}) is as good as gone, and worse: touching its mapping faults (see
 * docs/shared-table.md, "Files cut short in place"); {@link #staleReason()} says so too, by the file's size.
 * {@link #staleReason()} tells (two {@code stat} calls, never on a select's path), and {@link #reopenIfReplaced()}
 * moves a handle to the table now at the path. Chronicle keeps one open file per path and JVM, so a new table can be
 * opened here only once every handle of the old one is closed: until then {@link #open} refuses the path with a
 * {@link SharedTableException} rather than hand out the old instance. See docs/shared-table.md.
 * <p>
 * Needs the JVM flags of the parent POM; without them {@link #open} throws
 * {@link dev.modelsel.engine.jvm.MissingJvmFlagsException} naming the missing ones. Thread-safe.
 */
public final class SharedAvailabilityTable implements AvailabilityTable
{
    /** A system property that moves the default table. */
    public static final String PATH_PROPERTY = "modelsel.availability.table";
    /** Chronicle's segment lock timeout, in seconds: 2 unless set. */
    public static final String LOCK_TIMEOUT_PROPERTY = "net.openhft.chronicle.map.lockTimeoutSeconds";

    private static final Map<Path, SharedAvailabilityTable> OPEN = new HashMap<>();

    private final Path path;
    private final ChronicleAvailabilityMap store;
    private final FileIdentity mapFile;
    private final FileIdentity sequenceFile;
    private int handles = 1;

    private SharedAvailabilityTable(final Path path, final ChronicleAvailabilityMap store)
    {
        this.path = path;
        this.store = store;
        this.mapFile = store.mapFile();
        this.sequenceFile = store.sequenceFile();
    }

    /**
     * The default table: {@code -Dmodelsel.availability.table=PATH} if set, else
     * {@code /dev/shm/modelsel/availability.table} where {@code /dev/shm} exists (memory only, gone at reboot),
     * else {@code modelsel/availability.table} under the temp directory.
     */
    public static Path defaultPath()
    {
        return MappedFiles.defaultPath(PATH_PROPERTY, "availability.table");
    }

    /**
     * Opens the table at {@code path}, creating it (and its directory) if need be.
     *
     * @throws ForeignTableException when a file there is not one of our tables.
     * @throws dev.modelsel.engine.jvm.MissingJvmFlagsException when this JVM lacks flags Chronicle Map needs.
     * @throws IOException when the files cannot be created or read.
     */
    public static SharedAvailabilityTable open(final Path path) throws IOException
    {
        requireJvm();
        ChroniclePreload.await();
        synchronized (OPEN)
        {
            final Path key = resolve(path, true);
            final SharedAvailabilityTable open = OPEN.get(key);
            if (open != null)
            {
                final String change = open.staleReason();
                if (change != null)
                {
                    throw stillOpen(change, open.handles + (open.handles == 1 ? " handle" : " handles"));
                }
                open.handles++;
                return open;
            }
            final SharedAvailabilityTable table = new SharedAvailabilityTable(key, MapOpener.open(key));
            OPEN.put(key, table);
            return table;
        }
    }

    /**
     * The path that names the file itself: directories and a link to an existing file resolved, so one table
     * reached by two names is still one instance in this JVM (a second would drop the first one's file lock).
     */
    private static Path resolve(final Path path, final boolean createDirectories) throws IOException
    {
        final Path absolute = path.toAbsolutePath().normalize();
        final Path parent = absolute.getParent();
        if (parent == null)
        {
            return absolute;
        }
        if (createDirectories)
        {
            Files.createDirectories(parent);
        }
        if (!Files.exists(parent))
        {
            return absolute;
        }
        final Path real = parent.toRealPath().resolve(absolute.getFileName());
        return Files.isSymbolicLink(real) && Files.exists(real) ? real.toRealPath() : real;
    }

    /**
     * Starts loading and initialising Chronicle Map's classes on a daemon thread, so that an {@link #open} soon after
     * finds most of a process's first-open cost paid (a command line that will open the table calls this first and
     * parses, loads its catalog meanwhile). Optional: without it the first {@link #open} does that work itself, before
     * taking the opening lock. Does nothing after the first call, or when the JVM flags are missing (then
     * {@link #open} says so). {@link #open} waits for it to finish before touching Chronicle itself: two threads
     * initialising Chronicle's classes at once could deadlock on their static initialisers, so a program that also
     * uses Chronicle Map directly should open the table before, not call this. The preload works on a scratch map
     * in a private directory under {@code java.io.tmpdir}, removed when it is done (or, after a crash, by the next
     * preload on the host).
     */
    public static void preload()
    {
        try
        {
            requireJvm();
        }
        catch (final MissingJvmFlagsException ex)
        {
            return;
        }
        ChroniclePreload.start();
    }

    /**
     * Returns once a {@link #preload()} this JVM started has finished (at once if none was). A program that may exit
     * soon after starting one calls this first: Chronicle's classes, initialised while the JVM shuts down, fail to
     * register their shutdown hooks and print the failure.
     */
    public static void awaitPreload()
    {
        ChroniclePreload.awaitIfStarted();
    }

    /** The JVM flags, then the Chronicle settings that must precede its classes. */
    private static void requireJvm()
    {
        JvmFlags.require("the shared availability table");
        // A lock held longer than this was left by a process that died while writing (a write takes microseconds);
        // Chronicle's default would stall a reader or writer for a minute before saying so.
        System.getProperties().putIfAbsent(LOCK_TIMEOUT_PROPERTY, "2");
    }

    /**
     * Deletes the table at {@code path} (both files) so that the next process to use it starts afresh; only when
     * no process has it open, and only when it is one of our tables: of this layout or an older one, damaged or
     * left incomplete included.
     *
     * @throws IllegalStateException when a process (this one included) has it open.
     * @throws ForeignTableException when a file there is not one of ours; nothing is deleted.
     */
    public static void reset(final Path path) throws IOException
    {
        requireJvm();
        ChroniclePreload.awaitIfStarted(); // checking the file uses Chronicle's hash
        synchronized (OPEN)
        {
            final Path key = resolve(path, false);
            if (OPEN.containsKey(key))
            {
                throw new IllegalStateException(key + ": this process has it open; close it first");
            }
            MapOpener.delete(key);
        }
    }

    /** Whether the table exists at {@code path} (either of its files), without opening or creating anything. */
    public static boolean exists(final Path path)
    {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS) ||
            Files.exists(ChronicleAvailabilityMap.sequencePath(path), LinkOption.NOFOLLOW_LINKS);
    }

    /** Chronicle would give a second open of the path in this JVM the old file: see the class comment. */
    private static SharedTableException stillOpen(final String change, final String handles)
    {
        return new SharedTableException(change + ", and this process still has the table that was there open (" +
            handles + "): a new one can be opened once every handle of the old one is closed");
    }

    /**
     * Whether the path still names the files this instance maps: the answer is {@code null} while both stand; else
     * what became of them, a sentence such as {@code "/dev/shm/modelsel/availability.table was deleted"}. Then this
     * instance's reads and writes reach no other process; {@link #reopenIfReplaced()} moves to the table now there.
     * Costs two {@code stat} calls; the answer can be out of date as soon as it is given (see docs/shared-table.md).
     */
    public String staleReason()
    {
        final String map = mapFile.change();
        return map != null ? map : sequenceFile.change();
    }

    /** {@code staleReason() != null}. */
    public boolean replacedOrGone()
    {
        return staleReason() != null;
    }

    /**
     * Returns this handle when the files at the path are still the ones it maps; otherwise gives this handle back
     * (the old files are closed with the last one) and opens the table now at the path, creating it if there is none.
     *
     * @throws SharedTableException when other handles of this instance are still open in this process: nothing
     *                              changed, this handle is still open.
     * @throws IOException          as {@link #open} does; this handle has been given back.
     */
    public SharedAvailabilityTable reopenIfReplaced() throws IOException
    {
        synchronized (OPEN)
        {
            final String change = staleReason();
            if (change == null)
            {
                return this;
            }
            if (handles > 1)
            {
                throw stillOpen(change, (handles - 1) + (handles == 2 ? " other handle" : " other handles"));
            }
            close();
            return open(path);
        }
    }

    /** For tests in this package. */
    ChronicleAvailabilityMap store()
    {
        return store;
    }

    /** Whether opening found that a process had died with the table open, and recovered the map. */
    public boolean recoveredOnOpen()
    {
        return store.recovered();
    }

    /** The map file; the change sequence lives beside it in {@link #sequencePath()}. */
    public Path path()
    {
        return path;
    }

    public Path sequencePath()
    {
        return sequencePath(path);
    }

    /** The sequence file of the table at {@code table}: {@code PATH.seq}. */
    public static Path sequencePath(final Path table)
    {
        return ChronicleAvailabilityMap.sequencePath(table);
    }

    @Override
    public long changeSequence()
    {
        return store.changeSequence();
    }

    @Override
    public boolean read(final String modelId, final AvailabilityRecord into)
    {
        return store.read(modelId, into);
    }

    /** SPEC §6's {@code set_down}: down at a new version, always a change. */
    @Override
    public void setDown(final String modelId)
    {
        store.write(AvailabilityTable.requireModelId(modelId), (record, clock, host) ->
        {
            record.setDown(clock, host);
            return true;
        });
    }

    /** SPEC §6's {@code set_up}: up at a new version and a new epoch with no deadline, always a change. */
    @Override
    public void setUp(final String modelId)
    {
        store.write(AvailabilityTable.requireModelId(modelId), (record, clock, host) ->
        {
            record.setUp(clock, host);
            return true;
        });
    }

    /** SPEC §6's "a 2xx seen": up at a new version, only if down. */
    @Override
    public void clearDown(final String modelId)
    {
        store.write(AvailabilityTable.requireModelId(modelId), ReplicatedRecord::clearDown);
    }

    /** SPEC §6's {@code set_rate_limited}: the later deadline within the epoch, at a new version if it moved. */
    @Override
    public long setRateLimited(final String modelId, final long untilMs)
    {
        return store.write(AvailabilityTable.requireModelId(modelId),
            (record, clock, host) -> record.setRateLimited(untilMs, clock, host)).cooldownUntilMs();
    }

    /**
     * Reads a model's record as SPEC §6 replicates it, versions included (host ids become strings: not for a
     * select's path).
     *
     * @return whether the table holds an intact record for the id; {@code into} is filled, or cleared when it holds
     *         none or a corrupt one.
     */
    public boolean readReplicated(final String modelId, final ReplicatedRecord into)
    {
        return store.readReplicated(AvailabilityTable.requireModelId(modelId), into);
    }

    /**
     * Calls the visitor for every intact record, once each, with a reused holder, as {@link #readReplicated} gives
     * it; corrupt records are left out (they merge as cleared, and there is nothing in them to send).
     *
     * @return the damage found, as {@link #forEach} returns it.
     */
    public List<String> forEachReplicated(final BiConsumer<String, ReplicatedRecord> visitor)
    {
        final ReplicatedRecord record = new ReplicatedRecord();
        return store.forEach((modelId, entry, intact) ->
        {
            if (intact)
            {
                visitor.accept(modelId, entry.toReplicated(record));
            }
        });
    }

    /**
     * {@link #forEach}, with each record's versions: cleared for a corrupt record. For {@code availability show}.
     */
    public List<String> forEachWithVersions(final VersionedRecordVisitor visitor)
    {
        final AvailabilityRecord record = new AvailabilityRecord();
        final ReplicatedRecord versions = new ReplicatedRecord();
        return store.forEach((modelId, entry, intact) -> visitor.accept(modelId,
            intact ? entry.toRecord(record) : record.setCorrupt(),
            intact ? entry.toReplicated(versions) : versions.clear()));
    }

    /** Receives records from {@link #forEachWithVersions}. */
    @FunctionalInterface
    public interface VersionedRecordVisitor
    {
        void accept(String modelId, AvailabilityRecord record, ReplicatedRecord versions);
    }

    /**
     * Merges a record received from another host into this one (SPEC §6), atomically under the entry's segment
     * lock; moves the host's clock to at least the record's greatest clock; and, when anything changed, writes the
     * entry (changes + 1, this process as its writer) and announces it as any write. A corrupt entry merges as if
     * cleared, and is rewritten.
     *
     * @param received a record whose host ids are valid host ids, or {@link HostId#NONE} with a zero clock.
     * @return {@link ReplicatedRecord#FLAG_CHANGED} and/or {@link ReplicatedRecord#COOLDOWN_CHANGED}, or 0.
     * @throws IllegalArgumentException for an empty model id or an invalid host id ({@link HostId#problem}); nothing
     *                                  is changed.
     */
    public int merge(final String modelId, final ReplicatedRecord received)
    {
        return merge(modelId, received, new ReplicatedRecord());
    }

    /**
     * As {@link #merge(String, ReplicatedRecord)}, and fills {@code merged} with the record as the merge left it,
     * read under the same lock: a read after the merge could already see a local write made since.
     */
    public int merge(final String modelId, final ReplicatedRecord received, final ReplicatedRecord merged)
    {
        AvailabilityTable.requireModelId(modelId);
        for (final String host : new String[] {received.flagHost(), received.epochHost(), received.cooldownHost()})
        {
            if (!host.isEmpty() && HostId.problem(host) != null)
            {
                throw new IllegalArgumentException(HostId.problem(host) + ": \"" + host + "\" in " + received);
            }
        }
        return store.merge(modelId, received, merged);
    }

    /**
     * The host id local writes stamp on their versions: written by whoever created the table (this host's name,
     * {@link HostId#ofThisHost()}), or set by {@link #hostId(String)}.
     */
    public String hostId()
    {
        return store.hostId();
    }

    /**
     * Sets the host id that local writes, in every process, stamp from now on ({@code modelsel replicate} sets its
     * configured {@code host_id}). Versions already written under another id stay as they are: valid versions of that
     * id, which order before the host's later writes, since the host's clock never goes back.
     *
     * @throws IllegalArgumentException when {@code id} is not a valid host id ({@link HostId#problem}).
     * @throws IOException              when the table's files were replaced meanwhile.
     */
    public void hostId(final String id) throws IOException
    {
        synchronized (OPEN)
        {
            store.hostId(id);
        }
    }

    /** The host's hybrid clock ({@link HybridClock}): above every version written or merged into this table. */
    public long clock()
    {
        return store.clock();
    }

    @Override
    public boolean changes(final long fromSequence, final long toSequence, final IntConsumer changed)
    {
        return store.changes(fromSequence, toSequence, changed);
    }

    @Override
    public List<String> forEach(final RecordVisitor visitor)
    {
        final AvailabilityRecord record = new AvailabilityRecord();
        return store.forEach((modelId, entry, intact) ->
            visitor.accept(modelId, intact ? entry.toRecord(record) : record.setCorrupt()));
    }

    /** Gives back this handle; the last one closes the files. The table itself stays on disk. */
    @Override
    public void close()
    {
        synchronized (OPEN)
        {
            if (handles == 0)
            {
                return;
            }
            if (--handles == 0)
            {
                OPEN.remove(path);
                store.close(staleReason() == null);
            }
        }
    }

    @Override
    public String toString()
    {
        return "SharedAvailabilityTable{" + path + '}';
    }
}
