package dev.modelsel.engine.cli;

import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.SharedTableException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * Reloads {@code run}'s catalog when its file changes, between requests, at most one look a second: a catalog is
 * edited without restarting the processes that use it. Availability is keyed by model id, so it carries over. A
 * catalog that no longer loads is reported once on stderr and the previous one stays in force. A catalog that loads
 * but whose availability cannot be read (a stuck segment of the table) fails the line with a
 * {@link SharedTableException}, and is tried again on the next line, until a reload succeeds.
 * <p>
 * Not thread-safe: the run loop's thread calls it.
 */
final class CatalogWatcher implements Runnable
{
    private static final long LOOK_EVERY_NS = TimeUnit.SECONDS.toNanos(1);

    private final Path file;
    private final Selector selector;
    private final PrintStream err;
    private long nextLookNs;
    private String seen;

    CatalogWatcher(final Path file, final Selector selector, final PrintStream err)
    {
        this.file = file;
        this.selector = selector;
        this.err = err;
        this.seen = stamp();
        this.nextLookNs = System.nanoTime() + LOOK_EVERY_NS;
    }

    @Override
    public void run()
    {
        final long nowNs = System.nanoTime();
        if (nowNs - nextLookNs < 0)
        {
            return;
        }
        nextLookNs = nowNs + LOOK_EVERY_NS;
        final String stamp = stamp();
        if (stamp.equals(seen))
        {
            return;
        }
        try
        {
            selector.reload(CatalogLoader.load(file).compile());
        }
        catch (final CatalogException ex)
        {
            err.println("modelsel: the catalog changed but does not load; keeping the previous one:" +
                System.lineSeparator() + ex.getMessage());
            err.flush();
        }
        catch (final SharedTableException ex)
        {
            nextLookNs = nowNs; // not seen: the next line tries again
            throw new SharedTableException("the catalog " + file + " changed, and reading availability for it " +
                "failed (the previous catalog stays in force; tried again on the next line): " + ex.getMessage());
        }
        seen = stamp;
    }

    /** Modification time and size: what changes when the file is edited or replaced. */
    private String stamp()
    {
        try
        {
            final BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.lastModifiedTime() + "/" + attributes.size() + "/" + attributes.fileKey();
        }
        catch (final IOException ex)
        {
            return "unreadable";
        }
    }
}
