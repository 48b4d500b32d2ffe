package dev.modelsel.engine.replication;

import dev.modelsel.engine.availability.AvailabilityRecord;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class MessageCodecTest
{
    private static final byte[] KEY = "a-cluster-secret-of-32-bytes-!!!".getBytes(StandardCharsets.US_ASCII);
    private static final long NOW_MS = 1_700_000_000_000L;
    private static final int PREFIX_LENGTH = WireDescriptor.CLUSTER_LENGTH_OFFSET + 1 + "prod".length();

    private final List<String> received = new ArrayList<>();
    private final MessageDecoder.Handler collect = new MessageDecoder.Handler()
    {
        @Override
        public void record(final String fromHost, final boolean snapshot, final String modelId,
            final ReplicatedRecord record)
        {
            received.add(fromHost + " " + snapshot + " " + modelId + " " + record);
        }

        @Override
        public void countersFile(final String fromHost, final boolean snapshot, final long incarnation)
        {
            received.add(fromHost + " " + snapshot + " incarnation " + incarnation);
        }

        @Override
        public void counters(final String fromHost, final boolean snapshot, final int kind, final String name,
            final long[] counters)
        {
            received.add(fromHost + " " + snapshot + " " + kind + " " + name + " " + Arrays.toString(counters));
        }
    };

    @Test
    void shouldCarryRecordsAndCountersWhole()
    {
        final long seed = Long.getLong("modelsel.seed", new SecureRandom().nextLong());
        final Random random = new Random(seed);
        final MessageEncoder encoder = new MessageEncoder("prod", "worker-a", KEY);
        final MessageDecoder decoder = new MessageDecoder("prod", KEY);
        for (int trial = 0; trial < 500; trial++)
        {
            final List<String> sent = new ArrayList<>();
            encoder.begin(WireDescriptor.TYPE_RECORDS, WireDescriptor.FLAG_SNAPSHOT, 123);
            ReplicatedRecord record = randomRecord(random);
            String id = randomId(random);
            while (encoder.addRecord(id, record))
            {
                sent.add("worker-a true " + id + " " + record);
                record = randomRecord(random);
                id = randomId(random);
            }
            final int length = encoder.finish();
            assertTrue(length <= WireDescriptor.MAX_MESSAGE_LENGTH);
            received.clear();
            assertNull(decoder.decode(encoder.buffer(), 0, length, NOW_MS, collect), "seed " + seed);
            assertEquals(sent, received, "seed " + seed);
        }

        encoder.beginCounters((byte)0, 5, -42);
        final long[] values = {1, 2, 3, 4, 5, 6, 7, Long.MAX_VALUE};
        assertTrue(encoder.addCounters(1, "gpt-4o", values));
        received.clear();
        assertNull(decoder.decode(encoder.buffer(), 0, encoder.finish(), NOW_MS, collect));
        assertEquals(List.of("worker-a false incarnation -42", "worker-a false 1 gpt-4o " + Arrays.toString(values)),
            received);

        encoder.beginCounters(WireDescriptor.FLAG_SNAPSHOT, 6, 7);
        received.clear();
        assertNull(decoder.decode(encoder.buffer(), 0, encoder.finish(), NOW_MS, collect));
        assertEquals(List.of("worker-a true incarnation 7"), received, "no entries: the incarnation still told");
    }

    @Test
    void shouldRefuseCountersThatCannotBeAHostsOwn()
    {
        final MessageEncoder encoder = new MessageEncoder("prod", "worker-a", KEY);
        final MessageDecoder decoder = new MessageDecoder("prod", KEY);
        final long[] good = {1, 0, 0, 10, 20, 30, 0, 0};
        final long[] negative = {1, 0, 0, 10, -20, 30, 0, 0};

        encoder.beginCounters((byte)0, 1, 99);
        assertTrue(encoder.addCounters(WireDescriptor.KIND_MODEL, "gpt-4o", good));
        assertTrue(encoder.addCounters(WireDescriptor.KIND_MODEL, "claude", negative));
        received.clear();
        assertEquals("entry 1: a negative counter",
            decoder.decode(encoder.buffer(), 0, encoder.finish(), NOW_MS, collect));

        encoder.beginCounters((byte)0, 1, 99);
        assertTrue(encoder.addCounters(4, "gpt-4o", good));
        assertEquals("entry 0: a counters kind of 4",
            decoder.decode(encoder.buffer(), 0, encoder.finish(), NOW_MS, collect));

        encoder.beginCounters((byte)0, 1, 0);
        assertTrue(encoder.addCounters(WireDescriptor.KIND_MODEL, "gpt-4o", good));
        assertEquals("counters without an incarnation",
            decoder.decode(encoder.buffer(), 0, encoder.finish(), NOW_MS, collect));
        assertTrue(received.isEmpty(), received.toString());
    }

    @Test
    void shouldRefuseEveryDamagedOrForeignMessageWhole()
    {
        final long seed = Long.getLong("modelsel.seed", new SecureRandom().nextLong());
        final Random random = new Random(seed);
        final MessageEncoder encoder = new MessageEncoder("prod", "worker-a", KEY);
        encoder.begin(WireDescriptor.TYPE_RECORDS, (byte)0, 1);
        for (int i = 0; i < 5; i++)
        {
            encoder.addRecord(randomId(random), randomRecord(random));
        }
        final int length = encoder.finish();
        final byte[] good = new byte[length];
        encoder.buffer().getBytes(0, good);

        final MessageDecoder decoder = new MessageDecoder("prod", KEY);
        for (int trial = 0; trial < 2_000; trial++)
        {
            final byte[] bad = good.clone();
            final int at = random.nextInt(length);
            bad[at] ^= (byte)(1 + random.nextInt(255));
            received.clear();
            final String refusal = decoder.decode(new UnsafeBuffer(bad), 0, length, NOW_MS, collect);
            if (refusal == null || !received.isEmpty())
            {
                fail("seed " + seed + ": byte " + at + " flipped, yet accepted: " + received);
            }
        }
        received.clear();
        assertNotNull(decoder.decode(new UnsafeBuffer(good), 0, length - 1, NOW_MS, collect), "truncated");
        assertNotNull(new MessageDecoder("prod", "another-secret-of-enough-bytes!".getBytes(StandardCharsets.US_ASCII))
            .decode(new UnsafeBuffer(good), 0, length, NOW_MS, collect), "another key");
        assertEquals("from another cluster",
            new MessageDecoder("staging", KEY).decode(new UnsafeBuffer(good), 0, length, NOW_MS, collect));
        assertTrue(received.isEmpty());
    }

    @Test
    void shouldRefuseWholeAMessageWithAClockTooFarAhead()
    {
        final MessageEncoder encoder = new MessageEncoder("prod", "worker-a", KEY);
        final MessageDecoder decoder = new MessageDecoder("prod", KEY);
        final long twoHoursAhead = HybridClock.at(NOW_MS + 2 * 3_600_000);
        final long justPastTheLimit = HybridClock.at(NOW_MS + MessageDecoder.MAX_CLOCK_AHEAD_MS + 1);
        for (final long clock : new long[]{Long.MAX_VALUE, HybridClock.MAX - 1, twoHoursAhead, justPastTheLimit})
        {
            for (int version = 0; version < 3; version++)
            {
                encoder.begin(WireDescriptor.TYPE_RECORDS, (byte)0, NOW_MS);
                assertTrue(encoder.addRecord("gpt-4o", recordWithClock(0, HybridClock.at(NOW_MS))));
                assertTrue(encoder.addRecord("claude", recordWithClock(version, clock)));
                received.clear();
                final String refusal = decoder.decode(encoder.buffer(), 0, encoder.finish(), NOW_MS, collect);
                final String what = "clock " + HybridClock.toString(clock) + " in version " + version + ": " + refusal;
                assertTrue(refusal != null && refusal.startsWith("entry 1: a clock "), what);
                assertTrue(received.isEmpty(), what + "; yet handed over " + received);
            }
        }

        encoder.begin(WireDescriptor.TYPE_RECORDS, (byte)0, NOW_MS);
        final long lastAccepted = HybridClock.at(NOW_MS + MessageDecoder.MAX_CLOCK_AHEAD_MS) | 0xFFFF;
        assertTrue(encoder.addRecord("gpt-4o", recordWithClock(0, lastAccepted)));
        assertTrue(encoder.addRecord("claude", recordWithClock(1, lastAccepted)));
        assertTrue(encoder.addRecord("llama", recordWithClock(2, lastAccepted)));
        received.clear();
        assertNull(decoder.decode(encoder.buffer(), 0, encoder.finish(), NOW_MS, collect), "an hour ahead at most");
        assertEquals(3, received.size());
    }

    @Test
    void shouldRefuseAHostIdLongerThanTheRestOfTheMessage()
    {
        final byte[] message = new byte[PREFIX_LENGTH + 2 + WireDescriptor.MAC_LENGTH];
        final ByteBuffer out = validPrefix(message);
        out.put((byte)HostId.MAX_LENGTH).put((byte)'w');
        assertEquals("truncated header", new MessageDecoder("prod", KEY)
            .decode(new UnsafeBuffer(message), 0, message.length, NOW_MS, collect));
        assertTrue(received.isEmpty());
    }

    @Test
    void shouldRefuseAnyBytesAfterAValidPrefixWithoutThrowing()
    {
        final long seed = Long.getLong("modelsel.seed", new SecureRandom().nextLong());
        final Random random = new Random(seed);
        final MessageDecoder decoder = new MessageDecoder("prod", KEY);
        final MessageAuthenticator authenticator = new MessageAuthenticator(KEY);
        final byte[] message = new byte[WireDescriptor.MAX_MESSAGE_LENGTH];
        for (int trial = 0; trial < 20_000; trial++)
        {
            // Mostly just past the prefix and the MAC, where a host id or an entry count can run off the end.
            final int length = PREFIX_LENGTH + random.nextInt(random.nextInt(8) == 0 ?
                WireDescriptor.MAX_MESSAGE_LENGTH - PREFIX_LENGTH + 1 : WireDescriptor.MAC_LENGTH + 48);
            random.nextBytes(message);
            final ByteBuffer out = validPrefix(message);
            if (random.nextBoolean())
            {
                out.put((byte)random.nextInt(HostId.MAX_LENGTH + 1));
            }
            else if (length - WireDescriptor.MAC_LENGTH >= PREFIX_LENGTH + 9)
            {
                out.put((byte)8).put("worker-a".getBytes(StandardCharsets.US_ASCII));
            }
            // Signed, random entries reach readEntries: what a peer holding the key could send.
            final boolean signed = length >= PREFIX_LENGTH + WireDescriptor.MAC_LENGTH && random.nextBoolean();
            if (signed)
            {
                authenticator.sign(message, length - WireDescriptor.MAC_LENGTH);
            }
            received.clear();
            final String refusal;
            try
            {
                refusal = decoder.decode(new UnsafeBuffer(message), 0, length, NOW_MS, collect);
            }
            catch (final RuntimeException ex)
            {
                throw new AssertionError("seed " + seed + ", trial " + trial + ": " + length + " bytes threw", ex);
            }
            if (!signed && (refusal == null || !received.isEmpty()))
            {
                fail("seed " + seed + ", trial " + trial + ": " + length + " random bytes accepted: " + received);
            }
        }
    }

    @Test
    void shouldRefuseAShortKey()
    {
        assertThrows(IllegalArgumentException.class, () -> new MessageDecoder("prod", new byte[15]));
    }

    @Test
    void shouldKeepAnIdTooLongForAMessageOut()
    {
        final MessageEncoder encoder = new MessageEncoder("prod", "worker-a", KEY);
        encoder.begin(WireDescriptor.TYPE_RECORDS, (byte)0, 1);
        final byte[] id = new byte[WireDescriptor.MAX_MODEL_ID_BYTES + 1];
        Arrays.fill(id, (byte)'x');
        assertTrue(!encoder.addRecord(new String(id, StandardCharsets.US_ASCII), new ReplicatedRecord()));
        assertEquals(0, encoder.entries());
    }

    /** A record whose flag (0), epoch (1) or cooldown (2) version has {@code clock}, the others none. */
    private static ReplicatedRecord recordWithClock(final int version, final long clock)
    {
        return new ReplicatedRecord().set(true,
            version == 0 ? clock : HybridClock.ZERO, version == 0 ? "worker-a" : HostId.NONE,
            version == 1 ? clock : HybridClock.ZERO, version == 1 ? "worker-a" : HostId.NONE,
            version == 2 ? NOW_MS + 60_000 : AvailabilityRecord.NO_COOLDOWN,
            version == 2 ? clock : HybridClock.ZERO, version == 2 ? "worker-a" : HostId.NONE);
    }

    /** Magic, version, type, flags, sent at and cluster "prod": what passes before the host id is read. */
    private static ByteBuffer validPrefix(final byte[] message)
    {
        return ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(WireDescriptor.MAGIC).putShort(WireDescriptor.PROTOCOL_VERSION).put(WireDescriptor.TYPE_RECORDS)
            .put((byte)0).putLong(1).put((byte)4).put("prod".getBytes(StandardCharsets.US_ASCII));
    }

    private static String randomId(final Random random)
    {
        final StringBuilder id = new StringBuilder();
        final int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 40);
        for (int i = 0; i < length; i++)
        {
            id.append(random.nextInt(20) == 0 ? 'é' : (char)('a' + random.nextInt(26)));
        }
        return id.toString();
    }

    private static ReplicatedRecord randomRecord(final Random random)
    {
        final ReplicatedRecord record = new ReplicatedRecord();
        if (random.nextBoolean())
        {
            record.setUp(HybridClock.at(random.nextInt(1 << 30)) + random.nextInt(5), "h" + random.nextInt(99));
        }
        if (random.nextBoolean())
        {
            record.setDown(HybridClock.at(1L << 31) + random.nextInt(5), "host-with-a-long-name-" + random.nextInt(99));
        }
        if (random.nextBoolean())
        {
            record.setRateLimited(random.nextBoolean() ? Long.MAX_VALUE : random.nextLong() | 1,
                HybridClock.at(1L << 32), "b");
        }
        assertTrue(record.cooldownUntilMs() == AvailabilityRecord.NO_COOLDOWN || record.cooldownClock() > 0);
        return record;
    }
}
