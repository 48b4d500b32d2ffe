package dev.modelsel.engine.cli;

import dev.modelsel.engine.availability.AvailabilityTable;
import dev.modelsel.engine.availability.FollowedTable;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;

/** The {@code --availability [PATH]} option of {@code run} and {@code select}: the shared table, or a private one. */
final class TableSource
{
    private static final String DEFAULT = "";

    @Option(names = "--availability", paramLabel = "PATH", arity = "0..1", fallbackValue = DEFAULT,
        description = "Use the shared availability table at PATH (alone: the default table, see modelsel " +
            "availability --help). Without it the table is private to this command and starts empty.")
    String path;

    /**
     * @return the shared table when asked for, else a new private one.
     * @throws UserError when the shared table cannot be opened: not ours, missing JVM flags, unreadable.
     */
    AvailabilityTable open()
    {
        return path == null ? new InMemoryAvailabilityTable() : openShared(path.isEmpty() ? null : Path.of(path));
    }

    /**
     * For {@code run}: the shared table followed across deletions ({@link FollowedTable}), notes on stderr; else a new
     * private one.
     *
     * @throws UserError when the shared table cannot be opened.
     */
    AvailabilityTable openFollowed()
    {
        return path == null ? new InMemoryAvailabilityTable() :
            openFollowed(path.isEmpty() ? null : Path.of(path), false);
    }

    /**
     * @param path                  the table, or {@code null} for the default one.
     * @param followBeforeEachWrite see {@link FollowedTable#open}.
     */
    static FollowedTable openFollowed(final Path path, final boolean followBeforeEachWrite)
    {
        try
        {
            final Path table = path == null ? SharedAvailabilityTable.defaultPath() : path;
            requireWritable(table);
            return FollowedTable.open(table, followBeforeEachWrite, TableSource::note);
        }
        catch (final IOException ex)
        {
            throw new UserError(UserError.FAILED, describe(ex));
        }
        catch (final IllegalStateException ex)
        {
            throw new UserError(UserError.FAILED, ex.getMessage());
        }
    }

    /** A line on stderr while a command runs on: a shared file followed to a new one, or not to be opened again. */
    static void note(final String line)
    {
        System.err.println(line);
        System.err.flush();
    }

    /**
     * Refuses, in one line, a table this user may read but not write: every use of it, even {@code availability
     * show}, writes into both files (Chronicle Map takes its segment locks inside the mapped file, and the
     * {@code .seq} file counts the processes that have it open), so read-only access cannot be served. Reading around
     * the locks, or from a copy, could show a record half-written by a live writer.
     */
    private static void requireWritable(final Path table) throws IOException
    {
        for (final Path file : List.of(table, SharedAvailabilityTable.sequencePath(table)))
        {
            if (Files.exists(file) && !Files.isWritable(file))
            {
                throw new UserError(UserError.FAILED, file + ": owned by " + Files.getOwner(file).getName() + ", mode " +
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) + ", not writable by " +
                    System.getProperty("user.name") + "; every use of the table, even availability show, needs write " +
                    "permission on both of its files (Chronicle Map takes its locks by writing into them): run as " +
                    "the user whose processes share it");
            }
        }
    }

    /** An I/O failure as a sentence: "PATH: access denied" rather than a bare path. */
    static String describe(final IOException ex)
    {
        if (ex instanceof FileSystemException)
        {
            final FileSystemException fs = (FileSystemException)ex;
            final String reason = fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName()
                .replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
            return fs.getFile() + ": " + reason + (fs.getOtherFile() != null ? " (" + fs.getOtherFile() + ")" : "");
        }
        return ex.getMessage() != null ? ex.getMessage() : ex.toString();
    }

    /** @param path the table, or {@code null} for the default one. */
    static SharedAvailabilityTable openShared(final Path path)
    {
        try
        {
            final Path table = path == null ? SharedAvailabilityTable.defaultPath() : path;
            requireWritable(table);
            return SharedAvailabilityTable.open(table);
        }
        catch (final IOException ex)
        {
            throw new UserError(UserError.FAILED, describe(ex));
        }
        catch (final IllegalStateException ex)
        {
            throw new UserError(UserError.FAILED, ex.getMessage());
        }
    }
}
