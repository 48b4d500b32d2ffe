package dev.modelsel.engine.availability;

import dev.modelsel.engine.cost.SharedPhaseCounters;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A separate JVM for {@link TruncatedFilesTest}: maps a shared file, has it truncated in place under the mapping, then
 * touches it and prints what came of each step (one line each), as the JVM it runs on does it. A step that kills the
 * JVM prints nothing more.
 * <ul>
 *   <li>{@code read FILE} / {@code compare-and-set FILE}: a 4 KiB file mapped through Agrona, truncated, then one
 *       volatile read or one compare-and-set, from the interpreter (the JVM is fresh).</li>
 *   <li>{@code table TABLE}: opens the table, marks a model down, truncates {@code TABLE.seq}, then reads the
 *       change sequence, a record and the listing before the next look, looks, and closes the table.</li>
 *   <li>{@code counters FILE}: opens the counters file, adds until the adding code is compiled, truncates the file,
 *       then adds once more and reads it, looks, and closes it.</li>
 * </ul>
 */
public final class TruncationWorker
{
    private TruncationWorker()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path path = Path.of(args[1]);
        switch (args[0])
        {
            case "read":
            case "compare-and-set":
                raw(args[0], path);
                break;
            case "table":
                table(path);
                break;
            default:
                counters(path);
        }
    }

    private static void raw(final String step, final Path file) throws IOException
    {
        Files.write(file, new byte[4096]);
        final UnsafeBuffer buffer = new UnsafeBuffer(IoUtil.mapExistingFile(file.toFile(), "truncated"));
        truncate(file);
        attempt(step, () -> step.equals("read") ? buffer.getLongVolatile(64) : buffer.compareAndSetLong(64, 0, 1));
    }

    private static void table(final Path path) throws IOException
    {
        final SharedAvailabilityTable table = SharedAvailabilityTable.open(path);
        table.setDown("a");
        truncate(table.sequencePath());
        attempt("changeSequence", table::changeSequence);
        attempt("read", () -> table.read("a", new AvailabilityRecord()));
        attempt("forEach", () -> table.forEach((id, record) -> { }));
        say("staleReason " + table.staleReason());
        table.close();
        say("closed");
    }

    private static void counters(final Path path) throws IOException
    {
        final SharedPhaseCounters counters = SharedPhaseCounters.open(path);
        for (int i = 0; i < 200_000; i++) // -XX:-BackgroundCompilation: compiled once this returns
        {
            counters.addAttempt("m", false, false, 1, 1, 1, false, false);
        }
        truncate(path);
        attempt("addAttempt", () ->
        {
            counters.addAttempt("m", false, false, 1, 1, 1, false, false);
            return null;
        });
        attempt("forEachModel", () ->
        {
            counters.forEachModel((name, counts) -> { });
            return null;
        });
        say("staleReason " + counters.staleReason());
        counters.close();
        say("closed");
    }

    /** {@code : > FILE}: the same file, emptied. */
    private static void truncate(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(0);
        }
    }

    private static void attempt(final String step, final Step work)
    {
        try
        {
            say(step + " returned " + work.run());
        }
        catch (final Throwable thrown)
        {
            say(step + " threw " + thrown.getClass().getSimpleName() + ": " + thrown.getMessage());
        }
    }

    private static void say(final String line)
    {
        System.out.println(line);
        System.out.flush();
    }

    @FunctionalInterface
    private interface Step
    {
        Object run() throws Exception;
    }
}
