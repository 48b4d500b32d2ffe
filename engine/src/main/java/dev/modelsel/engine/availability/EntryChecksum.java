package dev.modelsel.engine.availability;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The checksum an entry of the shared table carries (see {@link SharedTableDescriptor}): a 64-bit hash of the model
 * id it is stored under and of every field before it (the local ones, the versions and their host ids), so that a
 * flipped field, a key renamed into another id, or a value moved under another key fails it. It guards against
 * damage (a stray write, a disk error), not against a process that means harm: anyone who can write the file can
 * write a matching checksum.
 * <p>
 * The id is hashed as UTF-16 chars, four to a round, so the same id gives the same checksum in every JVM and
 * nothing is allocated: a reader hashes the id it looked up, which Chronicle has just compared byte for byte with
 * the stored key. Host ids are hashed as their 32 stored bytes, eight to a round. The rounds and the final mix are
 * xxHash64's (a multiply, a rotate, a multiply; then its avalanche), so one changed bit changes about half the
 * checksum's bits. Stateless, thread-safe.
 */
final class EntryChecksum
{
    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME_3 = 0x165667B19E3779F9L;
    /** Not zero, so that an all-zero entry (a key and value that no writer stored) never checks. */
    private static final long SEED = 0x6D6F64656C73656CL; // "modelsel"
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private EntryChecksum()
    {
    }

    static long of(final CharSequence modelId, final AvailabilityEntry entry)
    {
        final int length = modelId.length();
        long hash = SEED + length * PRIME_3;
        int i = 0;
        for (; i + 4 <= length; i += 4)
        {
            hash = round(hash, modelId.charAt(i) | (long)modelId.charAt(i + 1) << 16 |
                (long)modelId.charAt(i + 2) << 32 | (long)modelId.charAt(i + 3) << 48);
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 16)
        {
            tail |= (long)modelId.charAt(i) << shift;
        }
        hash = round(hash, tail);
        hash = round(hash, entry.down ? 1 : 0);
        hash = round(hash, entry.cooldownUntilMs);
        hash = round(hash, entry.changes);
        hash = round(hash, entry.writerPid);
        hash = round(hash, entry.changedAtMs);
        hash = round(hash, entry.flagClock);
        hash = hostRounds(hash, entry.flagHost);
        hash = round(hash, entry.epochClock);
        hash = hostRounds(hash, entry.epochHost);
        hash = round(hash, entry.cooldownClock);
        hash = hostRounds(hash, entry.cooldownHost);
        return avalanche(hash);
    }

    /** A host id's bytes, eight to a round. */
    private static long hostRounds(final long hash, final byte[] host)
    {
        long h = hash;
        for (int i = 0; i < host.length; i += Long.BYTES)
        {
            h = round(h, (long)LONGS.get(host, i));
        }
        return h;
    }

    private static long round(final long hash, final long input)
    {
        return Long.rotateLeft(hash + input * PRIME_2, 31) * PRIME_1;
    }

    private static long avalanche(final long hash)
    {
        long h = hash ^ hash >>> 33;
        h *= PRIME_2;
        h ^= h >>> 29;
        h *= PRIME_3;
        return h ^ h >>> 32;
    }
}
