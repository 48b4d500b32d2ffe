package dev.modelsel.engine.cost;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Damages a real counters file on disk, as a stray write or a bad sector would, for tests of what reads it. */
public final class CountersDamage
{
    private CountersDamage()
    {
    }

    /**
     * Overwrites one int of the record that holds {@code name}, found by scanning the file as it is.
     *
     * @param fieldOffset an offset within the record, e.g. {@link CountersDescriptor#NAME_LENGTH_OFFSET}.
     * @return the record's index.
     */
    public static int overwriteInt(final Path file, final String name, final int fieldOffset, final int value)
        throws IOException
    {
        final byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer record = ByteBuffer.allocate(CountersDescriptor.RECORD_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < CountersDescriptor.RECORD_COUNT; i++)
            {
                record.clear();
                channel.read(record, CountersDescriptor.recordOffset(i));
                final int length = record.getInt(CountersDescriptor.NAME_LENGTH_OFFSET);
                if (record.getLong(CountersDescriptor.STATE_OFFSET) == CountersDescriptor.STATE_READY &&
                    length == wanted.length && Arrays.equals(Arrays.copyOfRange(record.array(),
                    CountersDescriptor.NAME_OFFSET, CountersDescriptor.NAME_OFFSET + length), wanted))
                {
                    final ByteBuffer bytes = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(0, value);
                    channel.write(bytes, CountersDescriptor.recordOffset(i) + fieldOffset);
                    return i;
                }
            }
        }
        throw new IllegalArgumentException(file + " holds no record named " + name);
    }
}
