package dev.modelsel.catalog.litellm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogProblem;
import dev.modelsel.catalog.SyntaxErrors;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Consumer;

/**
 * Streams LiteLLM's price list ({@code model_prices_and_context_window.json}: one JSON object of model id to
 * fields) and hands each entry, with its line, to a consumer. Only the fields an import needs are kept, each as
 * written, so that the importer decides what is malformed and numbers stay exact ({@link BigDecimal}). A file that
 * is not such an object is refused with the line where reading stopped.
 */
final class PriceListReader
{
    /** The fields the importer reads; everything else in an entry is skipped. */
    enum Key
    {
        MODE("mode"),
        INPUT_COST("input_cost_per_token"),
        OUTPUT_COST("output_cost_per_token"),
        MAX_INPUT_TOKENS("max_input_tokens"),
        PROVIDER("litellm_provider"),
        RPM("rpm"),
        TPM("tpm");

        final String jsonName;

        Key(final String jsonName)
        {
            this.jsonName = jsonName;
        }

        static Key of(final String name)
        {
            for (final Key key : values())
            {
                if (key.jsonName.equals(name))
                {
                    return key;
                }
            }
            return null;
        }
    }

    /** One value as the file writes it; {@code number} is set for a finite number, else {@code null}. */
    record Field(JsonToken token, String text, BigDecimal number)
    {
        boolean isNull()
        {
            return token == JsonToken.VALUE_NULL;
        }

        boolean isString()
        {
            return token == JsonToken.VALUE_STRING;
        }

        /** How the value reads in a message. */
        String describe()
        {
            switch (token)
            {
                case VALUE_STRING:
                    return "the string \"" + text + "\"";
                case START_OBJECT:
                    return "an object";
                case START_ARRAY:
                    return "a list";
                default:
                    return text;
            }
        }
    }

    /**
     * One top-level entry. {@code shape} is {@code null} for an object; otherwise the value that stands where an
     * object should. {@code repeatedKey} names a field the entry gives twice, else {@code null}.
     */
    record Entry(String id, int line, Field shape, Field[] fields, String repeatedKey)
    {
        Field field(final Key key)
        {
            return fields[key.ordinal()];
        }
    }

    private static final JsonFactory JSON = JsonFactory.builder()
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // Python's json module writes NaN; one bad entry, not a bad file
        .build();

    private PriceListReader()
    {
    }

    /**
     * @param source  the name messages give the file.
     * @param json    the whole file.
     * @param entries receives each entry in file order.
     * @throws CatalogException when the file is not one JSON object of entries.
     */
    static void read(final String source, final byte[] json, final Consumer<Entry> entries) throws CatalogException
    {
        try (JsonParser parser = JSON.createParser(json))
        {
            final JsonToken first = parser.nextToken();
            if (first == null)
            {
                throw problem(source, 0, "the file is empty; expected LiteLLM's price list, one JSON object of models");
            }
            if (first != JsonToken.START_OBJECT)
            {
                throw problem(source, line(parser), "expected LiteLLM's price list, one JSON object of model id to " +
                    "fields; the file starts with " + describe(parser));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String id = parser.currentName();
                final int line = line(parser);
                parser.nextToken();
                entries.accept(parser.currentToken() == JsonToken.START_OBJECT ? readObject(parser, id, line) :
                    new Entry(id, line, scalar(parser), new Field[Key.values().length], null));
            }
            if (parser.nextToken() != null)
            {
                throw problem(source, line(parser), "more text after the price list's closing brace");
            }
        }
        catch (final JsonProcessingException ex)
        {
            throw new CatalogException(List.of(SyntaxErrors.describe(source, ex, true)), List.of());
        }
        catch (final IOException ex)
        {
            throw problem(source, 0, "cannot read: " + ex.getMessage());
        }
    }

    private static Entry readObject(final JsonParser parser, final String id, final int line) throws IOException
    {
        final Field[] fields = new Field[Key.values().length];
        String repeatedKey = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME)
        {
            final Key key = Key.of(parser.currentName());
            parser.nextToken();
            final Field value = scalar(parser);
            if (key != null)
            {
                if (fields[key.ordinal()] != null && repeatedKey == null)
                {
                    repeatedKey = key.jsonName;
                }
                fields[key.ordinal()] = value;
            }
        }
        return new Entry(id, line, null, fields, repeatedKey);
    }

    /** The current value; an object or list is skipped whole and kept only as its kind. */
    private static Field scalar(final JsonParser parser) throws IOException
    {
        final JsonToken token = parser.currentToken();
        if (token.isStructStart())
        {
            parser.skipChildren();
            return new Field(token, null, null);
        }
        final String text = parser.getText();
        return new Field(token, text, token.isNumeric() ? finite(parser) : null);
    }

    private static BigDecimal finite(final JsonParser parser) throws IOException
    {
        return parser.isNaN() ? null : parser.getDecimalValue(); // isNaN: NaN and the infinities
    }

    private static String describe(final JsonParser parser) throws IOException
    {
        final JsonToken token = parser.currentToken();
        return token == JsonToken.START_ARRAY ? "a list" : token == JsonToken.VALUE_STRING ? "a string" : parser.getText();
    }

    private static int line(final JsonParser parser)
    {
        return parser.currentTokenLocation().getLineNr();
    }

    private static CatalogException problem(final String source, final int line, final String message)
    {
        return new CatalogException(List.of(new CatalogProblem(source, "", line, message)), List.of());
    }
}
