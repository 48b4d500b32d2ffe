package dev.modelsel.catalog.litellm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The import rules read straight from the issue, on Jackson's tree rather than the importer's stream: which entries
 * become models, with what exact numbers, and why the others are skipped. Slow and plain on purpose.
 */
final class ReferenceImport
{
    static final ObjectMapper JSON = JsonMapper.builder()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .build();

    /** An expected model: exact decimals, {@code output} and {@code provider} may be null; rpm, tpm 0 for none. */
    record Expected(long window, BigDecimal input, BigDecimal output, String provider, long rpm, long tpm)
    {
    }

    /** Numbers without trailing zeros, so that equal values are equal records. */
    static Expected expected(final long window, final BigDecimal input, final BigDecimal output, final String provider,
        final long rpm, final long tpm)
    {
        return new Expected(window, input.stripTrailingZeros(), output == null ? null : output.stripTrailingZeros(),
            provider, rpm, tpm);
    }

    final Map<String, Expected> models = new TreeMap<>();
    final Map<SkipReason, Integer> skipped = new EnumMap<>(SkipReason.class);

    ReferenceImport(final byte[] priceList) throws Exception
    {
        for (final SkipReason reason : SkipReason.values())
        {
            skipped.put(reason, 0);
        }
        final Set<String> seen = new HashSet<>();
        try (JsonParser parser = JSON.createParser(priceList)) // a tree of the whole file would merge repeated ids
        {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String id = parser.currentName();
                parser.nextToken();
                final JsonNode value = JSON.readTree(parser);
                final SkipReason reason = seen.add(id) ? classify(id, value) : SkipReason.MALFORMED;
                if (reason != null)
                {
                    skipped.merge(reason, 1, Integer::sum);
                }
            }
        }
    }

    private SkipReason classify(final String id, final JsonNode value)
    {
        if (id.equals("sample_spec"))
        {
            return SkipReason.SAMPLE_SPEC;
        }
        if (!value.isObject())
        {
            return SkipReason.MALFORMED;
        }
        final JsonNode mode = value.get("mode");
        if (present(mode) && !mode.isTextual())
        {
            return SkipReason.MALFORMED;
        }
        if (!present(mode) || !mode.asText().equals("chat"))
        {
            return SkipReason.NOT_CHAT;
        }
        final JsonNode input = value.get("input_cost_per_token");
        if (!present(input))
        {
            return SkipReason.NO_PRICE;
        }
        final JsonNode output = value.get("output_cost_per_token");
        final JsonNode window = value.get("max_input_tokens");
        final JsonNode provider = value.get("litellm_provider");
        final JsonNode rpm = value.get("rpm");
        final JsonNode tpm = value.get("tpm");
        if (id.isEmpty() || !price(input) || (present(output) && !price(output)) ||
            (present(window) && !wholeTokens(window)) || (present(provider) && !provider.isTextual()) ||
            (present(rpm) && !rateLimit(rpm)) || (present(tpm) && !rateLimit(tpm)))
        {
            return SkipReason.MALFORMED;
        }
        if (!present(window) || window.decimalValue().signum() == 0)
        {
            return SkipReason.NO_CONTEXT;
        }
        models.put(id, expected(window.decimalValue().longValueExact(), input.decimalValue().scaleByPowerOfTen(6),
            present(output) ? output.decimalValue().scaleByPowerOfTen(6) : null,
            present(provider) ? provider.asText() : null, present(rpm) ? rpm.decimalValue().longValueExact() : 0,
            present(tpm) ? tpm.decimalValue().longValueExact() : 0));
        return null;
    }

    /** SPEC §7: a whole number from 1 to 10^9. */
    private static boolean rateLimit(final JsonNode node)
    {
        if (!node.isNumber() || !finite(node))
        {
            return false;
        }
        final BigDecimal value = node.decimalValue();
        return value.signum() > 0 && value.remainder(BigDecimal.ONE).signum() == 0 &&
            value.compareTo(BigDecimal.valueOf(1_000_000_000L)) <= 0;
    }

    private static boolean present(final JsonNode node)
    {
        return node != null && !node.isNull();
    }

    private static boolean price(final JsonNode node)
    {
        if (!node.isNumber() || !finite(node) || node.decimalValue().signum() < 0)
        {
            return false;
        }
        final BigDecimal perMillion = node.decimalValue().scaleByPowerOfTen(6).stripTrailingZeros();
        return Double.isFinite(perMillion.doubleValue()) &&
            (perMillion.signum() == 0 || perMillion.scale() <= 30 && perMillion.precision() <= 40);
    }

    private static boolean wholeTokens(final JsonNode node)
    {
        if (!node.isNumber() || !finite(node))
        {
            return false;
        }
        final BigDecimal tokens = node.decimalValue();
        return tokens.signum() >= 0 && tokens.remainder(BigDecimal.ONE).signum() == 0 &&
            tokens.compareTo(BigDecimal.valueOf(2).pow(53)) <= 0;
    }

    private static boolean finite(final JsonNode node)
    {
        return !(node.isDouble() || node.isFloat()) || Double.isFinite(node.doubleValue());
    }
}
