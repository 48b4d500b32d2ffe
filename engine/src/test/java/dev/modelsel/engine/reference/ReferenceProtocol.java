package dev.modelsel.engine.reference;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * SPEC §4 read plainly: which lines are {@code INVALID_REQUEST}, and what the others answer, by way of
 * {@link ReferenceSelector}. Answers are maps with SPEC's keys, or {@code null} for a blank line.
 */
public final class ReferenceProtocol
{
    public static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private static final List<String> COMPLEXITIES = List.of("low", "medium", "high");
    private static final List<String> TRIGGERS = List.of("token_overflow", "phase_failure", "quality");

    private final RefCatalog catalog;
    private final ReferenceSelector selector;
    private final LongSupplier clockMs;

    public ReferenceProtocol(final RefCatalog catalog, final LongSupplier clockMs)
    {
        this.catalog = catalog;
        this.selector = new ReferenceSelector(catalog);
        this.clockMs = clockMs;
    }

    /** A failed check: the line is answered {@code INVALID_REQUEST}. */
    private static final class Invalid extends Exception
    {
        private static final long serialVersionUID = 1L;

        Invalid(final String why)
        {
            super(why, null, false, false);
        }
    }

    public static final Map<String, Object> INVALID = Map.of("status", "INVALID_REQUEST");

    /** @return the expected answer's fields, or {@code null} for a blank line (no answer). */
    public Map<String, Object> handle(final String line)
    {
        if (line.isBlank())
        {
            return null;
        }
        try
        {
            return answer(parse(line));
        }
        catch (final Invalid invalid)
        {
            return INVALID;
        }
    }

    private static JsonNode parse(final String line) throws Invalid
    {
        try
        {
            final JsonNode node = JSON.readTree(line);
            if (node == null || !node.isObject())
            {
                throw new Invalid("not an object");
            }
            return node;
        }
        catch (final Invalid invalid)
        {
            throw invalid;
        }
        catch (final Exception notJson)
        {
            throw new Invalid("not JSON");
        }
    }

    private Map<String, Object> answer(final JsonNode request) throws Invalid
    {
        final JsonNode op = request.get("op");
        if (op == null || !op.isTextual())
        {
            throw new Invalid("op");
        }
        switch (op.asText())
        {
            case "select":
            {
                final String complexity = complexity(request);
                final BigInteger tokens = integer(request, "tokens");
                final long now = now(request);
                return fields(selector.select(complexity, tokens, now));
            }
            case "escalate":
            {
                final String complexity = complexity(request);
                final BigInteger tokens = integer(request, "tokens");
                final long now = now(request);
                final String model = tieredModel(request);
                final int tier = tier(request);
                final String trigger = text(request, "trigger");
                if (!TRIGGERS.contains(trigger))
                {
                    throw new Invalid("trigger");
                }
                final BigInteger retryCount = trigger.equals("phase_failure") ? integer(request, "retry_count") : null;
                final double quality = trigger.equals("quality") ? number(request, "quality_score") : 0;
                return fields(selector.escalate(complexity, tokens, now, model, tier, trigger, retryCount, quality));
            }
            case "rate_limited":
            {
                final String complexity = complexity(request);
                final BigInteger tokens = integer(request, "tokens");
                final long now = now(request);
                final String model = tieredModel(request);
                final int tier = tier(request);
                final long retryAfter = integer(request, "retry_after_ms").longValueExact();
                return fields(selector.rateLimited(complexity, tokens, now, model, tier, retryAfter));
            }
            case "set_down":
                selector.setDown(availabilityModel(request));
                return Map.of("status", "OK");
            case "set_up":
                selector.setUp(availabilityModel(request));
                return Map.of("status", "OK");
            case "set_rate_limited":
            {
                final String model = availabilityModel(request);
                final BigInteger dayAhead = BigInteger.valueOf(now(request)).add(BigInteger.valueOf(ReferenceSelector.DAY_MS));
                selector.setRateLimited(model, integer(request, "until_ms").min(dayAhead).longValueExact());
                return Map.of("status", "OK");
            }
            case "record":
                record(request);
                return Map.of("status", "OK");
            default:
                throw new Invalid("unknown op");
        }
    }

