package dev.modelsel.engine.availability;

import dev.modelsel.engine.mapped.FileIdentity;
import dev.modelsel.engine.mapped.MappedFiles;
import net.openhft.chronicle.map.ChronicleMap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static dev.modelsel.engine.availability.SharedTableDescriptor.OPENING_STEP_CREATING;
import static dev.modelsel.engine.availability.SharedTableDescriptor.OPENING_STEP_NONE;
import static dev.modelsel.engine.availability.SharedTableDescriptor.OPENING_STEP_RECOVERING;

/**
 * Opens, creates, recovers and deletes a shared table's two files per the protocol of {@link SharedTableDescriptor}:
 * one process at a time (the opening lock on {@code PATH.seq}), each step noted in {@code PATH.seq} while it runs, so
 * that the next opener can finish what a killed one left half done.
 * <p>
 * Thread-safe (stateless); {@link SharedAvailabilityTable} keeps one open map per file in a JVM.
 */
final class MapOpener
{
    /**
     * Tests only, for a creator in another JVM (a test-only seam of this JVM cannot reach there): when set to the path
     * of a file that exists, a process creating a map, once Chronicle has made the map and before this process has
     * finished with it, creates {@code PATH.reached} and waits there to be killed, while the file exists and at most
     * {@link #PAUSE_AT_MOST_MS}. Set by accident, to a path with no file, it does nothing; it never waits for ever.
     */
    static final String PAUSE_WHILE_CREATING_PROPERTY = "modelsel.test.pauseWhileCreating";
    private static final long PAUSE_AT_MOST_MS = 60_000;

    /** Tests only, in this JVM: runs between the look for PATH.seq and its opening, where another process may come. */
    private static volatile TestStep afterLookingForSequence;

    private MapOpener()
    {
    }

    @FunctionalInterface
    interface TestStep
    {
        void run(Path table) throws IOException;
    }

    static void afterLookingForSequence(final TestStep step)
    {
        afterLookingForSequence = step;
    }

