package dev.modelsel.engine.cost;

import dev.modelsel.engine.jvm.JvmFlags;
import dev.modelsel.engine.limits.LimitsStore;
import dev.modelsel.engine.mapped.FileIdentity;
import dev.modelsel.engine.mapped.ForeignFileException;
import dev.modelsel.engine.mapped.MappedFiles;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import static dev.modelsel.engine.cost.CountersDescriptor.ATTEMPTS;
import static dev.modelsel.engine.cost.CountersDescriptor.CATEGORY_ESCALATIONS;
import static dev.modelsel.engine.cost.CountersDescriptor.ESCALATIONS;
import static dev.modelsel.engine.cost.CountersDescriptor.FAILURES;
import static dev.modelsel.engine.cost.CountersDescriptor.HOST_LENGTH_OFFSET;
import static dev.modelsel.engine.cost.CountersDescriptor.HOST_OFFSET;
import static dev.modelsel.engine.cost.CountersDescriptor.INCARNATION_OFFSET;
import static dev.modelsel.engine.cost.CountersDescriptor.INCARNATION_RANDOM_BITS;
import static dev.modelsel.engine.cost.CountersDescriptor.INPUT_TOKENS;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_BUCKETS;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_BUDGET;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_BUDGET_HERE;
import static dev.modelsel.engine.cost.CountersDescriptor.LAST_KIND;
import static dev.modelsel.engine.cost.CountersDescriptor.LIMITS_REPLICATED_OFFSET;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_CATEGORY;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_MODEL;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_OFFSET;
import static dev.modelsel.engine.cost.CountersDescriptor.MAX_HOST_BYTES;
import static dev.modelsel.engine.cost.CountersDescriptor.MAX_NAME_BYTES;
import static dev.modelsel.engine.cost.CountersDescriptor.NAME_HASH_OFFSET;
import static dev.modelsel.engine.cost.CountersDescriptor.NAME_LENGTH_OFFSET;
import static dev.modelsel.engine.cost.CountersDescriptor.NAME_OFFSET;
import static dev.modelsel.engine.cost.CountersDescriptor.NO_INCARNATION;
import static dev.modelsel.engine.cost.CountersDescriptor.OUTPUT_TOKENS;
import static dev.modelsel.engine.cost.CountersDescriptor.OUTPUT_UNPRICED;
import static dev.modelsel.engine.cost.CountersDescriptor.PHASES;
import static dev.modelsel.engine.cost.CountersDescriptor.PRICED_BY_DEFAULTS;
import static dev.modelsel.engine.cost.CountersDescriptor.RECORD_COUNT;
import static dev.modelsel.engine.cost.CountersDescriptor.RECORD_COUNT_OFFSET;
import static dev.modelsel.engine.cost.CountersDescriptor.RECORD_LENGTH;
import static dev.modelsel.engine.cost.CountersDescriptor.RECORD_LENGTH_OFFSET;
import static dev.modelsel.engine.cost.CountersDescriptor.SPEND_MICROS;
import static dev.modelsel.engine.cost.CountersDescriptor.STATE_ABANDONED;
import static dev.modelsel.engine.cost.CountersDescriptor.STATE_CLAIMING;
import static dev.modelsel.engine.cost.CountersDescriptor.STATE_FREE;
import static dev.modelsel.engine.cost.CountersDescriptor.STATE_READY;
import static dev.modelsel.engine.cost.CountersDescriptor.counterOffset;
import static dev.modelsel.engine.cost.CountersDescriptor.recordOffset;

