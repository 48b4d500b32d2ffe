package dev.modelsel.catalog.litellm;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random price lists in LiteLLM's shape, with the mess real snapshots have: missing, null and mistyped fields,
 * NaN, free models, huge and fractional windows, repeated ids, entries that are not objects, unknown fields.
 */
final class RandomPriceLists
{
    private static final String[] MODES = {"\"chat\"", "\"chat\"", "\"chat\"", "\"completion\"", "\"embedding\"", "null",
        "7"};
    private static final String[] PRICES = {"0", "0.0", "2.5e-07", "1E-6", "3e-06", "1.5000020000000002e-05", "1",
        "12", "-1e-06", "\"0.1\"", "NaN", "null", "1e400", "[1]",
        "1e-999999999", "1e-36", "1e-37", "0.12345678901234567890123456789012345678901234567890"};
    private static final String[] WINDOWS = {"128000", "2000000.0", "8192", "0", "1.5", "-5", "\"4096\"", "null",
        "9007199254740992", "9007199254740993", "1e20", "10485760", "{}"};
    private static final String[] LIMITS = {"500", "30000", "150000000", "1000000000", "1000000001", "0", "-5",
        "2.5", "1e3", "1.0", "\"100\"", "null"};
    private static final String[] PROVIDERS = {"\"openai\"", "\"anthropic\"", "\"vertex_ai-anthropic_models\"",
        "null", "5"};
    private static final String[] ID_PARTS = {"gpt-4o", "openai/", "claude@2024", ":0", "bedrock/*/", "x", "sample_spec"};

    private RandomPriceLists()
    {
    }

    static String generate(final SplittableRandom random, final int entries)
    {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < entries; i++)
        {
            final String id = id(random);
            lines.add(quote(id) + ": " + entry(random));
        }
        return "{\n" + String.join(",\n", lines) + "\n}\n";
    }

    private static String id(final SplittableRandom random)
    {
        if (random.nextInt(30) == 0)
        {
            return random.nextBoolean() ? "sample_spec" : "";
        }
        final StringBuilder id = new StringBuilder();
        final int parts = 1 + random.nextInt(3);
        for (int p = 0; p < parts; p++)
        {
            id.append(ID_PARTS[random.nextInt(ID_PARTS.length - 1)]);
        }
        return id.append(random.nextInt(20)).toString(); // a small space, so that ids repeat now and then
    }

    private static String entry(final SplittableRandom random)
    {
        if (random.nextInt(20) == 0)
        {
            return pick(random, "\"2026-07-24\"", "3", "[1, 2]", "null", "true");
        }
        final List<String> fields = new ArrayList<>();
        maybe(random, fields, "mode", MODES);
        maybe(random, fields, "input_cost_per_token", PRICES);
        maybe(random, fields, "output_cost_per_token", PRICES);
        maybe(random, fields, "max_input_tokens", WINDOWS);
        maybe(random, fields, "litellm_provider", PROVIDERS);
        if (random.nextInt(3) == 0)
        {
            maybe(random, fields, random.nextBoolean() ? "rpm" : "tpm", LIMITS);
        }
        if (random.nextBoolean())
        {
            fields.add(random.nextInt(fields.size() + 1), "\"supports_vision\": true, \"max_tokens\": 4096, " +
                "\"tiers\": [{\"range\": [0, 1]}]");
        }
        return "{" + String.join(", ", fields) + "}";
    }

    private static void maybe(final SplittableRandom random, final List<String> fields, final String key,
        final String[] values)
    {
        if (random.nextInt(8) != 0)
        {
            fields.add(quote(key) + ": " + values[random.nextInt(values.length)]);
        }
    }

    private static String pick(final SplittableRandom random, final String... values)
    {
        return values[random.nextInt(values.length)];
    }

    private static String quote(final String text)
    {
        return "\"" + text + "\"";
    }
}