    /**
     * Opens the table at {@code path}, creating it if it does not exist. One process at a time opens (a lock on the
     * sequence file). If no other process has the map open but the sequence file still counts one, a process died
     * with it open: the map is recovered first, which releases any entry lock the dead writer held.
     *
     * @throws ForeignTableException when either file is not one of ours, or is ours but of another layout or damaged;
     *                               neither is changed.
     */
    static ChronicleAvailabilityMap open(final Path path) throws IOException
    {
        for (int attempt = 1; ; attempt++)
        {
            refuseIfForeign(path, MapFileCheck.checkHeader(path)); // before creating anything beside a file not ours
            final Path sequencePath = ChronicleAvailabilityMap.sequencePath(path);
            final boolean createsSequence = !Files.exists(sequencePath, LinkOption.NOFOLLOW_LINKS);
            final TestStep hook = afterLookingForSequence;
            if (hook != null)
            {
                hook.run(path);
            }
            try
            {
                final SequenceFile sequence = SequenceFile.openOrCreate(sequencePath);
                try
                {
                    final Opened opened = sequence.whileOpening(() -> openMapOrLeaveNothing(path, sequence,
                        createsSequence));
                    return new ChronicleAvailabilityMap(path, sequence, opened.map, opened.recovered, opened.mapFile,
                        opened.countGeneration);
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
        }
    }

    /**
     * Under the opening lock: {@link #openMap}, and when that fails because the map is not a usable table (refused) or
     * could not be made (a full file system), deletes the PATH.seq that this process found missing, so as to leave
     * nothing beside it. Only when it is still no process's: another may have made it between this process's look
     * and its opening, and use it; so not while PATH.seq counts an open handle or notes a step, nor while another
     * process has the map open.
     */
    private static Opened openMapOrLeaveNothing(final Path path, final SequenceFile sequence,
        final boolean foundNoSequence) throws IOException
    {
        try
        {
            return openMap(path, sequence);
        }
        catch (final IOException failed)
        {
            final boolean noTable = failed instanceof ForeignTableException ||
                !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
            if (foundNoSequence && noTable && sequence.openHandles() == 0 &&
                sequence.openingStep() == OPENING_STEP_NONE && (!isNonEmptyFile(path) || noOtherProcessHasItOpen(path)))
            {
                Files.deleteIfExists(sequence.file().path());
            }
            throw failed;
        }
    }

    /**
     * @param mapFile         as it was under the opening lock: no modelsel process makes another one meanwhile.
     * @param countGeneration of PATH.seq's count of records, as this process found it then: the one it counts into.
     */
    private record Opened(
        ChronicleMap<CharSequence, AvailabilityEntry> map, boolean recovered, FileIdentity mapFile, int countGeneration)
    {
        Opened(final ChronicleMap<CharSequence, AvailabilityEntry> map, final boolean recovered)
        {
            this(map, recovered, null, 0);
        }
    }

    /**
     * Deletes a table, both files, when it is ours (of this layout or an older one, damaged or not) and no process has
     * it open; refuses otherwise and changes nothing. This process must not have it open either. A table left
     * incomplete by a process that died while creating or recovering it is deleted too.
     */
    static void delete(final Path path) throws IOException
    {
        final MapFileCheck.Result check = MapFileCheck.check(path);
        refuseIfForeign(path, check);
        final Path sequence = ChronicleAvailabilityMap.sequencePath(path);
        final Object sequenceKey = FileIdentity.keyOf(sequence);
        if (sequenceKey == null)
        {
            if (check.verdict() == MapFileCheck.Verdict.INCOMPLETE)
            {
                throw new ForeignTableException(path + ": " + check.reason() + ", and no " + sequence + " beside it " +
                    "(a program other than modelsel may be making it); refused, and left as it is");
            }
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS))
            {
                refuseIfInUse(path);
                Files.delete(path); // ours by its header, never opened by modelsel (or its sequence file was deleted)
            }
            return;
        }
        if (!SequenceFile.deletable(sequence))
        {
            throw new ForeignTableException(sequence + ": " + SequenceFile.refusal(sequence) + "; refused, and left " +
                "as it is");
        }
        SequenceFile.whileOpening(sequence, sequenceKey, () ->
        {
            refuseIfInUse(path);
            Files.deleteIfExists(path);
            Files.delete(sequence);
            return null;
        });
    }

    private static void refuseIfInUse(final Path path) throws IOException
    {
        if (Files.exists(path) && Files.size(path) > 0 && !noOtherProcessHasItOpen(path))
        {
            throw new IllegalStateException(path + ": in use by another process; stop every process that uses " +
                "it first (or clear models one by one with set-up)");
        }
    }

    /**
     * Under the opening lock, so that no other modelsel process is creating or recovering the map meanwhile: a step
     * still noted in the sequence file was left by an opener that died during it.
     */
    private static Opened openMap(final Path path, final SequenceFile sequence) throws IOException
    {
        final int unfinished = unfinishedStep(path, sequence);
        if (unfinished == OPENING_STEP_CREATING &&
            MapFileCheck.checkHeader(path).verdict() != MapFileCheck.Verdict.FOREIGN)
        {
            Files.deleteIfExists(path); // its creator died before any process could open it: it holds nothing
        }
        else if (unfinished == OPENING_STEP_RECOVERING &&
            MapFileCheck.checkHeader(path).verdict() == MapFileCheck.Verdict.INCOMPLETE)
        {
            markComplete(path); // so that the recovery run again starts at once; the header's checksum is checked next
        }
        // Decided before the check: what a recovery rewrites is not held against a table it is due for (a writer
        // killed while linking a tier leaves a link that the whole check would refuse); the whole check runs after.
        final boolean alone = isNonEmptyFile(path) && noOtherProcessHasItOpen(path);
        final boolean recoveryDue = alone && (unfinished == OPENING_STEP_RECOVERING || sequence.openHandles() != 0 ||
            sequence.recoveryWanted());
        final MapFileCheck.Result check = MapFileCheck.check(path,
            recoveryDue ? MapFileCheck.Scope.BEFORE_RECOVERY : MapFileCheck.Scope.WHOLE);
        final Opened opened;
        switch (check.verdict())
        {
            case ABSENT:
                opened = new Opened(checkTypes(path, create(path, sequence)), false);
                break;
            case OURS:
                opened = recoveryDue ? new Opened(recover(path, sequence), true) : openExisting(path, sequence, alone);
                break;
            case INCOMPLETE:
                throw new ForeignTableException(path + ": " + check.reason() + ", yet no modelsel process was " +
                    "creating or recovering it (" + ChronicleAvailabilityMap.sequencePath(path).getFileName() +
                    " notes none); refused, and left as it is (modelsel availability reset deletes it once no process " +
                    "uses it)");
            default:
                throw refusal(path, check);
        }
        sequence.opened();
        return new Opened(opened.map, opened.recovered, FileIdentity.growing(path),
            SequenceFile.countGeneration(sequence.recordsInserted()));
    }