/**
 * Phase counters every process on the host shares, in a memory-mapped file (layout: {@link CountersDescriptor}):
 * what one process records, {@code modelsel stats} in any other shows at once.
 * <p>
 * Adding is lock-free: each counter is a compare-and-set on the mapping that saturates at {@code Long.MAX_VALUE}. A name's record is found once per process
 * (claimed with a compare-and-set if no process has it yet) and then kept in a map of this process, so recording a
 * name seen before allocates nothing. Thread-safe.
 * <p>
 * <b>One record per name.</b> A process caches the record it found for a name for good, so a name must never get
 * two: processes would split its counts, and SPEC §7's buckets would admit a limit twice. Records are never freed,
 * and a search never passes a free record (it claims it), so every process searching for a name passes the same
 * records in the same order up to the name's record; it could only get a second one by passing the first while that
 * was still being claimed. A prober does pass a claim it has waited on for {@code CLAIM_WAIT_NS} (its claimer may
 * have died), but first abandons it, a compare-and-set from the claimer's claiming state to {@link
 * CountersDescriptor#STATE_ABANDONED}, and the claimer publishes its record with a compare-and-set from the same
 * state to ready. Exactly one of the two succeeds: either the record was ready first, and the prober compares
 * names (its abandon fails and it reads ready), or it was abandoned first, and the claimer, however late (descheduled,
 * stopped and resumed), fails to publish and searches on from there, to the record of the name that the prober (or
 * another process) claimed further on, or a free one it claims itself. An abandoned record is never ready and never
 * claimed again: a stalled claimer's late writes land where no one reads, and no count was ever added to it, as
 * only a ready record is handed out. So no rescan after publishing is needed, and there is no window. Each claim
 * outwaited costs one record until the file is deleted (as a dead claimer's did before); later probers pass an
 * abandoned record at once instead of waiting on it again. A {@code modelsel} from before this rule (same layout)
 * skips abandoned records, but its claimer publishes with a plain store and its prober passes a stalled claim
 * without abandoning it: the rule holds only among processes that follow it.
 * <p>
 * An instance keeps mapping the file it opened even after someone deletes it and another process makes a new one at
 * the path: what it adds then reaches no other process. {@link #staleReason()} tells (one {@code stat}), and
 * {@link #reopenIfReplaced()} opens the file now at the path (see docs/costs.md).
 */
public final class SharedPhaseCounters implements PhaseCounters, LimitsStore
{
    /** A system property that moves the default counters file. */
    public static final String PATH_PROPERTY = "modelsel.counters";

    static final MappedFiles.Kind KIND = new MappedFiles.Kind("modelsel counters file", CountersDescriptor.MAGIC,
        CountersDescriptor.MAGIC_OFFSET, CountersDescriptor.LAYOUT_VERSION_OFFSET, CountersDescriptor.LAYOUT_VERSION,
        CountersDescriptor.FILE_LENGTH);
    /** A claim not finished by then was left by a process that died, or stalls: it is abandoned (class comment). */
    private static final long CLAIM_WAIT_NS = 1_000_000_000L;
    private static final long CLAIMING_STATE = ProcessHandle.current().pid() << 8 | STATE_CLAIMING;

    /** How often {@link #open} tries again when the file at the path changes while it is being mapped. */
    private static final int OPEN_ATTEMPTS = 5;

    private final Path path;
    private final FileIdentity file;
    private final UnsafeBuffer buffer;
    /** The records this process found, by kind (the list's index) and name. */
    private final List<ConcurrentHashMap<String, Integer>> recordsByKind = new ArrayList<>();
    /**
     * Tests only, set before this instance is used: run by a claimer between writing a record's name and publishing
     * it, to stand for a claimer that stalls there; {@code null} in production.
     */
    Runnable whileClaiming;

    private SharedPhaseCounters(final Path path, final Object fileKey, final UnsafeBuffer buffer)
    {
        this.path = path;
        this.file = FileIdentity.fixedLength(path, fileKey, CountersDescriptor.FILE_LENGTH);
        this.buffer = buffer;
        for (int kind = 0; kind <= LAST_KIND; kind++)
        {
            recordsByKind.add(new ConcurrentHashMap<>());
        }
    }

    /**
     * The default file: {@code -Dmodelsel.counters=PATH} if set, else {@code /dev/shm/modelsel/counters} where
     * {@code /dev/shm} exists (memory only, gone at reboot), else {@code modelsel/counters} under the temp directory.
     */
    public static Path defaultPath()
    {
        return MappedFiles.defaultPath(PATH_PROPERTY, "counters");
    }

    /**
     * Opens the counters file, creating it (and its directory) if need be.
     *
     * @throws ForeignFileException when a file there is not a counters file of this layout; it is left as it is.
     */
    public static SharedPhaseCounters open(final Path path) throws IOException
    {
        return open(path, buffer ->
        {
        });
    }

    /**
     * Opens the counters file only if there is one: for a reader that must create nothing ({@code stats}).
     *
     * @throws NoSuchFileException when there is none.
     * @throws ForeignFileException when a file there is not a counters file of this layout; it is left as it is.
     */
    public static SharedPhaseCounters openExisting(final Path path) throws IOException
    {
        return open(path, null);
    }

