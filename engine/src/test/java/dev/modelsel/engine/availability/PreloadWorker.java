package dev.modelsel.engine.availability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A child JVM for {@link PreloadTest}: starts the preload and exits once it is done ({@code wait}), or as soon as
 * its scratch directory exists, half-way through ({@code exit}).
 */
public final class PreloadWorker
{
    private PreloadWorker()
    {
    }

    public static void main(final String[] args) throws IOException, InterruptedException
    {
        SharedAvailabilityTable.preload();
        if (args[0].equals("wait"))
        {
            ChroniclePreload.await();
        }
        else
        {
            final String mine = "modelsel-preload-" + ProcessHandle.current().pid() + "-";
            final long giveUpAt = System.currentTimeMillis() + 20_000;
            while (!scratchExists(mine) && System.currentTimeMillis() < giveUpAt)
            {
                Thread.sleep(1);
            }
            if (!scratchExists(mine))
            {
                System.exit(3);
            }
        }
        System.exit(0);
    }

    private static boolean scratchExists(final String prefix) throws IOException
    {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir"))))
        {
            return files.anyMatch(file -> file.getFileName().toString().startsWith(prefix));
        }
    }
}
