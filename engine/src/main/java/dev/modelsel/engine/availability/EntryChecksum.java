package dev.modelsel.engine.availability;

/**
 * The checksum an entry of the shared table carries (see {@link SharedTableDescriptor}): a 64-bit hash of the model
 * id it is stored under and of every field before it, so that a flipped field, a key renamed into another id, or a
 * value moved under another key fails it. It guards against damage (a stray write, a disk error), not against a
 * process that means harm: anyone who can write the file can write a matching checksum.
 * <p>
 * The id is hashed as UTF-16 chars, four to a round, so the same id gives the same checksum in every JVM and
 * nothing is allocated: a reader hashes the id it looked up, which Chronicle has just compared byte for byte with
 * the stored key. The rounds and the final mix are xxHash64's (a multiply, a rotate, a multiply; then its
 * avalanche), so one changed bit changes about half the checksum's bits. Stateless, thread-safe.
 */
final class EntryChecksum
{
    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME_3 = 0x165667B19E3779F9L;
    /** Not zero, so that an all-zero entry (a key and value that no writer stored) never checks. */
    private static final long SEED = 0x6D6F64656C73656CL; // "modelsel"

    private EntryChecksum()
    {
    }

    static long of(
        final CharSequence modelId,
        final boolean down,
        final long cooldownUntilMs,
        final long changes,
        final int writerPid,
        final long changedAtMs)
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
        hash = round(hash, down ? 1 : 0);
        hash = round(hash, cooldownUntilMs);
        hash = round(hash, changes);
        hash = round(hash, writerPid);
        hash = round(hash, changedAtMs);
        return avalanche(hash);
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