    /**
     * @param initialise writes a new file's header fields beyond the layout's own, before the file is published;
     *                   {@code null}: never create the file.
     */
    static SharedPhaseCounters open(final Path path, final Consumer<UnsafeBuffer> initialise) throws IOException
    {
        JvmFlags.requireForAgrona("the shared counters file");
        final Path absolute = path.toAbsolutePath().normalize();
        if (absolute.getParent() != null && initialise != null)
        {
            Files.createDirectories(absolute.getParent());
        }
        for (int attempt = 1; ; attempt++)
        {
            if (initialise != null)
            {
                MappedFiles.createIfAbsent(absolute, KIND, buffer ->
                {
                    buffer.putInt(RECORD_LENGTH_OFFSET, RECORD_LENGTH);
                    buffer.putInt(RECORD_COUNT_OFFSET, RECORD_COUNT);
                    buffer.putLong(INCARNATION_OFFSET, newIncarnation());
                    initialise.accept(buffer);
                });
            }
            // The file checked and the file mapped must be one: a delete and a new file between the two is seen here.
            final Object checked = FileIdentity.keyOf(absolute);
            if (checked == null && initialise == null)
            {
                throw new NoSuchFileException(absolute.toString());
            }
            if (checked == null && attempt < OPEN_ATTEMPTS && !Files.exists(absolute, LinkOption.NOFOLLOW_LINKS))
            {
                continue; // deleted as soon as made
            }
            final String refusal = MappedFiles.refusal(absolute, KIND);
            if (refusal != null)
            {
                throw new ForeignFileException(absolute + ": " + refusal + "; refused, and left as it is");
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(MappedFiles.map(absolute, KIND));
            if (!Objects.equals(checked, FileIdentity.keyOf(absolute)))
            {
                if (attempt < OPEN_ATTEMPTS)
                {
                    continue;
                }
                throw new IOException(absolute + ": replaced again and again while being opened");
            }
            if (buffer.getInt(RECORD_LENGTH_OFFSET) != RECORD_LENGTH ||
                buffer.getInt(RECORD_COUNT_OFFSET) != RECORD_COUNT)
            {
                throw new ForeignFileException(absolute + ": a counters file with other record sizes; refused, and " +
                    "left as it is");
            }
            return new SharedPhaseCounters(absolute, checked, buffer);
        }
    }

    /**
     * Whether the path still names the file this instance maps: {@code null} while it does; else what became of it,
     * a sentence such as {@code "/dev/shm/modelsel/counters was deleted"}. Then what this instance adds reaches no
     * other process. Costs one {@code stat}; the answer can be out of date as soon as it is given.
     */
    public String staleReason()
    {
        return file.change();
    }

    /** {@code staleReason() != null}. */
    public boolean replacedOrGone()
    {
        return staleReason() != null;
    }

    /**
     * @return this when the path still names the file it maps; else the counters file now at the path, created if
     *         there is none. This instance stays usable (its mapping lives until it is garbage collected).
     */
    public SharedPhaseCounters reopenIfReplaced() throws IOException
    {
        return staleReason() == null ? this : open(path);
    }

    public Path path()
    {
        return path;
    }

    /**
     * This file's incarnation, written when it was made: the wall ms then, above {@link
     * CountersDescriptor#INCARNATION_RANDOM_BITS} random bits, so that a file deleted and made again is told from the
     * one before and is higher than it; {@link CountersDescriptor#NO_INCARNATION} in a file made before the field
     * existed, until {@link #assignIncarnation()}. Never writes.
     */
    public long incarnation()
    {
        return buffer.getLongVolatile(INCARNATION_OFFSET);
    }

    /** @return {@link #incarnation()}, first setting one (a compare-and-set: one wins) if the file has none. */
    public long assignIncarnation()
    {
        buffer.compareAndSetLong(INCARNATION_OFFSET, NO_INCARNATION, newIncarnation());
        return incarnation();
    }

    /**
     * For the replicator that sent the file at this path before, {@code previous}, and now finds this one there: the
     * others' slots of the host take only incarnations higher than the one they hold, so one no higher (made while
     * the wall clock was behind that file's, or in its millisecond with lower random bits) is raised above it,
     * with a compare-and-set, before it is sent. Only the path's one replicator sends the file, so no other host has
     * seen the value replaced.
     *
     * @return {@link #incarnation()}, set first if the file has none or it is not above {@code previous}; not above
     *         it only when {@code previous} is {@code Long.MAX_VALUE}.
     */
    public long assignIncarnationAbove(final long previous)
    {
        final long current = assignIncarnation();
        if (current <= previous && previous < Long.MAX_VALUE)
        {
            buffer.compareAndSetLong(INCARNATION_OFFSET, current, Math.max(newIncarnation(), previous + 1));
        }
        return incarnation();
    }

    /**
     * The host id in the header: a slot's host ({@link CounterSlots}), or in a host's own file the id its replicator
     * sends it as; {@code ""} when none has been written.
     */
    public String hostId()
    {
        final int length = buffer.getIntAcquire(HOST_LENGTH_OFFSET);
        if (length < 1 || length > MAX_HOST_BYTES)
        {
            return "";
        }
        final byte[] id = new byte[length];
        buffer.getBytes(HOST_OFFSET, id);
        return new String(id, StandardCharsets.US_ASCII);
    }

    /**
     * Writes the host id into the header, where it differs: the replicator of a host names its own file so that
     * {@code stats --cluster} can say which host it is. The length is cleared first and published last (a release
     * store), so that a reader sees the old id, none, or the new one.
     *
     * @param hostId 1 to 32 ASCII characters.
     */
    public void hostId(final String hostId)
    {
        writeHostId(buffer, hostId);
    }

    static void writeHostId(final UnsafeBuffer header, final String hostId)
    {
        final byte[] id = hostId.getBytes(StandardCharsets.US_ASCII);
        if (id.length < 1 || id.length > MAX_HOST_BYTES || !hostId.equals(new String(id, StandardCharsets.US_ASCII)))
        {
            throw new IllegalArgumentException("a host id is 1 to " + MAX_HOST_BYTES + " ASCII characters: " + hostId);
        }
        if (header.getIntVolatile(HOST_LENGTH_OFFSET) == id.length)
        {
            final byte[] now = new byte[id.length];
            header.getBytes(HOST_OFFSET, now);
            if (Arrays.equals(now, id))
            {
                return;
            }
        }
        header.putIntRelease(HOST_LENGTH_OFFSET, 0);
        header.putBytes(HOST_OFFSET, id);
        header.putIntRelease(HOST_LENGTH_OFFSET, id.length);
    }

    /**
     * A new incarnation: the wall ms above 20 random bits, so that a later file's is higher (a slot ignores lower
     * ones). The random bits are not a secure random (that would cost the first {@code run --counters}
     * milliseconds): this JVM's seed, mixed with its pid and the time; two files of a cluster made in one millisecond
     * have one incarnation by a 2^-20 chance.
     */
    private static long newIncarnation()
    {
        final long random = ThreadLocalRandom.current().nextLong() ^ ProcessHandle.current().pid() ^ System.nanoTime();
        final long id = (System.currentTimeMillis() << INCARNATION_RANDOM_BITS) |
            (random & ((1L << INCARNATION_RANDOM_BITS) - 1));
        return id == NO_INCARNATION ? 1 : id;
    }

    /** The header, for {@link CounterSlots}'s fields. */
    UnsafeBuffer header()
    {
        return buffer;
    }

    @Override
    public void reserve(final String model, final String category)
    {
        try
        {
            recordOf(KIND_MODEL, model);
            recordOf(KIND_CATEGORY, category);
        }
        catch (final InternalError fault)
        {
            throw fault("adding", fault);
        }
    }

    @Override
    public void addAttempt(
        final String model,
        final boolean failed,
        final boolean escalated,
        final long inputTokens,
        final long outputTokens,
        final long spendMicros,
        final boolean pricedByDefaults,
        final boolean outputUnpriced)
    {
        try
        {
            final int record = recordOf(KIND_MODEL, model);
            add(record, ATTEMPTS, 1);
            add(record, FAILURES, failed ? 1 : 0);
            add(record, ESCALATIONS, escalated ? 1 : 0);
            add(record, INPUT_TOKENS, inputTokens);
            add(record, OUTPUT_TOKENS, outputTokens);
            add(record, SPEND_MICROS, spendMicros);
            add(record, PRICED_BY_DEFAULTS, pricedByDefaults ? 1 : 0);
            add(record, OUTPUT_UNPRICED, outputUnpriced ? 1 : 0);
        }
        catch (final InternalError fault)
        {
            throw fault("adding", fault);
        }
    }

    @Override
    public void addPhase(final String category, final boolean escalated)
    {
        try
        {
            final int record = recordOf(KIND_CATEGORY, category);
            add(record, PHASES, 1);
            add(record, CATEGORY_ESCALATIONS, escalated ? 1 : 0);
        }
        catch (final InternalError fault)
        {
            throw fault("adding", fault);
        }
    }

    @Override
    public void forEachModel(final Visitor<ModelCounts> visitor)
    {
        try
        {
            forEach(KIND_MODEL, (name, r) -> visitor.accept(name, new ModelCounts(get(r, ATTEMPTS), get(r, FAILURES),
                get(r, ESCALATIONS), get(r, INPUT_TOKENS), get(r, OUTPUT_TOKENS), get(r, SPEND_MICROS),
                get(r, PRICED_BY_DEFAULTS), get(r, OUTPUT_UNPRICED))));
        }
        catch (final InternalError fault)
        {
            throw fault("reading", fault);
        }
    }

    @Override
    public void forEachCategory(final Visitor<CategoryCounts> visitor)
    {
        try
        {
            forEach(KIND_CATEGORY, (name, r) -> visitor.accept(name,
                new CategoryCounts(get(r, PHASES), get(r, CATEGORY_ESCALATIONS))));
        }
        catch (final InternalError fault)
        {
            throw fault("reading", fault);
        }
    }

    /**
     * The JVM's word for a fault in the mapped file's memory: a page gone because the file was truncated in place
     * under this process. Java sees it only where the fault was in a read, or in compiled code: a compare-and-set
     * from the interpreter kills the JVM instead (docs/costs.md).
     */
    private CountersFaultException fault(final String what, final InternalError cause)
    {
        return new CountersFaultException(path + ": " + what + " faulted (" + cause.getMessage() + "): the file was " +
            "truncated under this process; delete it, and the next process to record makes a new one");
    }

    /**
     * Adds a non-negative delta, saturating at {@code Long.MAX_VALUE}: a wrapped counter would be negative in every
     * process and could never be repaired, a saturated one is merely "more than can be said". A CAS loop, as
     * {@code getAndAddLong} cannot stop at the bound; lock-free, and without allocating.
     */
    private void add(final int record, final int counter, final long delta)
    {
        if (delta != 0)
        {
            final int offset = counterOffset(record, counter);
            long current;
            long next;
            do
            {
                current = buffer.getLongVolatile(offset);
                next = Saturating.add(current, delta);
                if (next == current)
                {
                    return;
                }
            }
            while (!buffer.compareAndSetLong(offset, current, next));
        }
    }

    long get(final int record, final int counter)
    {
        return buffer.getLongVolatile(counterOffset(record, counter));
    }

    /**
     * Raises a counter to {@code value} if it is below (a compare-and-set loop): how a slot takes another host's
     * absolute values, so that a value received twice, or after a later one, changes nothing.
     *
     * @return whether it rose.
     */
    boolean raise(final int record, final int counter, final long value)
    {
        final int offset = counterOffset(record, counter);
        long current;
        do
        {
            current = buffer.getLongVolatile(offset);
            if (current >= value)
            {
                return false;
            }
        }
        while (!buffer.compareAndSetLong(offset, current, value));
        return true;
    }

    /**
     * SPEC §7: the model's buckets, in the counters of a record of their own, so that every process that shares the
     * file draws from them. @throws CountersFullException when there is no room.
     */
    @Override
    public Slot buckets(final String modelId)
    {
        return new Slot(buffer, counterOffset(recordOf(KIND_BUCKETS, modelId), 0));
    }

    /** SPEC §7: the budget's spend, in the counters of a record of its own. */
    @Override
    public Slot budget(final String budgetName)
    {
        return new Slot(buffer, counterOffset(recordOf(KIND_BUDGET, budgetName), 0));
    }

    /**
     * This host's own spend of the budget (issue 14): added to beside {@link #budget} while {@link
     * #limitsReplicated()} says so, for the host's replicator to send the other hosts.
     */
    @Override
    public Slot budgetHere(final String budgetName)
    {
        return new Slot(buffer, counterOffset(recordOf(KIND_BUDGET_HERE, budgetName), 0));
    }

    /** The header's Limits Replicated word: non-zero once a replicator sends this file. */
    @Override
    public Slot limitsReplicated()
    {
        return new Slot(buffer, LIMITS_REPLICATED_OFFSET);
    }

    /**
     * For the host's replicator, before it first sends the file: from now on every process that takes from the
     * limits also counts what it took as this host's own (a word it reads on each reservation), which is what the
     * replicator sends. What was taken before is not counted: the other hosts never hear of it.
     */
    public void markLimitsReplicated(final long nowMs)
    {
        buffer.compareAndSetLong(LIMITS_REPLICATED_OFFSET, 0, Math.max(1, nowMs));
    }


    /** @return the kind of a ready, undamaged record, else 0 (free, being claimed, or damaged). */
    int readyKind(final int record)
    {
        final int offset = recordOffset(record);
        return buffer.getLongVolatile(offset) == STATE_READY && corruption(offset) == null ?
            buffer.getInt(offset + KIND_OFFSET) : 0;
    }

    /** The name a record holds; for a record {@link #readyKind} found ready. */
    String name(final int record)
    {
        final int offset = recordOffset(record);
        final byte[] name = new byte[buffer.getInt(offset + NAME_LENGTH_OFFSET)];
        buffer.getBytes(offset + NAME_OFFSET, name);
        return new String(name, StandardCharsets.UTF_8);
    }

    /** The record of a name, claimed if need be. @throws CountersFullException when there is no room. */
    int recordOf(final int kind, final String name)
    {
        final ConcurrentHashMap<String, Integer> records = recordsByKind.get(kind);
        final Integer known = records.get(name);
        if (known != null)
        {
            return known;
        }
        final int record = findOrClaim(kind, name);
        records.putIfAbsent(name, record);
        return record;
    }

    /** Searches from the name's hash onwards: its record, or a free one to claim. */
    private int findOrClaim(final int kind, final String name)
    {
        if (name.isEmpty())
        {
            throw new IllegalArgumentException("a counter name must not be empty");
        }
        final byte[] stored = storedName(name);
        final long hash = hash(kind, name.getBytes(StandardCharsets.UTF_8));
        final int start = (int)Long.remainderUnsigned(hash, RECORD_COUNT);
        for (int probe = 0; probe < RECORD_COUNT; probe++)
        {
            final int record = (start + probe) % RECORD_COUNT;
            final int offset = recordOffset(record);
            long state = buffer.getLongVolatile(offset);
            if (state == STATE_FREE && buffer.compareAndSetLong(offset, STATE_FREE, CLAIMING_STATE))
            {
                buffer.putInt(offset + KIND_OFFSET, kind);
                buffer.putInt(offset + NAME_LENGTH_OFFSET, stored.length);
                buffer.putLong(offset + NAME_HASH_OFFSET, hash);
                buffer.putBytes(offset + NAME_OFFSET, stored);
                if (whileClaiming != null)
                {
                    whileClaiming.run();
                }
                if (buffer.compareAndSetLong(offset, CLAIMING_STATE, STATE_READY))
                {
                    return record;
                }
                continue; // abandoned by a prober that outwaited us: the name's record, if any, is further on
            }
            state = awaitClaim(offset);
            if (state == STATE_READY && holds(offset, kind, hash, stored))
            {
                return record;
            }
        }
        throw new CountersFullException(path + ": full (" + RECORD_COUNT + " models, categories and limits); delete it when " +
            "no process records, to start counting afresh");
    }

    /**
     * Waits while another process claims the record; after {@code CLAIM_WAIT_NS} abandons the claim (its claimer
     * died or stalls), with a compare-and-set that fails only if the claimer published first (class comment).
     *
     * @return its state then: ready, abandoned, or anything else a damaged file holds; never claiming.
     */
    private long awaitClaim(final int offset)
    {
        final long giveUpAt = System.nanoTime() + CLAIM_WAIT_NS;
        long state = buffer.getLongVolatile(offset);
        while ((state & 0xFF) == STATE_CLAIMING)
        {
            if (System.nanoTime() - giveUpAt < 0)
            {
                Thread.onSpinWait();
            }
            else if (buffer.compareAndSetLong(offset, state, STATE_ABANDONED))
            {
                return STATE_ABANDONED;
            }
            state = buffer.getLongVolatile(offset);
        }
        return state;
    }

    private boolean holds(final int offset, final int kind, final long hash, final byte[] stored)
    {
        if (buffer.getInt(offset + KIND_OFFSET) != kind || buffer.getLong(offset + NAME_HASH_OFFSET) != hash ||
            buffer.getInt(offset + NAME_LENGTH_OFFSET) != stored.length)
        {
            return false;
        }
        for (int i = 0; i < stored.length; i++)
        {
            if (buffer.getByte(offset + NAME_OFFSET + i) != stored[i])
            {
                return false;
            }
        }
        return true;
    }

    private void forEach(final int kind, final RecordVisitor visitor)
    {
        for (int record = 0; record < RECORD_COUNT; record++)
        {
            final int offset = recordOffset(record);
            if (buffer.getLongVolatile(offset) == STATE_READY && buffer.getInt(offset + KIND_OFFSET) == kind &&
                corruption(offset) == null)
            {
                visitor.accept(name(record), record);
            }
        }
    }

    /**
     * Calls the visitor for each ready record that cannot be what a process wrote (the file was damaged): such a
     * record is left out of {@link #forEachModel} and {@link #forEachCategory}, its name never read, and it is never
     * taken for a name's record, so it only occupies its slot.
     */
    public void forEachCorrupt(final CorruptVisitor visitor)
    {
        try
        {
            for (int record = 0; record < RECORD_COUNT; record++)
            {
                final int offset = recordOffset(record);
                if (buffer.getLongVolatile(offset) == STATE_READY)
                {
                    final String why = corruption(offset);
                    if (why != null)
                    {
                        visitor.accept(record, why);
                    }
                }
            }
        }
        catch (final InternalError fault)
        {
            throw fault("reading", fault);
        }
    }

    /** A damaged record. */
    @FunctionalInterface
    public interface CorruptVisitor
    {
        /** @param record the record's index in the file, 0..4095; @param why what is wrong with it. */
        void accept(int record, String why);
    }

    /** @return what makes a ready record impossible, or {@code null}: its name length is checked before any read. */
    private String corruption(final int offset)
    {
        final int kind = buffer.getInt(offset + KIND_OFFSET);
        if (kind < KIND_MODEL || kind > LAST_KIND)
        {
            return "kind " + kind + ", not a model (" + KIND_MODEL + "), a category (" + KIND_CATEGORY + "), buckets (" +
                KIND_BUCKETS + ") or a budget's spend (" + KIND_BUDGET + ", " + KIND_BUDGET_HERE + " this host's)";
        }
        final int length = buffer.getInt(offset + NAME_LENGTH_OFFSET);
        if (length < 1 || length > MAX_NAME_BYTES)
        {
            return "name length " + length + ", outside 1.." + MAX_NAME_BYTES;
        }
        return null;
    }

    @FunctionalInterface
    private interface RecordVisitor
    {
        void accept(String name, int record);
    }

    /**
     * The name as the record holds it: its UTF-8, or for a name too long, its first 216 bytes (whole characters),
     * "~" and 15 hex digits of its hash, the same in every process.
     */
    static byte[] storedName(final String name)
    {
        final byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_NAME_BYTES)
        {
            return utf8;
        }
        int keep = MAX_NAME_BYTES - 16;
        while ((utf8[keep] & 0xC0) == 0x80)
        {
            keep--; // not inside a character
        }
        final byte[] suffix = String.format("~%015x", hash(0, utf8) >>> 4).getBytes(StandardCharsets.US_ASCII);
        final byte[] stored = Arrays.copyOf(utf8, keep + suffix.length);
        System.arraycopy(suffix, 0, stored, keep, suffix.length);
        return stored;
    }

    /** FNV-1a, 64 bits, of the kind and the name's UTF-8. */
    static long hash(final int kind, final byte[] utf8)
    {
        long hash = 0xcbf29ce484222325L ^ kind;
        hash *= 0x100000001b3L;
        for (final byte b : utf8)
        {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
