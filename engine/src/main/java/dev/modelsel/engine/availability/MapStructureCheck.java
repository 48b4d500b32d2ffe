package dev.modelsel.engine.availability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Checks, reading only, the parts of a Chronicle Map file that Chronicle follows by raw memory address, before any
 * process of ours maps it: a damaged tier index or segment headers offset there sends Chronicle's unchecked reads
 * outside the mapping, and the JVM dies of SIGSEGV (seen with one random byte in a segment header). Entries
 * themselves are read through Chronicle's bounds-checked bytes, and checked by their own checksums.
 * <p>
 * The map file as Chronicle Map 2026.1 lays it out (little-endian; sizes from the header's own numbers):
 * <pre>
 *  0            self-describing header (see MapFileCheck), 12 + size bytes
 *  G            global mutable state, G = header end rounded up to 64:
 *                 [lock, 8] [allocated extra tier bulks, 3] [first free tier index, 5] [extra tiers in use, 5]
 *                 [segment headers offset, 4] [data store size, 8]
 *  S            segment headers, S = G + 1024 rounded up to a 4096-byte page; segmentHeaderSize bytes each:
 *                 [lock, 8] [entries, u32] [lowest possibly free chunk, u32] [next tier index, 8] [deleted, u32] ...
 *  T            first tiers, one per segment, T = S + segments * segmentHeaderSize; tierSize bytes each:
 *                 hash lookup: tierHashLookupCapacity slots of tierHashLookupSlotSize bytes, each
 *                   [key hash, tierHashLookupKeyBits] [entry position in chunks, tierHashLookupValueBits]
 *                   (0 = empty; a used slot's key hash is never 0)
 *                 tier counters, 64 bytes (used by extra tiers): [next tier index, 8] [previous tier index, 8]
 *                   [lowest possibly free chunk, 8] [segment index, 4] [tier, 4] [entries, u32] [deleted, u32]
 *                 free list (a bit set), then the entry space: actualChunksPerSegmentTier chunks
 *  T + segments * tierSize
 *               extra tier bulks, tierBulkSizeInBytes each: tiersInBulk tiers from tierBulkInnerOffsetToTiers
 * </pre>
 * Tier indexes count from 1: 1..segments are the first tiers, the rest extra tiers in bulk order; 0 is none. Each
 * field is checked against its bounds only (a tier index must name an allocated tier, a chain of tiers must end), never
 * against another field that a writer in another process may be changing meanwhile. One field is transiently out of
 * those bounds in a sound table: a writer links a new tier (under its segment's lock) before it writes that tier's
 * link back, so a back link of 0 is accepted while the segment's lock word shows a lock held; a writer killed there
 * leaves the lock held and its process counted, so the table is recovered, which rewrites the link. That is the one
 * such window in Chronicle's writes that the check was found to meet (SegmentStages.nextTier); when a recovery is
 * due, the check runs in part before it and whole after it (see {@link #damage}).
 * <p>
 * Stateless, thread-safe.
 */
final class MapStructureCheck
{
    private static final long CACHE_LINE_BYTES = 64;
    private static final long PAGE_BYTES = 4096;
    private static final long GLOBAL_STATE_RESERVED_BYTES = 1024;
    private static final long GLOBAL_STATE_LOCK_BYTES = 8;
    private static final int GLOBAL_STATE_BYTES = 25;
    private static final int TIER_COUNTERS_BYTES = 40;
    private static final long MASK_40 = (1L << 40) - 1;

    /** The numbers of the map's header that place its parts. */
    record Geometry(
        long headerEnd,
        long segments,
        long segmentHeaderBytes,
        long chunksPerTier,
        long maxEntriesPerTier,
        int slotBytes,
        int slotKeyBits,
        int slotValueBits,
        long slots,
        long hashLookupOuterBytes,
        long tierBytes,
        long maxExtraTiers,
        long bulkBytes,
        long bulkInnerOffsetToTiers,
        long tiersInBulk)
    {
        /** @throws IllegalArgumentException when the header lacks one of them, or gives one out of any sane range. */
        static Geometry of(final String header, final long headerEnd)
        {
            final Geometry geometry = new Geometry(headerEnd, number(header, "actualSegments"),
                number(header, "segmentHeaderSize"), number(header, "actualChunksPerSegmentTier"),
                number(header, "maxEntriesPerHashLookup"), (int)number(header, "tierHashLookupSlotSize"),
                (int)number(header, "tierHashLookupKeyBits"), (int)number(header, "tierHashLookupValueBits"),
                number(header, "tierHashLookupCapacity"), number(header, "tierHashLookupOuterSize"),
                number(header, "tierSize"), number(header, "maxExtraTiers"), number(header, "tierBulkSizeInBytes"),
                number(header, "tierBulkInnerOffsetToTiers"), number(header, "tiersInBulk"));
            if ((geometry.slotBytes != 4 && geometry.slotBytes != 8) ||
                geometry.slotKeyBits + geometry.slotValueBits > geometry.slotBytes * 8 ||
                geometry.slots * geometry.slotBytes > geometry.hashLookupOuterBytes ||
                geometry.slots * geometry.slotBytes % Long.BYTES != 0 || geometry.slots > 1 << 24 ||
                geometry.hashLookupOuterBytes + TIER_COUNTERS_BYTES > geometry.tierBytes ||
                geometry.segments < 1 || geometry.segments > 1 << 20 || geometry.segmentHeaderBytes < 32 ||
                Long.bitCount(geometry.tiersInBulk) != 1 || geometry.maxExtraTiers > 1 << 20 ||
                geometry.tierBytes * geometry.segments > 1L << 40)
            {
                throw new IllegalArgumentException("its header places the map's parts where modelsel cannot check them");
            }
            return geometry;
        }

        long segmentHeadersOffset()
        {
            return align(align(headerEnd, CACHE_LINE_BYTES) + GLOBAL_STATE_RESERVED_BYTES, PAGE_BYTES);
        }

        long firstTiersOffset()
        {
            return segmentHeadersOffset() + segments * segmentHeaderBytes;
        }

        long extraTiersOffset()
        {
            return firstTiersOffset() + segments * tierBytes;
        }

        /** The file offset of tier {@code tierIndex} (1-based), which must be an allocated one. */
        long tierOffset(final long tierIndex)
        {
            if (tierIndex <= segments)
            {
                return firstTiersOffset() + (tierIndex - 1) * tierBytes;
            }
            final long extra = tierIndex - segments - 1;
            return extraTiersOffset() + extra / tiersInBulk * bulkBytes + bulkInnerOffsetToTiers +
                extra % tiersInBulk * tierBytes;
        }

        private static long number(final String header, final String name)
        {
            final String marker = "\n  " + name + ": ";
            final int start = header.indexOf(marker);
            int end = start + marker.length();
            while (start >= 0 && end < header.length() && Character.isDigit(header.charAt(end)))
            {
                end++;
            }
            if (start < 0 || end == start + marker.length() || end - start - marker.length() > 18)
            {
                throw new IllegalArgumentException("its header gives no " + name);
            }
            return Long.parseLong(header.substring(start + marker.length(), end));
        }
    }

    private MapStructureCheck()
    {
    }

    /**
     * @param beforeRecovery whether Chronicle's recovery is about to run on the file: then only what the recovery
     *                       itself relies on is checked (the global state that places the extra tiers), as it rewrites
     *                       everything else that this check reads (segment locks, tier links and counters, the free
     *                       tiers, hash lookup slots it checks entry by entry), and the whole check runs after it.
     * @return what is damaged, or {@code null} when every part Chronicle follows by address is sound.
     */
    static String damage(final FileChannel channel, final Geometry g, final boolean beforeRecovery) throws IOException
    {
        final long length = channel.size();
        final ByteBuffer state = read(channel, align(g.headerEnd(), CACHE_LINE_BYTES) + GLOBAL_STATE_LOCK_BYTES,
            GLOBAL_STATE_BYTES);
        final long bulks = state.getInt(0) & 0xFFFFFF;
        final long firstFreeTier = state.getLong(3) & MASK_40;
        final long extraTiersInUse = state.getLong(8) & MASK_40;
        final long segmentHeadersOffset = state.getInt(13) & 0xFFFFFFFFL;
        final long dataStoreSize = state.getLong(17);
        if (segmentHeadersOffset != g.segmentHeadersOffset())
        {
            return "its segment headers offset reads " + segmentHeadersOffset + ", not " + g.segmentHeadersOffset();
        }
        final long maxBulks = (g.maxExtraTiers() + g.tiersInBulk() - 1) / g.tiersInBulk();
        final long mapped = g.extraTiersOffset() + bulks * g.bulkBytes();
        if (bulks > maxBulks || mapped > length || dataStoreSize < g.extraTiersOffset() || dataStoreSize > length)
        {
            return "its global state reads " + bulks + " extra tier bulks and a data store of " + dataStoreSize +
                " bytes, in a file of " + length;
        }
        if (beforeRecovery)
        {
            return null;
        }
        final long lastTier = g.segments() + bulks * g.tiersInBulk();
        if (extraTiersInUse > bulks * g.tiersInBulk() || !isExtraTierOrNone(firstFreeTier, g, lastTier))
        {
            return "its global state reads " + extraTiersInUse + " extra tiers in use and " + firstFreeTier +
                " as the first free one, of " + bulks * g.tiersInBulk();
        }
        final ByteBuffer headers = read(channel, segmentHeadersOffset, (int)(g.segments() * g.segmentHeaderBytes()));
        final ByteBuffer slots = ByteBuffer.allocate((int)(g.slots() * g.slotBytes())).order(ByteOrder.LITTLE_ENDIAN);
        final long[] words = new long[slots.capacity() / Long.BYTES];
        for (int segment = 0; segment < g.segments(); segment++)
        {
            final int at = (int)(segment * g.segmentHeaderBytes());
            final String problem = segment(channel, g, slots, words, lastTier, segment, headers.getLong(at) != 0,
                headers.getInt(at + 8) & 0xFFFFFFFFL, headers.getInt(at + 12) & 0xFFFFFFFFL, headers.getLong(at + 16),
                headers.getInt(at + 24) & 0xFFFFFFFFL);
            if (problem != null)
            {
                return "segment " + segment + ": " + problem;
            }
        }
        return freeTiers(channel, g, lastTier, firstFreeTier);
    }

    /**
     * One segment's chain of tiers, from its header's counters.
     *
     * @param locked whether the segment's lock word shows a lock held: a writer may be linking a new tier now.
     */
    private static String segment(
        final FileChannel channel,
        final Geometry g,
        final ByteBuffer slots,
        final long[] words,
        final long lastTier,
        final int segment,
        final boolean locked,
        final long entries,
        final long lowestFreeChunk,
        final long firstNextTier,
        final long deleted) throws IOException
    {
        String problem = counters(g, lastTier, entries, deleted, lowestFreeChunk, firstNextTier);
        if (problem == null)
        {
            problem = hashLookup(channel, g, slots, words, g.tierOffset(segment + 1L));
        }
        long next = firstNextTier;
        for (int tier = 1; problem == null && next != 0; tier++)
        {
            if (tier > g.maxExtraTiers())
            {
                return "its tiers link into a loop";
            }
            final long offset = g.tierOffset(next);
            final ByteBuffer counters = read(channel, offset + g.hashLookupOuterBytes(), TIER_COUNTERS_BYTES);
            // Chronicle links a new tier (SegmentStages.nextTier) before it writes the tier's link back, which is 0
            // until then, all under the segment's write lock: so 0 is sound while the lock is held (by a writer now,
            // or by one killed there, whose lock has the table recovered, which rewrites every link). Chronicle walks
            // back links only while it holds the lock itself; a 0 in a segment no one holds is damage.
            final long previousTier = counters.getLong(8);
            if ((previousTier == 0 && !locked) || previousTier < 0 || previousTier > lastTier)
            {
                return "tier " + tier + " links back to tier " + previousTier + ", of " + lastTier;
            }
            problem = counters(g, lastTier, counters.getInt(32) & 0xFFFFFFFFL, counters.getInt(36) & 0xFFFFFFFFL,
                counters.getLong(16), counters.getLong(0));
            if (problem == null)
            {
                problem = hashLookup(channel, g, slots, words, offset);
            }
            next = counters.getLong(0);
        }
        return problem;
    }

    private static String counters(
        final Geometry g,
        final long lastTier,
        final long entries,
        final long deleted,
        final long lowestFreeChunk,
        final long nextTier)
    {
        if (entries > g.maxEntriesPerTier() || deleted > entries || lowestFreeChunk < 0 ||
            lowestFreeChunk > g.chunksPerTier())
        {
            return "its counters read " + entries + " entries, " + deleted + " deleted, lowest free chunk " +
                lowestFreeChunk;
        }
        return isExtraTierOrNone(nextTier, g, lastTier) ? null : "its next tier reads " + nextTier + ", of " + lastTier;
    }

    /**
     * Every used slot must hold a key hash and an entry position inside the tier. The slots are scanned as a long[]
     * (most words are 0): in a JVM's first open this runs in the interpreter, where a ByteBuffer read per slot took
     * 20 ms for the 16 tiers, the array a few.
     */
    private static String hashLookup(
        final FileChannel channel, final Geometry g, final ByteBuffer slots, final long[] words, final long tierOffset)
        throws IOException
    {
        readFully(channel, tierOffset, slots.clear());
        slots.flip().asLongBuffer().get(words);
        final int slotBits = g.slotBytes() * 8;
        final long slotMask = slotBits == 64 ? -1L : (1L << slotBits) - 1;
        final long keyMask = (1L << g.slotKeyBits()) - 1;
        final long valueMask = (1L << g.slotValueBits()) - 1;
        long used = 0;
        for (int word = 0; word < words.length; word++)
        {
            if (words[word] == 0)
            {
                continue;
            }
            for (int shift = 0; shift < 64; shift += slotBits)
            {
                final long slot = words[word] >>> shift & slotMask;
                if (slot != 0 && ((slot & keyMask) == 0 || (slot >>> g.slotKeyBits() & valueMask) >= g.chunksPerTier() ||
                    ++used > g.maxEntriesPerTier()))
                {
                    return "its hash lookup at byte " + (tierOffset + word * 8L + shift / 8) + " is damaged";
                }
            }
        }
        return null;
    }

    /** The chain of free extra tiers, from which the next tier is taken. */
    private static String freeTiers(final FileChannel channel, final Geometry g, final long lastTier, final long first)
        throws IOException
    {
        long next = first;
        for (int count = 0; next != 0; count++)
        {
            if (count > g.maxExtraTiers())
            {
                return "its free tiers link into a loop";
            }
            next = read(channel, g.tierOffset(next) + g.hashLookupOuterBytes(), Long.BYTES).getLong(0);
            if (!isExtraTierOrNone(next, g, lastTier))
            {
                return "a free tier links to " + next + ", of " + lastTier;
            }
        }
        return null;
    }

    private static boolean isExtraTierOrNone(final long tierIndex, final Geometry g, final long lastTier)
    {
        return tierIndex == 0 || (tierIndex > g.segments() && tierIndex <= lastTier);
    }

    private static long align(final long value, final long to)
    {
        return (value + to - 1) / to * to;
    }

    /** {@code bytes} bytes from {@code position}, little-endian; past the end of the file they read as zeros. */
    static ByteBuffer read(final FileChannel channel, final long position, final int bytes) throws IOException
    {
        return readFully(channel, position, ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Past the end of the file, the rest of the buffer reads as zeros. */
    private static ByteBuffer readFully(final FileChannel channel, final long position, final ByteBuffer buffer)
        throws IOException
    {
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0)
        {
            // read on
        }
        while (buffer.hasRemaining())
        {
            buffer.put((byte)0);
        }
        return buffer;
    }
}
