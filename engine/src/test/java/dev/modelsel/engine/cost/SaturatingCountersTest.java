package dev.modelsel.engine.cost;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Both counter kinds stop at {@code Long.MAX_VALUE}: a counter never wraps negative, however much is added. */
class SaturatingCountersTest
{
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    @TempDir
    Path dir;

    @Test
    void shouldSaturateInMemoryCountersNearTheTop()
    {
        shouldSaturate(new InMemoryPhaseCounters());
    }

    @Test
    void shouldSaturateSharedCountersNearTheTop() throws Exception
    {
        try (SharedPhaseCounters counters = SharedPhaseCounters.open(dir.resolve("counters")))
        {
            shouldSaturate(counters);
        }
    }

    @Test
    void shouldAddInMemoryAsAPlainSaturatingSumWould()
    {
        shouldAddAsTheReference(new InMemoryPhaseCounters());
    }

    @Test
    void shouldAddSharedAsAPlainSaturatingSumWould() throws Exception
    {
        try (SharedPhaseCounters counters = SharedPhaseCounters.open(dir.resolve("counters")))
        {
            shouldAddAsTheReference(counters);
        }
    }

    private static void shouldSaturate(final PhaseCounters counters)
    {
        counters.addAttempt("m", false, false, Long.MAX_VALUE - 3, 7, Long.MAX_VALUE, false, false);
        counters.addAttempt("m", false, false, 10, Long.MAX_VALUE, 1, false, false);
        counters.addAttempt("m", false, false, 1, 1, Long.MAX_VALUE, false, false);
        final PhaseCounters.ModelCounts counts = model(counters, "m");
        assertEquals(Long.MAX_VALUE, counts.inputTokens(), "MAX - 3 + 10 + 1: saturated, not wrapped");
        assertEquals(Long.MAX_VALUE, counts.outputTokens());
        assertEquals(Long.MAX_VALUE, counts.spendMicros());
        assertEquals(3, counts.attempts(), "the other counters go on as before");
    }

    /** Random additions around the top of a long, compared with BigInteger sums clamped at Long.MAX_VALUE. */
    private static void shouldAddAsTheReference(final PhaseCounters counters)
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final String where = "seed " + seed;
        for (int round = 0; round < 200; round++)
        {
            final String name = "m" + round; // a fresh counter each round: most rounds saturate after a few additions
            BigInteger input = BigInteger.ZERO;
            BigInteger spend = BigInteger.ZERO;
            for (int i = 0; i < 10; i++)
            {
                final long tokens = delta(random);
                final long micros = delta(random);
                counters.addAttempt(name, false, false, tokens, 0, micros, false, false);
                input = input.add(BigInteger.valueOf(tokens)).min(MAX);
                spend = spend.add(BigInteger.valueOf(micros)).min(MAX);
                final PhaseCounters.ModelCounts counts = model(counters, name);
                assertEquals(input.longValueExact(), counts.inputTokens(), where + ", round " + round + ", addition " + i);
                assertEquals(spend.longValueExact(), counts.spendMicros(), where + ", round " + round + ", addition " + i);
            }
        }
    }

    /** Mostly small, some near PhaseOutcome.MAX_TOKENS, a few near Long.MAX_VALUE / 2^k: the sums cross the top. */
    private static long delta(final Random random)
    {
        switch (random.nextInt(5))
        {
            case 0:
                return random.nextInt(1_000);
            case 1:
                return PhaseOutcome.MAX_TOKENS - random.nextInt(1_000);
            case 2:
                return (Long.MAX_VALUE >>> random.nextInt(8)) - random.nextInt(1_000);
            case 3:
                return random.nextInt(2) == 0 ? 0 : Long.MAX_VALUE;
            default:
                return random.nextLong() & Long.MAX_VALUE;
        }
    }

    private static PhaseCounters.ModelCounts model(final PhaseCounters counters, final String name)
    {
        final Map<String, PhaseCounters.ModelCounts> models = new HashMap<>();
        counters.forEachModel(models::put);
        return models.get(name);
    }
}
