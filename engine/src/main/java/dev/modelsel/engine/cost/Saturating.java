package dev.modelsel.engine.cost;

/** Counter arithmetic that stops at {@code Long.MAX_VALUE} instead of wrapping negative. Stateless. */
final class Saturating
{
    private Saturating()
    {
    }

    /** @return {@code current + delta}, or {@code Long.MAX_VALUE} where that overflows; {@code delta} is not negative. */
    static long add(final long current, final long delta)
    {
        final long sum = current + delta;
        return sum < current ? Long.MAX_VALUE : sum;
    }
}
