package dev.modelsel.catalog;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every way {@link FitIndex} finds a row (counting, buckets, binary search) against a plain scan. */
class FitIndexTest
{
    @ParameterizedTest
    @ValueSource(strings = {"few", "spread", "crowded", "huge"})
    void shouldFindTheRowOfEveryTokenCount(final String shape)
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final int models = shape.equals("few") ? 6 : 400;
        final long[] limits = new long[models];
        for (int m = 0; m < models; m++)
        {
            switch (shape)
            {
                case "crowded": // hundreds of limits within one bucket, and one far beyond: binary search
                    limits[m] = m == 0 ? 1L << 50 : 1000 + random.nextInt(300);
                    break;
                case "huge":
                    limits[m] = (long)(random.nextDouble() * (1L << 53));
                    break;
                default:
                    limits[m] = random.nextInt(2_000_000);
            }
        }
        final FitIndex index = new FitIndex(limits, models, (models + 63) / 64);
        final long[] probes = new long[5000];
        for (int i = 0; i < probes.length; i++)
        {
            final long near = limits[random.nextInt(models)];
            probes[i] = i % 5 == 0 ? random.nextLong() : near + random.nextInt(3) - 1;
        }
        for (final long tokens : probes)
        {
            int expected = 0;
            for (int r = 0; r < index.rows(); r++)
            {
                expected += index.limit(r) < tokens ? 1 : 0;
            }
            assertEquals(expected, index.row(tokens), shape + ", seed " + seed + ", " + tokens + " tokens");
        }
    }
}
