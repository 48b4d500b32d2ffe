package dev.modelsel.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic catalog text of any size for benchmarks: three tiers of equal size, context windows mostly from
 * the common sizes and a quarter random, costs and capabilities spread so scores differ and sometimes tie.
 */
final class GeneratedCatalogs
{
    private static final long[] WINDOWS = {4096, 8192, 16000, 32000, 128000, 200000, 1000000, 2000000};

    private GeneratedCatalogs()
    {
    }

    /** A JSON catalog of {@code models} models, the same for the same arguments. */
    static String json(final int models, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<String> ids = new ArrayList<>();
        final StringBuilder json = new StringBuilder("{\"version\": 1, \"models\": {");
        for (int i = 0; i < models; i++)
        {
            final String id = "provider-" + (i % 40) + "/model-" + i;
            ids.add(id);
            json.append(i == 0 ? "" : ", ").append('"').append(id).append("\": {\"context_window\": ")
                .append(random.nextInt(4) == 0 ? 1 + random.nextInt(2_000_000) : WINDOWS[random.nextInt(WINDOWS.length)])
                .append(", \"input_cost_per_mtok\": ").append(random.nextInt(400) / 10.0)
                .append(", \"capability\": ").append(0.3 + random.nextInt(70) / 100.0).append('}');
        }
        json.append("}, \"tiers\": [");
        for (int tier = 1; tier <= 3; tier++)
        {
            final List<String> members = ids.subList((tier - 1) * models / 3, Math.max(tier * models / 3, 1));
            json.append(tier == 1 ? "" : ", ").append("{\"tier\": ").append(tier).append(", \"models\": [");
            for (int i = 0; i < members.size(); i++)
            {
                json.append(i == 0 ? "" : ", ").append('"').append(members.get(i)).append('"');
            }
            json.append("]}");
        }
        return json.append("]}").toString();
    }
}
