package dev.modelsel.catalog;

import java.util.Arrays;

/**
 * Turns "which models fit n tokens?" into a bitset, for a catalog's tiered models.
 * <p>
 * The distinct token limits, ascending, number the <em>rows</em>: row {@code r} is every model whose limit is at
 * least {@code limits[r]}, and a count of {@code n} tokens belongs to the first row whose limit is at least
 * {@code n} (row {@code limits.length}, past the end, is empty). Models are also kept grouped by row.
 * <p>
 * Keeping one bitset per row costs rows &times; words longs, which grows with the square of the catalog when
 * every model has a window of its own. So a bitset is kept for every {@code stride}-th row only, the stride
 * chosen to keep them all within {@link #BUDGET_BYTES}; any other row is its next kept row plus the models of the
 * rows in between, at most {@code stride - 1} groups. Catalogs of the real world have few distinct windows and a
 * stride of 1: every row kept, a fill is a copy.
 * <p>
 * Immutable.
 */
final class FitIndex
{
    /** Up to this many distinct limits are counted rather than searched. */
    private static final int SMALL = 8;
    /** At most this many buckets (64 KiB of row numbers) ... */
    private static final int MAX_BUCKETS = 16_384;
    /** ... and at most this many limits in one bucket; else a branch-free binary search. */
    private static final int MAX_BUCKET_STEPS = 4;

    /** At most this much memory for the kept rows. */
    static final long BUDGET_BYTES = 16L << 20;

    private final long[] limits;
    /** {@link #limits} and a {@code Long.MAX_VALUE} after them, so a count can step past the last without a check. */
    private final long[] limitsThenNever;
    private final long largestLimit;
    /**
     * The first row of each bucket of {@code 1 << bucketShift} token counts, so that a count's row is its bucket's
     * first plus at most {@code bucketSteps} limits counted within the bucket; {@code null} when counting or
     * searching all the limits is cheaper (few limits, or limits too crowded for buckets).
     */
    private final int[] bucketFirstRows;
    private final int bucketShift;
    private final int bucketSteps;
    private final int words;
    private final int stride;
    /** Kept row {@code i} is row {@code i * stride}; the last kept row is the empty one past the end. */
    private final long[] keptRows;
    /** Models of row r: {@code modelsByRow[rowStart[r] .. rowStart[r + 1])}. */
    private final int[] rowStart;
    private final int[] modelsByRow;

    FitIndex(final long[] tokenLimits, final int tieredCount, final int words)
    {
        this.words = words;
        this.limits = Arrays.stream(tokenLimits, 0, tieredCount).distinct().sorted().toArray();
        final int rows = limits.length;
        this.limitsThenNever = Arrays.copyOf(limits, rows + 1);
        limitsThenNever[rows] = Long.MAX_VALUE;
        this.largestLimit = limits[rows - 1];
        int shift = 0;
        while ((largestLimit >>> shift) >= MAX_BUCKETS)
        {
            shift++;
        }
        int steps = 0;
        for (int first = 0, last = 0; first < rows; first = last)
        {
            while (last < rows && (limits[last] >>> shift) == (limits[first] >>> shift))
            {
                last++;
            }
            steps = Math.max(steps, last - first);
        }
        final boolean buckets = rows > SMALL && steps <= MAX_BUCKET_STEPS;
        this.bucketShift = shift;
        this.bucketSteps = steps;
        this.bucketFirstRows = buckets ? new int[(int)(largestLimit >>> shift) + 1] : null;
        for (int b = 0, row = 0; buckets && b < bucketFirstRows.length; b++)
        {
            while (row < rows && limits[row] < ((long)b << shift))
            {
                row++;
            }
            bucketFirstRows[b] = row;
        }

        rowStart = new int[rows + 1];
        final int[] rowOfModel = new int[tieredCount];
        for (int m = 0; m < tieredCount; m++)
        {
            rowOfModel[m] = Arrays.binarySearch(limits, tokenLimits[m]);
            rowStart[rowOfModel[m] + 1]++;
        }
        for (int r = 0; r < rows; r++)
        {
            rowStart[r + 1] += rowStart[r];
        }
        modelsByRow = new int[tieredCount];
        final int[] next = Arrays.copyOf(rowStart, rows);
        for (int m = 0; m < tieredCount; m++)
        {
            modelsByRow[next[rowOfModel[m]]++] = m;
        }

        final long rowBytes = 8L * words;
        stride = (int)Math.max(1, Math.min(rows, ((rows + 1) * rowBytes + BUDGET_BYTES - 1) / BUDGET_BYTES));
        final int kept = (rows + stride - 1) / stride + 1;
        keptRows = new long[kept * words];
        final long[] running = new long[words];
        for (int r = rows - 1; r >= 0; r--)
        {
            for (int i = rowStart[r]; i < rowStart[r + 1]; i++)
            {
                running[modelsByRow[i] >>> 6] |= 1L << modelsByRow[i];
            }
            if (r % stride == 0)
            {
                System.arraycopy(running, 0, keptRows, (r / stride) * words, words);
            }
        }
    }

