package dev.modelsel.engine.cli;

import dev.modelsel.engine.cost.FollowedCounters;
import dev.modelsel.engine.cost.InMemoryPhaseCounters;
import dev.modelsel.engine.cost.PhaseCounters;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The {@code --counters [PATH]} option: the shared phase counters, or counters private to this command. */
final class CountersSource
{
    private static final String DEFAULT = "";

    @Option(names = "--counters", paramLabel = "PATH", arity = "0..1", fallbackValue = DEFAULT,
        description = "Count recorded phases in the shared counters file at PATH (alone: the default file, see " +
            "modelsel stats --help). Without it the counts are private to this command.")
    String path;

    PhaseCounters open()
    {
        return path == null ? new InMemoryPhaseCounters() : openShared(path.isEmpty() ? null : Path.of(path));
    }

    /** For {@code run}: the shared file followed across deletions ({@link FollowedCounters}), else private counters. */
    PhaseCounters openFollowed()
    {
        if (path == null)
        {
            return new InMemoryPhaseCounters();
        }
        try
        {
            return FollowedCounters.open(path.isEmpty() ? SharedPhaseCounters.defaultPath() : Path.of(path),
                TableSource::note);
        }
        catch (final IOException ex)
        {
            throw new UserError(UserError.FAILED, TableSource.describe(ex));
        }
        catch (final IllegalStateException ex)
        {
            throw new UserError(UserError.FAILED, ex.getMessage());
        }
    }

    /** @param path the file, or {@code null} for the default one. */
    static SharedPhaseCounters openShared(final Path path)
    {
        try
        {
            return SharedPhaseCounters.open(path == null ? SharedPhaseCounters.defaultPath() : path);
        }
        catch (final IOException ex)
        {
            throw new UserError(UserError.FAILED, TableSource.describe(ex));
        }
        catch (final IllegalStateException ex)
        {
            throw new UserError(UserError.FAILED, ex.getMessage());
        }
    }
}
