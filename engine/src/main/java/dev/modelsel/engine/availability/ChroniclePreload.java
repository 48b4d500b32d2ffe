package dev.modelsel.engine.availability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's first open of the table spends about 0.4 s loading and initialising Chronicle Map's classes. This
 * does that work on a daemon thread, by opening, writing and reading a small scratch map in a private temporary
 * directory, so that it can overlap with other start-up work, and so that an open holds the cross-process opening
 * lock only for the open itself. Two things the build recorded (engine/src/build/java/RecordPreload.java) make it
 * cheaper: a scratch map made at build time, copied and opened rather than created (creating writes the header,
 * a fifth of the work, which only the host's first process needs); and the list of classes that opening loads,
 * which a second thread loads, without initialising them, on the other core meanwhile.
 * <p>
 * Only one thread may be inside Chronicle's static initialisers at a time: two initialising its classes in
 * different orders could deadlock. So whoever touches Chronicle first calls {@link #await()} or
 * {@link #awaitIfStarted()}. Thread-safe.
 */
final class ChroniclePreload
{
    private static final String SCRATCH_PREFIX = "modelsel-preload-";
    private static final String SCRATCH_MAP = "preload-scratch.table";
    private static final String CLASSES = "preload-classes.txt";
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
            final Thread loader = new Thread(ChroniclePreload::loadRecordedClasses, "modelsel-chronicle-class-loader");
            loader.setDaemon(true);
            loader.start();
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

    /**
     * Opens, writes and reads a scratch table through the same protocol as the real one (file check, sequence file,
     * opening lock, Chronicle), starting from the build's copy of a small map when the jar has it. Any failure is
     * left for the real open to meet and report.
     */
    static void loadClasses()
    {
        final Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        sweepScratchOfDeadProcesses(temp);
        Path directory = null;
        try
        {
            directory = Files.createTempDirectory(temp, SCRATCH_PREFIX + PID + "-"); // owner-only, named by pid
            final Path scratch = directory.resolve("scratch.table");
            // A command that ends before the preload does (help, a mistake, an empty table shown) exits with this
            // thread half-way: the JVM's exit removes what it made (the files first: registered last).
            directory.toFile().deleteOnExit();
            scratch.toFile().deleteOnExit();
            ChronicleAvailabilityMap.sequencePath(scratch).toFile().deleteOnExit();
            try (InputStream recorded = ChroniclePreload.class.getResourceAsStream(SCRATCH_MAP))
            {
                if (recorded != null)
                {
                    Files.copy(recorded, scratch);
                }
            }
            try (ChronicleAvailabilityMap opened = ChronicleAvailabilityMap.open(scratch)) // made here if no copy
            {
                opened.update("preload", entry -> entry.down = true);
                opened.read("preload", new AvailabilityRecord());
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

    /**
     * Loads, without initialising, the classes the build saw an open load: defining classes (reading, parsing,
     * verifying) is a quarter of the preload's work and, unlike initialising them, safe on two threads at once.
     */
    private static void loadRecordedClasses()
    {
        try (InputStream recorded = ChroniclePreload.class.getResourceAsStream(CLASSES))
        {
            if (recorded == null)
            {
                return;
            }
            final ClassLoader loader = ChroniclePreload.class.getClassLoader();
            for (final String name : new String(recorded.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
            {
                try
                {
                    Class.forName(name, false, loader);
                }
                catch (final ClassNotFoundException | LinkageError notHere)
                {
                    // another Chronicle than the build's: the preload loads what it needs itself
                }
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // an optimisation only
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