    /** @return the row of {@code tokens}: the first whose limit is at least that, or {@link #rows()} when none is. */
    int row(final long tokens)
    {
        final int[] firstRows = bucketFirstRows;
        if (firstRows == null)
        {
            return row(limits, tokens);
        }
        if (tokens > largestLimit)
        {
            return limits.length;
        }
        int row = firstRows[(int)(Math.max(0, tokens) >>> bucketShift)];
        for (int step = 0; step < bucketSteps; step++)
        {
            row += limitsThenNever[row] < tokens ? 1 : 0; // past the bucket the limits exceed tokens: no step counts
        }
        return row;
    }

    /**
     * The lower bound of {@code tokens} in ascending {@code limits}, without branches on the data: irregular token
     * counts would mispredict a classic search's. A few limits are counted outright (independent compares); more
     * are halved (a chain of dependent loads, but only log2 of them).
     */
    static int row(final long[] limits, final long tokens)
    {
        int length = limits.length;
        if (length <= SMALL)
        {
            int row = 0;
            for (int i = 0; i < length; i++)
            {
                row += limits[i] < tokens ? 1 : 0;
            }
            return row;
        }
        int base = 0;
        while (length > 1)
        {
            final int half = length >>> 1;
            base = limits[base + half - 1] < tokens ? base + half : base;
            length -= half;
        }
        return limits[base] < tokens ? base + 1 : base;
    }

    /** The distinct limits, ascending; not to be changed. */
    long[] limits()
    {
        return limits;
    }

    /** The number of non-empty rows: the distinct limits. */
    int rows()
    {
        return limits.length;
    }

    long limit(final int row)
    {
        return limits[row];
    }

    /** Writes the models of {@code row} (those that fit its tokens) into {@code into[base .. base + words)}. */
    void fill(final int row, final long[] into, final int base)
    {
        final int kept = Math.min((row + stride - 1) / stride, keptRows.length / words - 1);
        System.arraycopy(keptRows, kept * words, into, base, words);
        final int keptRow = Math.min(kept * stride, limits.length);
        for (int i = rowStart[row]; i < rowStart[keptRow]; i++)
        {
            into[base + (modelsByRow[i] >>> 6)] |= 1L << modelsByRow[i];
        }
    }

    /** Whether every row is kept as a bitset, so that {@link #word} can read one word of any row. */
    boolean everyRowKept()
    {
        return stride == 1;
    }

    /** One word of a row; only when {@link #everyRowKept()}. */
    long word(final int row, final int word)
    {
        return keptRows[row * words + word];
    }

    /** The models whose limit is exactly that of {@code row}: indexes {@link #rowStart(int)} .. {@code rowStart(row + 1)}. */
    int rowStart(final int row)
    {
        return rowStart[row];
    }

    int modelAt(final int index)
    {
        return modelsByRow[index];
    }

    int stride()
    {
        return stride;
    }

    long memoryBytes()
    {
        return 8L * (keptRows.length + limits.length) + 4L * (rowStart.length + modelsByRow.length);
    }
}
