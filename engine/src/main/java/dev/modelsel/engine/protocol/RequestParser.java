package dev.modelsel.engine.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.modelsel.catalog.QuotedText;
import dev.modelsel.catalog.SyntaxErrors;

import java.io.IOException;

/**
 * Reads one request line, a JSON object, into a {@link Request}, checking each known field's JSON type on the way
 * (SPEC §4: {@code 1.5}, {@code "10"} and {@code -5} are not non-negative integers). Unknown fields are skipped.
 * A key given twice in any object of the line refuses the line, as a catalog's would be: which of the two values
 * was meant ({@code {"op": "select", "op": "set_down"}}) is a guess no answer should rest on.
 * <p>
 * Not thread-safe: one per session.
 */
final class RequestParser
{
    private static final JsonFactory JSON = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    private static final String DUPLICATE = "Duplicate field '";
    private static final int MAX_ECHOED_DIGITS = 40;

    /**
     * @return {@code null} when the line is a JSON object (whatever its fields), else why it is not.
     */
    String parse(final byte[] line, final int offset, final int length, final Request into)
    {
        into.reset();
        try (JsonParser parser = JSON.createParser(line, offset, length))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                return "not a JSON object";
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                if ("op".equals(name))
                {
                    op(parser, value, into);
                    continue;
                }
                final Field field = Field.fromWireName(name);
                if (field == null)
                {
                    parser.skipChildren();
                }
                else
                {
                    field(parser, value, field, into);
                }
            }
            if (parser.nextToken() != null)
            {
                return "not a single JSON object: more follows it on the line";
            }
            return null;
        }
        catch (final JsonParseException ex)
        {
            if (ex.getOriginalMessage() != null && ex.getOriginalMessage().startsWith(DUPLICATE) &&
                ex.getProcessor() != null)
            {
                return repeatedKey(ex.getProcessor());
            }
            return notJson(ex);
        }
        catch (final JsonProcessingException ex)
        {
            return notJson(ex);
        }
        catch (final IOException ex)
        {
            return "not valid JSON: " + firstLine(ex.getMessage());
        }
    }

    /** The parser has just read the key again, and holds it as its current name. */
    private static String repeatedKey(final JsonParser parser)
    {
        String name;
        try
        {
            name = parser.currentName();
        }
        catch (final IOException ex)
        {
            name = null;
        }
        return name == null ? "a key is given twice; give each once" :
            "the key " + QuotedText.of(name) + " is given twice; give it once";
    }

    private static String notJson(final JsonProcessingException ex)
    {
        return "not valid JSON: " + SyntaxErrors.json(ex) +
            (ex.getLocation() != null && ex.getLocation().getColumnNr() > 0 ? " (column " +
            ex.getLocation().getColumnNr() + ")" : "");
    }

    private static void op(final JsonParser parser, final JsonToken value, final Request into) throws IOException
    {
        if (value != JsonToken.VALUE_STRING)
        {
            into.op = null;
            into.opProblem = value == JsonToken.VALUE_NULL ? "missing op" : "op must be a string, got " +
                asWritten(parser, value);
            parser.skipChildren();
            return;
        }
        final String name = parser.getText();
        into.op = Op.fromWireName(name);
        into.opProblem = into.op == null ? "unknown op " + QuotedText.of(name) : null;
    }

    private static void field(final JsonParser parser, final JsonToken value, final Field field, final Request into)
        throws IOException
    {
        if (value == JsonToken.VALUE_NULL)
        {
            into.putNull(field);
            return;
        }
        switch (field.type)
        {
            case STRING:
                if (value == JsonToken.VALUE_STRING)
                {
                    into.putText(field, parser.getText());
                    return;
                }
                break;
            case NUMBER:
                if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT)
                {
                    into.putNumber(field, parser.getDoubleValue());
                    return;
                }
                break;
            case BOOLEAN:
                if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE)
                {
                    into.putInteger(field, value == JsonToken.VALUE_TRUE ? 1 : 0);
                    return;
                }
                break;
            default:
                if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER)
                {
                    final long number = parser.getLongValue();
                    if (number >= 0)
                    {
                        integer(parser, field, number, into);
                        return;
                    }
                }
                else if (value == JsonToken.VALUE_NUMBER_INT && parser.getBigIntegerValue().signum() >= 0)
                {
                    integer(parser, field, Long.MAX_VALUE, into); // beyond any limit or clock: saturate
                    return;
                }
                break;
        }
        into.putWrongType(field, asWritten(parser, value));
        parser.skipChildren();
    }

    private static void integer(final JsonParser parser, final Field field, final long number, final Request into)
        throws IOException
    {
        if (number > field.max)
        {
            into.putTooLarge(field, abridged(parser.getText()));
        }
        else
        {
            into.putInteger(field, number);
        }
    }

    /** A number of thousands of digits is not echoed whole into an answer or a report. */
    private static String abridged(final String digits)
    {
        return digits.length() <= MAX_ECHOED_DIGITS ? digits :
            digits.substring(0, MAX_ECHOED_DIGITS) + "... (" + digits.length() + " digits)";
    }

    private static String asWritten(final JsonParser parser, final JsonToken value) throws IOException
    {
        switch (value)
        {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return QuotedText.of(parser.getText());
            default:
                return QuotedText.excerpt(parser.getText());
        }
    }

    private static String firstLine(final String message)
    {
        final int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
