package dev.modelsel.engine.availability;

import net.openhft.chronicle.hash.ChronicleHashClosedException;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.hash.locks.InterProcessDeadLockException;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.map.MapSegmentContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists the map for {@link AvailabilityTable#forEach}: each model id found, once, with the record that a read of
 * that id gives (a corrupt one flagged), and apart from those, everything else the walk finds, as damage by position
 * ("segment 3, entry 7: ..."). So a listing never shows a model in a state that the selector does not see: an entry
 * whose key cannot be read, one that a lookup of its own id does not find (a damaged key, or a damaged index), an id
 * found twice, a segment that cannot be walked, or fewer entries than were ever put in (the index lost some, whose
 * models now read as unknown) are damage, not records. The count of entries put in is compared only while it is of
 * the map this process opened and known (see {@link SharedTableDescriptor}, Records Inserted).
 * <p>
 * Segments are walked one at a time, each under its lock; the records are checked by lookup and handed to the
 * visitor after the walk, outside any lock. Not thread-safe: one per listing.
 */
final class MapListing
{
    /** A writer that inserts while the listing walks moves the count: the listing walks again, this many times. */
    private static final int ATTEMPTS = 3;
    /** Longer than any key an entry can hold: an entry must fit in one tier, well under a megabyte. */
    private static final long MAX_KEY_BYTES = 1 << 20;

    /** One entry as the walk found it: its model id, or why it has none. */
    private record Found(String where, String modelId, String problem)
    {
    }

    private final ChronicleMap<CharSequence, AvailabilityEntry> map;
    private final SequenceFile sequence;
    private final int countGeneration;
    private final TableFaults faults;

    /** @param countGeneration of the count of records that this map's inserts go to (see SharedTableDescriptor). */
    MapListing(
        final ChronicleMap<CharSequence, AvailabilityEntry> map,
        final SequenceFile sequence,
        final int countGeneration,
        final TableFaults faults)
    {
        this.map = map;
        this.sequence = sequence;
        this.countGeneration = countGeneration;
        this.faults = faults;
    }

    /** Receives each model's entry as a read of its id gives it. */
    @FunctionalInterface
    interface EntryVisitor
    {
        /** @param entry a reused holder; believe its fields only when {@code intact}. */
        void accept(String modelId, AvailabilityEntry entry, boolean intact);
    }

    /** @return the damage found, each as "where: what"; empty when the whole map was read as records. */
    List<String> list(final EntryVisitor visitor)
    {
        for (int attempt = 1; ; attempt++)
        {
            final long insertedBefore = sequence.recordsInserted();
            final List<Found> found = new ArrayList<>();
            final List<String> damage = new ArrayList<>();
            for (int segment = 0; segment < map.segments(); segment++)
            {
                walk(segment, found, damage);
            }
            final long inserted = sequence.recordsInserted();
            if (inserted != insertedBefore && attempt < ATTEMPTS)
            {
                continue;
            }
            report(found, damage, visitor);
            final long count = SequenceFile.count(inserted);
            if (inserted == insertedBefore && countGeneration != 0 &&
                SequenceFile.countGeneration(inserted) == countGeneration && found.size() != count)
            {
                damage.add("the map's index lists " + found.size() + " entries, but " + count + " were put in: " +
                    (found.size() < count ? "it has lost some, whose models read as unknown (available)" :
                    "it lists some that were never put in"));
            }
            return damage;
        }
    }

    private void walk(final int segment, final List<Found> found, final List<String> damage)
    {
        final int before = found.size();
        try (MapSegmentContext<CharSequence, AvailabilityEntry, ?> context = map.segmentContext(segment))
        {
            context.forEachSegmentEntry(entry ->
                found.add(read(entry, "segment " + segment + ", entry " + (found.size() - before + 1))));
        }
        catch (final InterProcessDeadLockException stuck)
        {
            damage.add(faults.stuck("segment " + segment).getMessage());
        }
        catch (final ChronicleHashClosedException closed)
        {
            throw closed;
        }
        catch (final RuntimeException broken)
        {
            damage.add("segment " + segment + ": walking it stopped after " + (found.size() - before) + " entries (" +
                TableFaults.describe(broken) + ")");
        }
    }

    private static Found read(final MapEntry<CharSequence, AvailabilityEntry> entry, final String where)
    {
        try
        {
            final Data<CharSequence> key = entry.key();
            if (key.size() > MAX_KEY_BYTES)
            {
                return new Found(where, null, "its key's length reads " + key.size() + " bytes");
            }
            return new Found(where, key.getUsing(new StringBuilder()).toString(), null);
        }
        catch (final RuntimeException unreadable)
        {
            return new Found(where, null, "its key cannot be read (" + TableFaults.describe(unreadable) + ")");
        }
    }

    /**
     * Reports, for each id found, what a read of that id gives, which is what the selector sees; an entry that the
     * read does not reach is damage (a concurrent write only changes what the read gives, never whether it finds
     * the id: nothing is ever removed).
     */
    private void report(final List<Found> found, final List<String> damage, final EntryVisitor visitor)
    {
        final Set<String> listed = new HashSet<>();
        final AvailabilityEntry entry = new AvailabilityEntry();
        for (final Found f : found)
        {
            if (f.problem() != null)
            {
                damage.add(f.where() + ": " + f.problem());
                continue;
            }
            final String id = "\"" + f.modelId() + "\"";
            final String lookupProblem = lookUp(f.modelId(), entry);
            if (lookupProblem != null)
            {
                damage.add(f.where() + ": a record under " + id + " that " + lookupProblem);
            }
            else if (!listed.add(f.modelId()))
            {
                damage.add(f.where() + ": " + id + " a second time (a key or the map's index is damaged)");
            }
            else
            {
                visitor.accept(f.modelId(), entry, entry.intact(f.modelId()));
            }
        }
    }

    /** @return why a read of the id finds nothing, or {@code null} when it fills {@code into}. */
    private String lookUp(final String modelId, final AvailabilityEntry into)
    {
        try
        {
            return map.getUsing(modelId, into) == null ?
                "a lookup of that id does not find (its key, or the map's index, is damaged)" : null;
        }
        catch (final InterProcessDeadLockException stuck)
        {
            return "cannot be looked up: " + faults.stuck("its segment").getMessage();
        }
        catch (final ChronicleHashClosedException closed)
        {
            throw closed;
        }
        catch (final RuntimeException broken)
        {
            return "cannot be looked up (" + TableFaults.describe(broken) + ")";
        }
    }
}
