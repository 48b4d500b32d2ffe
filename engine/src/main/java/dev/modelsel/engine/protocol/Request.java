package dev.modelsel.engine.protocol;

import java.util.Arrays;

/**
 * One parsed {@code run} request line: the op, and each field an op may read as absent, null, a value of the
 * right JSON type, or a value of the wrong type (kept as written, for the error answer). Which fields the op
 * needs is the session's business.
 * <p>
 * Reused line after line; not thread-safe.
 */
final class Request
{
    private static final byte ABSENT = 0;
    private static final byte NULL = 1;
    private static final byte VALUE = 2;
    private static final byte WRONG_TYPE = 3;
    private static final byte TOO_LARGE = 4;

    private final byte[] states = new byte[Field.VALUES.length];
    private final long[] integers = new long[Field.VALUES.length];
    private final double[] numbers = new double[Field.VALUES.length];
    private final String[] texts = new String[Field.VALUES.length];

    /** The op, or {@code null} with {@link #opProblem} saying why. */
    Op op;
    String opProblem;

    void reset()
    {
        Arrays.fill(states, ABSENT);
        Arrays.fill(texts, null);
        op = null;
        opProblem = "missing op";
    }

    void putNull(final Field field)
    {
        states[field.ordinal()] = NULL;
    }

    void putInteger(final Field field, final long value)
    {
        states[field.ordinal()] = VALUE;
        integers[field.ordinal()] = value;
    }

    void putNumber(final Field field, final double value)
    {
        states[field.ordinal()] = VALUE;
        numbers[field.ordinal()] = value;
    }

    void putText(final Field field, final String value)
    {
        states[field.ordinal()] = VALUE;
        texts[field.ordinal()] = value;
    }

    /** Records a value of the wrong JSON type, as written. */
    void putWrongType(final Field field, final String asWritten)
    {
        states[field.ordinal()] = WRONG_TYPE;
        texts[field.ordinal()] = asWritten;
    }

    /** Records an integer past the field's {@link Field#max}, as written. */
    void putTooLarge(final Field field, final String asWritten)
    {
        states[field.ordinal()] = TOO_LARGE;
        texts[field.ordinal()] = asWritten;
    }

    /** @return whether the field holds a value of its type (not absent, not null). */
    boolean has(final Field field)
    {
        return states[field.ordinal()] == VALUE;
    }

    /** @return why the field cannot be used ("missing tokens", "tokens must be ..."), or {@code null} when it can. */
    String problem(final Field field)
    {
        switch (states[field.ordinal()])
        {
            case VALUE:
                return null;
            case WRONG_TYPE:
                return field.wireName + " must be " + field.type.description + ", got " + texts[field.ordinal()];
            case TOO_LARGE:
                return field.wireName + " must be at most " + field.max + ", got " + texts[field.ordinal()];
            default:
                return "missing " + field.wireName;
        }
    }

    /** @return why an optional field cannot be used, or {@code null} when it is absent, null or valid. */
    String optionalProblem(final Field field)
    {
        final byte state = states[field.ordinal()];
        return state == WRONG_TYPE || state == TOO_LARGE ? problem(field) : null;
    }

    long integer(final Field field)
    {
        return integers[field.ordinal()];
    }

    double number(final Field field)
    {
        return numbers[field.ordinal()];
    }

    String text(final Field field)
    {
        return texts[field.ordinal()];
    }
}
