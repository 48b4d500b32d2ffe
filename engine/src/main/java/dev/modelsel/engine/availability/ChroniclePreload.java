package dev.modelsel.engine.availability;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's first open of the table spends about 0.4 s loading and initialising Chronicle Map's classes. This
 * does that work on a daemon thread, by running both kinds of open (create, and open existing) on a small scratch
 * map in a private temporary directory, so that it can overlap with other start-up work, and so that an open
 * holds the cross-process opening lock only for the open itself.
 * <p>
 * Only one thread may be inside Chronicle's static initialisers at a time: two initialising its classes in
 * different orders could deadlock. So whoever touches Chronicle first calls {@link #await()} or
 * {@link #awaitIfStarted()}. Thread-safe.
 */
final class ChroniclePreload
{
    private static final String SCRATCH_PREFIX = "modelsel-preload-";
    private static final long PID = ProcessHandle.current().pid();

    private static Thread thread;

    private ChroniclePreload()
    {
    }

    /** Starts the preload once per JVM; later calls return the same thread. */
    static synchronized Thread start()
    {
        if (thread == null)
        {
            thread = new Thread(ChroniclePreload::loadClasses, "modelsel-chronicle-preload");
            thread.setDaemon(true);
            thread.start();
        }
        return thread;
    }

    /** Returns once Chronicle's classes are loaded: by a preload started earlier, or else by one started now. */
    static void await()
    {
        join(start());
    }

    /** Returns once a preload, if one was started, has finished; starts none. */
    static void awaitIfStarted()
    {
        final Thread started;
        synchronized (ChroniclePreload.class)
        {
            started = thread;
        }
        if (started != null)
        {
            join(started);
        }
    }

    /** Waits however long it takes, keeping an interrupt for the caller's next blocking call to see. */
    private static void join(final Thread preload)
    {
        boolean interrupted = false;
        while (preload.isAlive())
        {
            try
            {
                preload.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Any failure is left for the real open to meet and report. */
    private static void loadClasses()
    {
        final Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        sweepScratchOfDeadProcesses(temp);
        Path directory = null;
        try
        {
            directory = Files.createTempDirectory(temp, SCRATCH_PREFIX + PID + "-"); // owner-only, named by pid
            final Path scratch = directory.resolve("scratch.table");
            // A command that ends before the preload does (help, a mistake, an empty table shown) exits with this
            // thread half-way: the JVM's exit removes what it made (the file first: registered last).
            directory.toFile().deleteOnExit();
            scratch.toFile().deleteOnExit();
            final ChronicleMapBuilder<CharSequence, AvailabilityEntry> small = ChronicleAvailabilityMap.builder().entries(16);
            final AvailabilityEntry entry = new AvailabilityEntry();
            try (ChronicleMap<CharSequence, AvailabilityEntry> created = small.createPersistedTo(scratch.toFile()))
            {
                created.put("preload", entry);
            }
            try (ChronicleMap<CharSequence, AvailabilityEntry> opened = small.createPersistedTo(scratch.toFile()))
            {
                opened.getUsing("preload", entry);
            }
        }
        catch (final IOException | RuntimeException | Error ignored)
        {
            // the real open reports whatever went wrong
        }
        finally
        {
            deleteQuietly(directory);
        }
    }

    /** A process killed while preloading leaves its directory behind: the next preload on the host removes it. */
    private static void sweepScratchOfDeadProcesses(final Path temp)
    {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(temp, SCRATCH_PREFIX + "*"))
        {
            for (final Path leftover : leftovers)
            {
                final String rest = leftover.getFileName().toString().substring(SCRATCH_PREFIX.length());
                final int dash = rest.indexOf('-');
                final long pid = dash > 0 && rest.substring(0, dash).chars().allMatch(Character::isDigit) ?
                    Long.parseLong(rest.substring(0, dash)) : -1;
                if (pid > 0 && ProcessHandle.of(pid).isEmpty())
                {
                    deleteQuietly(leftover);
                }
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // an unreadable temp directory: nothing to sweep
        }
    }

    /** A scratch directory and what is in it (one map file), or a lone file. */
    private static void deleteQuietly(final Path path)
    {
        if (path == null)
        {
            return;
        }
        try
        {
            if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS))
            {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(path))
                {
                    for (final Path file : files)
                    {
                        Files.deleteIfExists(file);
                    }
                }
            }
            Files.deleteIfExists(path);
        }
        catch (final IOException | RuntimeException ignored)
        {
            // another user's, or already gone
        }
    }
}
