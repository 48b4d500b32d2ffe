package dev.modelsel.engine.cost;

import dev.modelsel.engine.mapped.ForeignFileException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import static dev.modelsel.engine.cost.CountersDescriptor.COUNTERS_PER_RECORD;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_BUCKETS;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_BUDGET_HERE;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_CATEGORY;
import static dev.modelsel.engine.cost.CountersDescriptor.KIND_MODEL;
import static dev.modelsel.engine.cost.CountersDescriptor.LAST_HEARD_OFFSET;
import static dev.modelsel.engine.cost.CountersDescriptor.MAX_HOST_BYTES;
import static dev.modelsel.engine.cost.CountersDescriptor.NO_INCARNATION;
import static dev.modelsel.engine.cost.CountersDescriptor.RETIRED_INCARNATION_OFFSET;
import static dev.modelsel.engine.cost.CountersDescriptor.SOURCE_INCARNATION_OFFSET;

/**
 * The counters the other hosts of a cluster sent (issue 13): beside a host's counters file {@code COUNTERS}, a
 * directory {@code COUNTERS.hosts} with one counters file per other host, named by its host id, of the same layout
 * ({@link CountersDescriptor}): its <i>slot</i>. A slot's header names its host and the incarnation of that host's
 * own file whose counters it holds; each counter holds the highest value received for it.
 * <p>
 * Why the highest: a host sends its own counters as absolute values, which only grow within one file, so a value
 * received twice, late, or after a later one raises nothing: nothing is counted twice and nothing steps back. A
 * host's file deleted and made again (to count afresh) has a new incarnation, higher than the one before (ordered by
 * the wall ms the file was made at, {@link SharedPhaseCounters#incarnation()}); the first message of it replaces the
 * slot whole (a new, empty file), and every message of a lower incarnation is ignored: a late one, or one replayed
 * long after, cannot bring an older file back, however many came between. Only the highest seen counts, so the
 * slot ends on the host's newest file whatever the order of arrival; the incarnation replaced is kept in the header
 * as retired, for a reader to tell.
 * <p>
 * Written by one thread of one process, the host's replicator ({@link #forWriting}); read by any ({@link #read}),
 * which creates nothing. A reader that mapped a slot before it was replaced keeps seeing the old file. Not
 * thread-safe for writing.
 */
public final class CounterSlots
{
    /** {@code COUNTERS.hosts}: the directory beside the counters file {@code COUNTERS}. */
    public static final String DIRECTORY_SUFFIX = ".hosts";

    /** What {@link #begin} found for a message's counters. */
    public enum Arrival
    {
        /** The slot holds this incarnation: its entries are raised into it. */
        SAME,
        /** There was no slot for the host: made, empty. */
        NEW,
        /** The slot held a lower incarnation of the host's file: made anew, empty. */
        REPLACED,
        /** An incarnation lower than the slot's (late or replayed): its entries are to be ignored. */
        RETIRED
    }

    /** A slot as {@link #read} found it. */
    public record Slot(String host, long sourceIncarnation, long lastHeardMs, SharedPhaseCounters counters)
    {
    }