    /**
     * The step a killed opener left noted, if it is one: creating and recovering run only while no other process has
     * the map open, so a step noted while one has it open, or a value that no opener writes, is damage to the
     * sequence file, and is cleared rather than acted on (acting on it could delete a map in use).
     */
    private static int unfinishedStep(final Path path, final SequenceFile sequence) throws IOException
    {
        final int noted = sequence.openingStep();
        if (noted == OPENING_STEP_NONE)
        {
            return OPENING_STEP_NONE;
        }
        final boolean genuine = (noted == OPENING_STEP_CREATING || noted == OPENING_STEP_RECOVERING) &&
            (!isNonEmptyFile(path) || noOtherProcessHasItOpen(path));
        if (!genuine)
        {
            sequence.openingStep(OPENING_STEP_NONE);
            return OPENING_STEP_NONE;
        }
        return noted;
    }

    /**
     * Creates the map under the opening lock, every page of its file allocated: without JNR Chronicle cannot
     * {@code posix_fallocate}, and a page first touched through the mapping on a full file system (a small
     * {@code /dev/shm}) would fail as an {@code InternalError} in whichever process wrote there. The pages are
     * allocated while the new map is closed: closing any channel of a file drops every lock this process holds on
     * it, Chronicle's "this process has it open" lock included. A failure leaves no half-made file behind: this
     * process made it, and no other has seen it; a kill leaves the step noted, for the next opener to start over.
     */
    private static ChronicleMap<CharSequence, AvailabilityEntry> create(final Path path, final SequenceFile sequence)
        throws IOException
    {
        sequence.openingStep(OPENING_STEP_CREATING);
        try
        {
            ChronicleAvailabilityMap.builder().createPersistedTo(path.toFile()).close();
            pauseIfTestAsks();
            MappedFiles.allocateEveryPage(path); // while no process has it open: see its note
            final ChronicleMap<CharSequence, AvailabilityEntry> map =
                ChronicleAvailabilityMap.builder().createPersistedTo(path.toFile());
            sequence.startRecordCount(0);
            sequence.recovered(); // a new map: counts left with an old sequence file are moot
            return map;
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
        finally
        {
            sequence.openingStep(OPENING_STEP_NONE);
        }
    }

    /** @param alone whether no other process has the map open: then a count of its records can be started. */
    private static Opened openExisting(final Path path, final SequenceFile sequence, final boolean alone)
        throws IOException
    {
        final ChronicleMap<CharSequence, AvailabilityEntry> asItIs = checkTypes(path, openAsItIs(path));
        if (alone && SequenceFile.countGeneration(sequence.recordsInserted()) == 0)
        {
            sequence.startRecordCount(asItIs.longSize()); // a PATH.seq made beside the map: it counted none of it
        }
        return new Opened(asItIs, false);
    }

    /**
     * Chronicle's recovery: releases locks that dead processes held, rebuilds counters and tier links, drops entries
     * whose bytes fail Chronicle's own checksum. It marks the header incomplete while it runs; killed meanwhile, it
     * leaves the step noted, and the next opener runs it again (a failed one stays noted too: the table is refused
     * until it succeeds or a reset deletes it). Then the whole structure check, which the recovery must have left
     * nothing to refuse; the map is closed for it (closing the check's channel would drop this process's lock on the
     * file) and opened again as it is.
     */
    private static ChronicleMap<CharSequence, AvailabilityEntry> recover(final Path path, final SequenceFile sequence)
        throws IOException
    {
        // Chronicle's own open checks the file's length against its header and never writes: a truncated table
        // fails here, before recovery could "repair" it by growing it back.
        checkTypes(path, openAsItIs(path)).close();
        sequence.openingStep(OPENING_STEP_RECOVERING);
        try (ChronicleMap<CharSequence, AvailabilityEntry> recovered =
            ChronicleAvailabilityMap.builder().recoverPersistedTo(path.toFile(), true))
        {
            sequence.startRecordCount(recovered.longSize());
        }
        catch (final IOException | RuntimeException failed)
        {
            throw new ForeignTableException(path + ": Chronicle Map cannot recover it (" + TableFaults.describe(failed) +
                "), and may have changed it trying; refused (modelsel availability reset deletes it once no process " +
                "uses it)");
        }
        sequence.recovered();
        sequence.openingStep(OPENING_STEP_NONE);
        final MapFileCheck.Result check = MapFileCheck.check(path);
        if (check.verdict() != MapFileCheck.Verdict.OURS)
        {
            throw new ForeignTableException(path + ": a modelsel availability table, damaged, and still so after " +
                "Chronicle's recovery rewrote what it could: " + check.reason() + "; refused (once no process uses it, " +
                "modelsel availability reset deletes it, its records lost, and the next process to use it makes a " +
                "new one)");
        }
        return openAsItIs(path);
    }

    /** Clears the header's "not complete" bit, as Chronicle's recovery does when it has finished. */
    private static void markComplete(final Path path) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer sizeWord = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(sizeWord, MapFileCheck.SIZE_WORD_OFFSET);
            sizeWord.putInt(0, sizeWord.getInt(0) & ~MapFileCheck.NOT_COMPLETE).rewind();
            channel.write(sizeWord, MapFileCheck.SIZE_WORD_OFFSET);
        }
    }

    private static void pauseIfTestAsks() throws IOException
    {
        final String asked = System.getProperty(PAUSE_WHILE_CREATING_PROPERTY);
        final Path gate = asked == null ? null : Path.of(asked);
        if (gate == null || !Files.isRegularFile(gate))
        {
            return;
        }
        Files.createFile(gate.resolveSibling(gate.getFileName() + ".reached"));
        final long giveUpAt = System.currentTimeMillis() + PAUSE_AT_MOST_MS;
        try
        {
            while (Files.exists(gate) && System.currentTimeMillis() < giveUpAt)
            {
                Thread.sleep(10);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
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
            return ChronicleAvailabilityMap.builder().createPersistedTo(path.toFile());
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new ForeignTableException(path + ": Chronicle Map cannot open it: " + TableFaults.describe(ex) +
                "; refused, and left as it is (modelsel availability reset deletes it once no process uses it)");
        }
    }

    private static void refuseIfForeign(final Path path, final MapFileCheck.Result check) throws ForeignTableException
    {
        if (check.verdict() == MapFileCheck.Verdict.FOREIGN)
        {
            throw refusal(path, check);
        }
    }

    private static ForeignTableException refusal(final Path path, final MapFileCheck.Result check)
    {
        switch (check.verdict())
        {
            case OTHER_LAYOUT:
                return new ForeignTableException(path + ": " + check.reason() + "; refused, and left as it is (once " +
                    "no process uses it, modelsel availability reset deletes it, its records lost, and the next " +
                    "process to use it makes a new one)");
            case DAMAGED:
                return new ForeignTableException(path + ": a modelsel availability table, damaged: " + check.reason() +
                    "; refused, and left as it is (once no process uses it, modelsel availability reset deletes it, " +
                    "its records lost, and the next process to use it makes a new one)");
            default:
                return new ForeignTableException(path + ": not a modelsel availability table: " + check.reason() +
                    "; refused, and left as it is");
        }
    }

    private static boolean isNonEmptyFile(final Path path) throws IOException
    {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && Files.size(path) > 0;
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
}
