package dev.modelsel.engine.availability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.ThreadLocalRandom;

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
        Path temp = null;
        Path directory = null;
        UserPrincipal me = null;
        try
        {
            // Named by pid, owner-only; what it will hold is marked for deletion at the JVM's exit before it exists: a
            // command that ends before the preload does (help, a mistake, an empty table shown) exits with this
            // thread half-way, and the exit removes it (the files first: registered last).
            temp = Path.of(System.getProperty("java.io.tmpdir"));
            directory = temp.resolve(SCRATCH_PREFIX + PID + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            final Path scratch = directory.resolve("scratch.table");
            directory.toFile().deleteOnExit();
            scratch.toFile().deleteOnExit();
            ChronicleAvailabilityMap.sequencePath(scratch).toFile().deleteOnExit();
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            me = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS);
            sweepScratchOfDeadProcesses(temp, me);
            try (InputStream recorded = ChroniclePreload.class.getResourceAsStream(SCRATCH_MAP))
            {
                if (recorded != null)
                {
                    Files.copy(recorded, scratch);
                }
            }
            try (ChronicleAvailabilityMap opened = MapOpener.open(scratch)) // made here if no copy
            {
                opened.write("preload", (record, clock, host) ->
                {
                    record.setDown(clock, host);
                    return true;
                });
                opened.read("preload", new AvailabilityRecord());
            }
        }
        catch (final IOException | RuntimeException | Error ignored)
        {
            // the real open reports whatever went wrong
        }
        finally
        {
            if (me != null)
            {
                deleteOwnScratch(temp, directory.getFileName(), me);
            }
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

    /**
     * A process killed while preloading leaves its directory behind: the next preload on the host removes it, if it
     * is a directory of this user's whose process is gone (a live process in another pid namespace only loses a
     * preload). Through directory handles that do not follow links, so that nobody can steer the deletion elsewhere
     * by swapping a directory for a link; where the platform has no such handles, nothing is swept.
     */
    private static void sweepScratchOfDeadProcesses(final Path temp, final UserPrincipal me)
    {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(temp))
        {
            if (!(entries instanceof SecureDirectoryStream<Path> secure))
            {
                return;
            }
            for (final Path entry : entries)
            {
                final Path name = entry.getFileName();
                if (isDeadProcesssScratch(name.toString()))
                {
                    deleteScratch(secure, name, me);
                }
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // an unreadable temp directory: nothing to sweep
        }
    }

    private static boolean isDeadProcesssScratch(final String name)
    {
        if (!name.startsWith(SCRATCH_PREFIX))
        {
            return false;
        }
        final String rest = name.substring(SCRATCH_PREFIX.length());
        final int dash = rest.indexOf('-');
        if (dash <= 0 || dash > 18 || !rest.substring(0, dash).chars().allMatch(Character::isDigit))
        {
            return false;
        }
        return ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).isEmpty();
    }

    private static void deleteScratch(final SecureDirectoryStream<Path> temp, final Path name, final UserPrincipal me)
    {
        try
        {
            final PosixFileAttributes attributes = temp.getFileAttributeView(name, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS).readAttributes();
            if (!attributes.isDirectory() || !attributes.owner().equals(me))
            {
                return;
            }
            try (SecureDirectoryStream<Path> scratch = temp.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS))
            {
                for (final Path file : scratch)
                {
                    scratch.deleteFile(file.getFileName());
                }
            }
            temp.deleteDirectory(name);
        }
        catch (final IOException | RuntimeException ignored)
        {
            // swapped, another user's, or already gone
        }
    }

    private static void deleteOwnScratch(final Path temp, final Path name, final UserPrincipal me)
    {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(temp))
        {
            if (entries instanceof SecureDirectoryStream<Path> secure)
            {
                deleteScratch(secure, name, me);
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // gone already; or the JVM's exit removes it
        }
    }
}
