package dev.modelsel.engine.availability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table's files as bytes, for tests that leave them as a killed process or damage would: read and written in place
 * through a channel (a process that maps the file sees the change), little-endian as the files are.
 */
public final class TableBytes
{
    private TableBytes()
    {
    }

    /** Makes the table at {@code path} (if need be) with these models marked down, and closes it. */
    static void tableWithModelsDown(final Path path, final String... models) throws IOException
    {
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            for (final String model : models)
            {
                table.setDown(model);
            }
        }
    }

    /** Where the map's parts lie, from its header. */
    static MapStructureCheck.Geometry geometry(final Path map) throws IOException
    {
        final int size = read(map, 8, Integer.BYTES).getInt(0) & ((1 << 30) - 1);
        final String header = StandardCharsets.UTF_8.decode(read(map, 12, size)).toString();
        return MapStructureCheck.Geometry.of(header, 12 + size);
    }

    /** The step noted in the table's PATH.seq. */
    static int openingStep(final Path map) throws IOException
    {
        return read(ChronicleAvailabilityMap.sequencePath(map), SharedTableDescriptor.OPENING_STEP_OFFSET, Integer.BYTES)
            .getInt(0);
    }

    /** Notes a step in the table's PATH.seq, as an opener does (or damage would). */
    static void openingStep(final Path map, final int step) throws IOException
    {
        write(ChronicleAvailabilityMap.sequencePath(map), SharedTableDescriptor.OPENING_STEP_OFFSET,
            ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(0, step));
    }

    /** Where the map's bytes hold a model id as a key (after its one-byte length): asserted to be in one place. */
    public static int indexOfKey(final byte[] map, final String modelId)
    {
        final byte[] key = modelId.getBytes(StandardCharsets.UTF_8);
        int found = -1;
        for (int i = 1; i + key.length <= map.length; i++)
        {
            if (map[i - 1] == key.length && Arrays.equals(map, i, i + key.length, key, 0, key.length))
            {
                assertEquals(-1, found, modelId + " is stored once");
                found = i;
            }
        }
        assertTrue(found > 0, modelId + " is in the map");
        return found;
    }

    static ByteBuffer read(final Path file, final long position, final int bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
            while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0)
            {
                // read fully
            }
            return buffer.flip();
        }
    }

    static void write(final Path file, final long position, final ByteBuffer bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            while (bytes.hasRemaining())
            {
                channel.write(bytes, position + bytes.position());
            }
        }
    }

    static void writeLong(final Path file, final long position, final long value) throws IOException
    {
        write(file, position, ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    static void writeInt(final Path file, final long position, final int value) throws IOException
    {
        write(file, position, ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }
}
