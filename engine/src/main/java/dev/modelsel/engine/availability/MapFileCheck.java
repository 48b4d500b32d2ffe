package dev.modelsel.engine.availability;

import net.openhft.chronicle.algo.hashing.LongHashFunction;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Decides, reading only, whether a file is one of our availability maps, before Chronicle sees it: Chronicle opens
 * a map of any key and value classes without complaint, waits a minute on junk, and its recovery rewrites whatever
 * it is given. A file that is not ours is refused, never touched.
 * <p>
 * A Chronicle Map 3 file starts with a self-describing header (little-endian):
 * <pre>
 *  [0, 8)         xxHash (r39) of bytes [8, 12 + size)
 *  [8, 12)        size word: bit 31 = not complete (being created), bit 30 = metadata, bits 0..29 = size
 *  [12, 12+size)  text: "!net.openhft.chronicle.map.VanillaChronicleMap { ... keyClass: !type ..., valueClass: ... }"
 * </pre>
 */
final class MapFileCheck
{
    enum Verdict
    {
        /** Missing, or an empty regular file: Chronicle creates it, under its own file lock. */
        ABSENT,
        /** Ours, complete. */
        OURS,
        /** Being created by another process, or left half-made by one that died. */
        INCOMPLETE,
        /** Not one of our tables. */
        FOREIGN
    }

    record Result(Verdict verdict, String reason)
    {
    }

    private static final int PREFIX = 12;
    private static final int NOT_COMPLETE = 1 << 31;
    private static final int META_DATA = 1 << 30;
    private static final int SIZE_MASK = META_DATA - 1;
    private static final int MAX_HEADER = 64 * 1024;
    private static final String MAP_TYPE = "!net.openhft.chronicle.map.VanillaChronicleMap {";

    private MapFileCheck()
    {
    }

    static Result check(final Path file) throws IOException
    {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS))
        {
            return new Result(Verdict.ABSENT, "no table yet");
        }
        if (!Files.isRegularFile(file))
        {
            return new Result(Verdict.FOREIGN, Files.isSymbolicLink(file) && !Files.exists(file) ?
                "a symbolic link to nothing" : "not a regular file");
        }
        if (Files.size(file) == 0)
        {
            return new Result(Verdict.ABSENT, "an empty file: a table that was never made, or one being made");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long length = channel.size();
            if (length < PREFIX)
            {
                return new Result(Verdict.FOREIGN, "too short to be a table (" + length + " bytes)");
            }
            final ByteBuffer prefix = read(channel, PREFIX);
            final long storedChecksum = prefix.getLong(0);
            final int sizeWord = prefix.getInt(8);
            final int size = sizeWord & SIZE_MASK;
            if ((sizeWord & META_DATA) != 0 || size < MAP_TYPE.length() || size > MAX_HEADER || PREFIX + size > length)
            {
                return new Result(Verdict.FOREIGN, "no Chronicle Map header at its start");
            }
            if ((sizeWord & NOT_COMPLETE) != 0)
            {
                return new Result(Verdict.INCOMPLETE, "its header is marked incomplete");
            }
            final ByteBuffer header = read(channel, PREFIX + size);
            if (LongHashFunction.xx_r39().hashBytes(header, 8, size + 4) != storedChecksum)
            {
                return new Result(Verdict.FOREIGN, "its header checksum does not match (damaged, or not a table)");
            }
            final String text = new String(header.array(), PREFIX, size, StandardCharsets.UTF_8);
            if (!text.startsWith(MAP_TYPE))
            {
                return new Result(Verdict.FOREIGN, "a Chronicle file, but not a map");
            }
            final String keyClass = field(text, "keyClass");
            final String valueClass = field(text, "valueClass");
            if (!"CharSequence".equals(keyClass) || !AvailabilityEntry.class.getName().equals(valueClass))
            {
                return new Result(Verdict.FOREIGN, "a Chronicle map of " + keyClass + " to " + valueClass +
                    ", not of model ids to " + AvailabilityEntry.class.getName());
            }
            return new Result(Verdict.OURS, "");
        }
    }

    /** The {@code !type} of a header field, e.g. {@code keyClass: !type CharSequence,}. */
    private static String field(final String header, final String name)
    {
        final String marker = "\n  " + name + ": !type ";
        final int start = header.indexOf(marker);
        if (start < 0)
        {
            return "(no " + name + ")";
        }
        int end = start + marker.length();
        while (end < header.length() && header.charAt(end) != ',' && header.charAt(end) != '\n')
        {
            end++;
        }
        return header.substring(start + marker.length(), end);
    }

    private static ByteBuffer read(final FileChannel channel, final int bytes) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0)
        {
            // read fully
        }
        return buffer;
    }
}