    /** SPEC §4's record (issue 5's fields) and SPEC §7's effects, at now_ms or the clock. */
    private void record(final JsonNode request) throws Invalid
    {
        if (text(request, "category").isEmpty())
        {
            throw new Invalid("empty category");
        }
        complexity(request);
        final BigInteger initialTier = integer(request, "initial_tier");
        final BigInteger finalTier = integer(request, "final_tier");
        for (final BigInteger tier : new BigInteger[] {initialTier, finalTier})
        {
            if (tier.signum() <= 0 || tier.compareTo(BigInteger.valueOf(catalog.tierCount())) > 0)
            {
                throw new Invalid("no such tier");
            }
        }
        final String model = text(request, "model");
        if (model.isEmpty())
        {
            throw new Invalid("empty model");
        }
        final BigInteger input = tokens(request, "input_tokens");
        final BigInteger output = tokens(request, "output_tokens");
        if (!required(request, "success").isBoolean())
        {
            throw new Invalid("success not a boolean");
        }
        if (request.has("quality_score") && !request.get("quality_score").isNull())
        {
            number(request, "quality_score");
        }
        if (request.has("attempt") && !request.get("attempt").isNull() &&
            integer(request, "attempt").compareTo(BigInteger.valueOf(1_000_000)) > 0)
        {
            throw new Invalid("attempt over 10^6");
        }
        selector.record(model, input, output, now(request));
    }

    private static BigInteger tokens(final JsonNode request, final String field) throws Invalid
    {
        final BigInteger tokens = integer(request, field);
        if (tokens.compareTo(BigInteger.valueOf(1_000_000_000_000L)) > 0)
        {
            throw new Invalid(field + " over 10^12");
        }
        return tokens;
    }

    private static Map<String, Object> fields(final ReferenceSelector.Answer answer)
    {
        final Map<String, Object> fields = new java.util.HashMap<>();
        fields.put("status", answer.status());
        fields.put("model", answer.model());
        fields.put("tier", answer.tier());
        fields.put("initial_tier", answer.initialTier());
        fields.put("fallback", answer.fallback());
        fields.put("retry_at_ms", answer.retryAtMs());
        return fields;
    }

    private static JsonNode required(final JsonNode request, final String field) throws Invalid
    {
        final JsonNode value = request.get(field);
        if (value == null || value.isNull())
        {
            throw new Invalid("missing " + field);
        }
        return value;
    }

    private static String text(final JsonNode request, final String field) throws Invalid
    {
        final JsonNode value = required(request, field);
        if (!value.isTextual())
        {
            throw new Invalid(field + " not a string");
        }
        return value.asText();
    }

    private static BigInteger integer(final JsonNode request, final String field) throws Invalid
    {
        final JsonNode value = required(request, field);
        if (!value.isIntegralNumber() || value.bigIntegerValue().signum() < 0)
        {
            throw new Invalid(field + " not a non-negative integer");
        }
        return value.bigIntegerValue();
    }

    private static double number(final JsonNode request, final String field) throws Invalid
    {
        final JsonNode value = required(request, field);
        if (!value.isNumber())
        {
            throw new Invalid(field + " not a number");
        }
        return value.doubleValue();
    }

    private static String complexity(final JsonNode request) throws Invalid
    {
        final String complexity = text(request, "complexity");
        if (!COMPLEXITIES.contains(complexity))
        {
            throw new Invalid("complexity");
        }
        return complexity;
    }

    /** now_ms may be absent or null: then the clock. */
    private long now(final JsonNode request) throws Invalid
    {
        final JsonNode value = request.get("now_ms");
        if (value == null || value.isNull())
        {
            return clockMs.getAsLong();
        }
        return integer(request, "now_ms").longValueExact();
    }

    private String tieredModel(final JsonNode request) throws Invalid
    {
        final String model = text(request, "model");
        if (!catalog.tieredIds().contains(model))
        {
            throw new Invalid("model in no tier");
        }
        return model;
    }

    private int tier(final JsonNode request) throws Invalid
    {
        final BigInteger tier = integer(request, "tier");
        if (tier.signum() <= 0 || tier.compareTo(BigInteger.valueOf(catalog.tierCount())) > 0)
        {
            throw new Invalid("no such tier");
        }
        return tier.intValueExact();
    }

    private static String availabilityModel(final JsonNode request) throws Invalid
    {
        final String model = text(request, "model");
        if (model.isEmpty())
        {
            throw new Invalid("empty model");
        }
        return model;
    }
}
