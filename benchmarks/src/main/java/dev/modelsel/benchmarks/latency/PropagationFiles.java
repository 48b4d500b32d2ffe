package dev.modelsel.benchmarks.latency;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The harness's own mapped file beside the table, through which writer and reader pace each other and the writer
 * tells the reader when each write began.
 * <pre>
 *   0    reader ready (long, 1 when the reader spins)
 *   64   write began at (long, the writer's System.nanoTime() just before its write; CLOCK_MONOTONIC, one clock for
 *        every process on the host)
 *   128  phase (long: 0 warming up, 1 measuring)
 *   192  changes the reader has seen in the measured phase (long; -1 until it has read the state after warm-up)
 *   256  writes done (long)
 * </pre>
 * Each field has its own cache line. Written with {@code putLongVolatile}, read with {@code getLongVolatile}: the
 * stamp is written before the table write, whose change announcement is a full fence, so a reader that sees the
 * change sees the stamp.
 */
final class PropagationFiles
{
    static final int READY_OFFSET = 0;
    static final int WRITE_BEGAN_NS_OFFSET = 64;
    static final int PHASE_OFFSET = 128;
    static final int READER_SEEN_OFFSET = 192;
    static final int WRITES_DONE_OFFSET = 256;
    static final int LENGTH = 4096;

    private PropagationFiles()
    {
    }

    static UnsafeBuffer create(final Path file)
    {
        return new UnsafeBuffer(IoUtil.mapNewFile(file.toFile(), LENGTH, true));
    }

    static UnsafeBuffer open(final Path file)
    {
        if (!Files.exists(file))
        {
            throw new IllegalArgumentException("no stamp file " + file);
        }
        return new UnsafeBuffer(IoUtil.mapExistingFile(new File(file.toString()), "propagation stamps"));
    }
}
