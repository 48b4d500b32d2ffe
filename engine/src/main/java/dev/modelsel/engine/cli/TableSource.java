package dev.modelsel.engine.cli;

import dev.modelsel.engine.availability.AvailabilityTable;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.availability.SharedAvailabilityTable;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

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

    /** @param path the table, or {@code null} for the default one. */
    static SharedAvailabilityTable openShared(final Path path)
    {
        try
        {
            return SharedAvailabilityTable.open(path == null ? SharedAvailabilityTable.defaultPath() : path);
        }
        catch (final IOException | IllegalStateException ex)
        {
            throw new UserError(UserError.FAILED, ex.getMessage());
        }
    }
}
