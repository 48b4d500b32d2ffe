package dev.modelsel.engine.availability;

import net.openhft.chronicle.algo.hashing.LongHashFunction;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Decides, reading only, whether a file is one of our availability maps, before Chronicle sees it: Chronicle opens
 * a map of any key and value classes without complaint, waits a minute on junk, its recovery rewrites whatever it
 * is given, and a damaged tier index takes its unchecked reads outside the file. A file that is not ours is refused,
 * never touched; so is one of ours of another layout or with damaged structure, which {@code reset} may delete.
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
        /** Marked incomplete: a process died while creating or recovering it (both happen under the opening lock). */
        INCOMPLETE,
        /** Ours by its header, but of another layout (another entry size): made by another modelsel version. */
        OTHER_LAYOUT,
        /** Ours by its header, but a part that Chronicle follows by address is damaged (see MapStructureCheck). */
        DAMAGED,
        /** Not one of our tables. */
        FOREIGN
    }

    record Result(Verdict verdict, String reason)
    {
    }

    /** Where the size word lies, after the header's checksum. */
    static final int SIZE_WORD_OFFSET = 8;
    /** The size word's bit that Chronicle sets while it creates or recovers the map. */
    static final int NOT_COMPLETE = 1 << 31;
    private static final int PREFIX = SIZE_WORD_OFFSET + Integer.BYTES;
    private static final int META_DATA = 1 << 30;
    private static final int SIZE_MASK = META_DATA - 1;
    private static final int MAX_HEADER = 64 * 1024;
    private static final String MAP_TYPE = "!net.openhft.chronicle.map.VanillaChronicleMap {";

    private MapFileCheck()
    {
    }

    /** How much of the file a check reads. */
    enum Scope
    {
        /** The header alone: enough to tell a file that is not ours, before anything is created beside it. */
        HEADER,
        /** The header, and what Chronicle's recovery relies on (see {@link MapStructureCheck#damage}). */
        BEFORE_RECOVERY,
        /** The header, then all the structure that Chronicle follows by address (about a millisecond). */
        WHOLE
    }

    /** The whole check. */
    static Result check(final Path file) throws IOException
    {
        return check(file, Scope.WHOLE);
    }

    /** The header alone. */
    static Result checkHeader(final Path file) throws IOException
    {
        return check(file, Scope.HEADER);
    }

    static Result check(final Path file, final Scope scope) throws IOException
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
            final ByteBuffer prefix = MapStructureCheck.read(channel, 0, PREFIX);
            final long storedChecksum = prefix.getLong(0);
            final int sizeWord = prefix.getInt(SIZE_WORD_OFFSET);
            final int size = sizeWord & SIZE_MASK;
            if ((sizeWord & META_DATA) != 0 || size < MAP_TYPE.length() || size > MAX_HEADER || PREFIX + size > length)
            {
                return new Result(Verdict.FOREIGN, "no Chronicle Map header at its start");
            }
            if ((sizeWord & NOT_COMPLETE) != 0)
            {
                return new Result(Verdict.INCOMPLETE, "its header is marked incomplete");
            }
            final ByteBuffer header = MapStructureCheck.read(channel, 0, PREFIX + size);
            if (LongHashFunction.xx_r39().hashBytes(header, SIZE_WORD_OFFSET, size + Integer.BYTES) != storedChecksum)
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
            final String entryBytes = constantValueSize(text);
            if (!String.valueOf(SharedTableDescriptor.ENTRY_LENGTH).equals(entryBytes))
            {
                return new Result(Verdict.OTHER_LAYOUT, otherEntrySize(entryBytes));
            }
            if (scope == Scope.HEADER)
            {
                return new Result(Verdict.OURS, "");
            }
            final MapStructureCheck.Geometry geometry;
            try
            {
                geometry = MapStructureCheck.Geometry.of(text, PREFIX + size);
            }
            catch (final IllegalArgumentException ex)
            {
                return new Result(Verdict.OTHER_LAYOUT, "a table made by another Chronicle Map version: " + ex.getMessage());
            }
            final String damage = MapStructureCheck.damage(channel, geometry, scope == Scope.BEFORE_RECOVERY);
            return damage == null ? new Result(Verdict.OURS, "") : new Result(Verdict.DAMAGED, damage);
        }
    }

    /** Why a map of our types with entries of another size is refused: by an older modelsel, if its size says so. */
    private static String otherEntrySize(final String entryBytes)
    {
        final int[] older = SharedTableDescriptor.OLDER_ENTRY_LENGTHS;
        for (int version = older.length - 1; version >= 1; version--)
        {
            if (String.valueOf(older[version]).equals(entryBytes))
            {
                return "a table made by an older modelsel (layout " + version + ": entries of " + entryBytes +
                    " bytes, not " + SharedTableDescriptor.ENTRY_LENGTH + ")";
            }
        }
        return "a table made by another modelsel version (entries of " + entryBytes + " bytes, not " +
            SharedTableDescriptor.ENTRY_LENGTH + ")";
    }

    /** The {@code !type} of a header field, e.g. {@code keyClass: !type CharSequence,}. */
    private static String field(final String header, final String name)
    {
        return after(header, "\n  " + name + ": !type ", "(no " + name + ")");
    }

    /** The size of every value, which a map of constantly sized values records in its value size marshaller. */
    private static String constantValueSize(final String header)
    {
        return after(header, "\n  valueSizeMarshaller: " +
            "!net.openhft.chronicle.hash.serialization.impl.ConstantSizeMarshaller {\n    constantSize: ", "(not constant)");
    }

    private static String after(final String header, final String marker, final String absent)
    {
        final int start = header.indexOf(marker);
        if (start < 0)
        {
            return absent;
        }
        int end = start + marker.length();
        while (end < header.length() && header.charAt(end) != ',' && header.charAt(end) != '\n')
        {
            end++;
        }
        return header.substring(start + marker.length(), end);
    }
}