    /** A slot's file looked for again (replaced or deleted under the writer) at most this often. */
    private static final long CHECK_EVERY_MS = 1_000;
    private static final Pattern HOST_ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_HOST_BYTES + "}");

    private final Path directory;
    private final Map<String, Open> open = new HashMap<>();

    private static final class Open
    {
        SharedPhaseCounters counters;
        long checkedMs;
    }

    private CounterSlots(final Path directory)
    {
        this.directory = directory;
    }

    /** The slots' directory of the counters file at {@code countersFile}. */
    public static Path directoryOf(final Path countersFile)
    {
        final Path absolute = countersFile.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + DIRECTORY_SUFFIX);
    }

    /** For the host's replicator: nothing is made until a message's counters are applied. */
    public static CounterSlots forWriting(final Path countersFile)
    {
        return new CounterSlots(directoryOf(countersFile));
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * Makes ready the host's slot for the counters of one message from it, before its entries: makes the slot if
     * there is none, makes it anew for a higher incarnation, and notes when the host was heard from; a lower one
     * changes nothing.
     *
     * @param host        a valid host id (never {@code .} or {@code ..}).
     * @param incarnation the incarnation of the host's own counters file that the message carries; never 0.
     * @param nowMs       this host's wall clock.
     * @return what it found; on {@link Arrival#RETIRED} the message's entries are to be ignored.
     * @throws ForeignFileException when something other than this host's slot is at its path; left as it is.
     * @throws IOException          when the slot cannot be made or opened.
     */
    public Arrival begin(final String host, final long incarnation, final long nowMs) throws IOException
    {
        if (incarnation == NO_INCARNATION)
        {
            throw new IllegalArgumentException("no incarnation");
        }
        final Path path = slotPath(host);
        Open slot = open.get(host);
        if (slot != null && nowMs - slot.checkedMs >= CHECK_EVERY_MS)
        {
            slot.checkedMs = nowMs;
            if (slot.counters.replacedOrGone())
            {
                open.remove(host); // deleted (to forget the host) or replaced: the file now at the path
                slot = null;
            }
        }
        Arrival arrival = Arrival.SAME;
        if (slot == null)
        {
            slot = new Open();
            slot.checkedMs = nowMs;
            slot.counters = openSlot(host, path);
            if (slot.counters == null)
            {
                slot.counters = make(host, path, incarnation, NO_INCARNATION);
                arrival = Arrival.NEW;
            }
            open.put(host, slot);
        }
        final long source = slot.counters.header().getLongVolatile(SOURCE_INCARNATION_OFFSET);
        if (incarnation < source && source != NO_INCARNATION)
        {
            return Arrival.RETIRED; // and not noted as heard: a replay must not make a silent host look alive
        }
        if (incarnation != source)
        {
            Files.deleteIfExists(path);
            slot.counters = make(host, path, incarnation, source);
            arrival = Arrival.REPLACED;
        }
        slot.counters.header().putLongRelease(LAST_HEARD_OFFSET, nowMs);
        return arrival;
    }

    /**
     * Raises each of a record's counters in the host's slot to the value received, where it is below; after
     * {@link #begin} for the host returned anything but {@link Arrival#RETIRED}.
     *
     * @param kind     {@link CountersDescriptor#KIND_MODEL} or {@link CountersDescriptor#KIND_CATEGORY}.
     * @param counters the record's 8 counters, absolute, none negative.
     * @return whether any rose.
     * @throws CountersFullException when the slot has no room for another record.
     */
    public boolean raise(final String host, final int kind, final String name, final long[] counters)
    {
        final Open slot = open.get(host);
        if (slot == null)
        {
            throw new IllegalStateException("no slot begun for host " + host);
        }
        if (kind != KIND_MODEL && kind != KIND_CATEGORY)
        {
            throw new IllegalArgumentException("kind " + kind + ", neither a model nor a category");
        }
        checkCounters(counters);
        final SharedPhaseCounters slotCounters = slot.counters;
        final int record = slotCounters.recordOf(kind, name);
        boolean rose = false;
        for (int i = 0; i < COUNTERS_PER_RECORD; i++)
        {
            rose |= slotCounters.raise(record, i, counters[i]);
        }
        return rose;
    }

    /** Applies what a host took from SPEC §7's limits since its slot's values ({@link #raiseTakes}). */
    @FunctionalInterface
    public interface TakesApplier
    {
        /** @param before the slot's values for the record (zeros if new); @param after the values received. */
        void apply(long[] before, long[] after);
    }

    /**
     * For a record of SPEC §7's limits ({@link CountersDescriptor#KIND_BUCKETS} or {@link
     * CountersDescriptor#KIND_BUDGET_HERE}, issue 14): hands the slot's values and those received to {@code
     * applier}, which applies the increase to this host's limits, then raises the slot's to them, so that the next
     * message applies only what is new. Applied before raised: a replicator killed between the two applies the
     * increase again when it next hears from the host, which errs towards refusing, never towards admitting twice.
     *
     * @param counters the record's 8 values, absolute, none negative.
     * @return whether any rose.
     * @throws CountersFullException when the slot has no room for another record.
     */
    public boolean raiseTakes(final String host, final int kind, final String name, final long[] counters,
        final TakesApplier applier)
    {
        final Open slot = open.get(host);
        if (slot == null)
        {
            throw new IllegalStateException("no slot begun for host " + host);
        }
        if (kind != KIND_BUCKETS && kind != KIND_BUDGET_HERE)
        {
            throw new IllegalArgumentException("kind " + kind + ", not of SPEC §7's limits");
        }
        checkCounters(counters);
        final SharedPhaseCounters slotCounters = slot.counters;
        final int record = slotCounters.recordOf(kind, name);
        final long[] before = new long[COUNTERS_PER_RECORD];
        for (int i = 0; i < COUNTERS_PER_RECORD; i++)
        {
            before[i] = slotCounters.get(record, i);
        }
        applier.apply(before, counters);
        boolean rose = false;
        for (int i = 0; i < COUNTERS_PER_RECORD; i++)
        {
            rose |= slotCounters.raise(record, i, counters[i]);
        }
        return rose;
    }

    private static void checkCounters(final long[] counters)
    {
        if (counters.length != COUNTERS_PER_RECORD)
        {
            throw new IllegalArgumentException(counters.length + " counters, not " + COUNTERS_PER_RECORD);
        }
        for (final long value : counters)
        {
            if (value < 0)
            {
                throw new IllegalArgumentException("a negative counter");
            }
        }
    }

    /**
     * Every other host's slot beside the counters file at {@code countersFile}, by host id; creates nothing. A file
     * there that is not a slot (of another layout, or naming another host) is told to {@code problems} and left out;
     * files being made (a {@code .tmp.} in their name) are passed over.
     */
    public static List<Slot> read(final Path countersFile, final Consumer<String> problems) throws IOException
    {
        final Path directory = directoryOf(countersFile);
        final List<Slot> slots = new ArrayList<>();
        if (!Files.isDirectory(directory))
        {
            return slots;
        }
        final TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory))
        {
            entries.forEach(entry -> names.add(entry.getFileName().toString()));
        }
        for (final String name : names)
        {
            if (name.contains(".tmp."))
            {
                continue;
            }
            final Path path = directory.resolve(name);
            if (hostProblem(name) != null || !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
            {
                problems.accept(path + ": not a host's slot (its name is not a host id, or it is not a file); skipped");
                continue;
            }
            try
            {
                final SharedPhaseCounters counters = SharedPhaseCounters.openExisting(path);
                final long source = counters.header().getLongVolatile(SOURCE_INCARNATION_OFFSET);
                if (!name.equals(counters.hostId()) || source == NO_INCARNATION)
                {
                    problems.accept(path + ": a counters file, but not host " + name + "'s slot (its header names " +
                        (counters.hostId().isEmpty() ? "no host" : "host \"" + counters.hostId() + "\"") +
                        "); skipped");
                    continue;
                }
                slots.add(new Slot(name, source, counters.header().getLongVolatile(LAST_HEARD_OFFSET), counters));
            }
            catch (final NoSuchFileException gone)
            {
                // replaced by the replicator between the listing and the opening: the host is left out this time
            }
            catch (final ForeignFileException ex)
            {
                problems.accept(ex.getMessage());
            }
        }
        return slots;
    }

    /** @return null when {@code host} can name a slot's file, else why not. */
    static String hostProblem(final String host)
    {
        if (host == null || !HOST_ID.matcher(host).matches() || host.equals(".") || host.equals(".."))
        {
            return "a host id is 1 to " + MAX_HOST_BYTES + " ASCII letters, digits, '.', '_' or '-', and not " +
                "\".\" or \"..\": " + host;
        }
        return null;
    }

    private Path slotPath(final String host)
    {
        final String problem = hostProblem(host);
        if (problem != null)
        {
            throw new IllegalArgumentException(problem);
        }
        return directory.resolve(host);
    }

    /** @return the slot at the path, or null when there is none. */
    private static SharedPhaseCounters openSlot(final String host, final Path path) throws IOException
    {
        final SharedPhaseCounters counters;
        try
        {
            counters = SharedPhaseCounters.openExisting(path);
        }
        catch (final NoSuchFileException none)
        {
            return null;
        }
        if (!host.equals(counters.hostId()))
        {
            throw new ForeignFileException(path + ": a counters file, but not host " + host + "'s slot; refused, " +
                "and left as it is");
        }
        return counters;
    }

    private static SharedPhaseCounters make(final String host, final Path path, final long incarnation,
        final long retired) throws IOException
    {
        final SharedPhaseCounters counters = SharedPhaseCounters.open(path, header ->
        {
            header.putLong(SOURCE_INCARNATION_OFFSET, incarnation);
            header.putLong(RETIRED_INCARNATION_OFFSET, retired);
            SharedPhaseCounters.writeHostId(header, host);
        });
        if (!host.equals(counters.hostId()) ||
            counters.header().getLongVolatile(SOURCE_INCARNATION_OFFSET) != incarnation)
        {
            throw new IOException(path + ": another file was put there while host " + host + "'s slot was being " +
                "made; the next message tries again");
        }
        return counters;
    }
}
