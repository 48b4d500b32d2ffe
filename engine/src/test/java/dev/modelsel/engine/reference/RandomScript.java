package dev.modelsel.engine.reference;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random {@code run} scripts for a catalog: all three selection ops and the availability ops, token counts
 * at every limit's edge (limit − 1, limit, limit + 1), times that move on (and sometimes back) across cooldown
 * deadlines set before, at and after them, and invalid lines of every kind SPEC §4 names, plus blank lines and
 * extra fields.
 * <p>
 * Requests without {@code now_ms} use the clock, which the script sets per line: {@link #clockAt(int)}.
 */
public final class RandomScript
{
    private static final String[] INVALID_LINES = {
        "not json", "[1, 2]", "42", "\"select\"", "{", "{\"op\": \"select\"} {}", "{\"op\": \"select\",}", "null", "{]",
    };
    private static final Object[] WRONG_VALUES = {"10", 1.5, -5, true, null, List.of(1), Map.of("a", 1), "", 10.0};

    private final Random random;
    private final RefCatalog catalog;
    private final List<String> tieredIds;
    private final List<String> lines = new ArrayList<>();
    private final List<Long> clock = new ArrayList<>();
    /** Cooldown deadlines written so far: times are steered onto them and next to them. */
    private final List<Long> deadlines = new ArrayList<>();
    private long now = 1_700_000_000_000L;
    /** Whether to mix in {@code record} ops: for catalogs with SPEC §7 limits or budgets. */
    private final boolean withRecords;
    private long latest = now;
    private static final long SEVEN_HOURS_MS = 7 * 3_600_000L;

    private RandomScript(final Random random, final RefCatalog catalog)
    {
        this.random = random;
        this.catalog = catalog;
        this.tieredIds = catalog.tieredIds();
        this.withRecords = !catalog.budgets.isEmpty() ||
            catalog.models.values().stream().anyMatch(m -> m.rpm != null || m.tpm != null);
    }

    public static RandomScript generate(final Random random, final RefCatalog catalog, final int requests)
    {
        final RandomScript script = new RandomScript(random, catalog);
        while (script.lines.size() < requests)
        {
            script.next();
        }
        return script;
    }

    public List<String> lines()
    {
        return lines;
    }

    /** The clock's value while line {@code index} (0-based) is served. */
    public long clockAt(final int index)
    {
        return clock.get(index);
    }

    private void next()
    {
        final long deadline = deadlines.isEmpty() ? 0 : deadlines.get(random.nextInt(deadlines.size()));
        // with budgets, no jump back past the last seven hours: the product keeps eight periods of spend (BudgetSpend)
        if (!deadlines.isEmpty() && random.nextInt(5) == 0 && (!withRecords || deadline > latest - SEVEN_HOURS_MS))
        {
            now = deadline + random.nextInt(3) - 1;
        }
        else
        {
            now += random.nextInt(10) == 0 ? -random.nextInt(3000) : random.nextInt(4000);
        }
        final int roll = random.nextInt(100);
        final String line;
        if (roll < 2)
        {
            line = random.nextBoolean() ? "" : "   \t";
        }
        else if (roll < 4)
        {
            line = INVALID_LINES[random.nextInt(INVALID_LINES.length)];
        }
        else
        {
            final Map<String, Object> request = request(roll);
            if (random.nextInt(12) == 0)
            {
                mutate(request);
            }
            if (random.nextInt(10) == 0)
            {
                request.put("note", Map.of("extra", List.of(1, "two")));
            }
            line = json(request);
        }
        lines.add(line);
        clock.add(now);
        latest = Math.max(latest, now);
    }

    private Map<String, Object> request(final int roll)
    {
        final Map<String, Object> request = new LinkedHashMap<>();
        if (withRecords && random.nextInt(5) == 0)
        {
            record(request);
            return request;
        }
        if (roll < 50)
        {
            request.put("op", "select");
            selectionFields(request);
        }
        else if (roll < 65)
        {
            request.put("op", "escalate");
            selectionFields(request);
            request.put("model", model());
            request.put("tier", tier());
            final String trigger = new String[] {"token_overflow", "phase_failure", "quality"}[random.nextInt(3)];
            request.put("trigger", trigger);
            if (!trigger.equals("token_overflow") || random.nextBoolean())
            {
                request.put("retry_count", random.nextInt(4));
                request.put("quality_score", new double[] {0.0, 0.5, 0.79, 0.8, 0.81, 0.9, 1.0,
                    catalog.qualityThreshold()}[random.nextInt(8)]);
            }
        }
        else if (roll < 75)
        {
            request.put("op", "rate_limited");
            selectionFields(request);
            request.put("model", model());
            request.put("tier", tier());
            final long retryAfterMs = new long[] {0, 1, 1000, 5000, 60000, 86_400_000, 86_400_001, 864_000_000}
                [random.nextInt(8)];
            request.put("retry_after_ms", retryAfterMs);
            deadlines.add(now + retryAfterMs);
        }
        else if (roll < 84)
        {
            request.put("op", "set_down");
            request.put("model", anyModelId());
        }
        else if (roll < 92)
        {
            request.put("op", "set_up");
            request.put("model", anyModelId());
        }
        else
        {
            request.put("op", "set_rate_limited");
            request.put("model", anyModelId());
            final long untilMs = Math.max(0, now + new long[] {-2000, -1, 0, 1, 2000, 8000, 30000, 86_400_000,
                86_400_001, 259_200_000}[random.nextInt(10)]);
            request.put("until_ms", untilMs);
            deadlines.add(untilMs);
        }
        return request;
    }

    /** SPEC §7: a recorded outcome, its output tokens and cost counted against the model's limits and budgets. */
    private void record(final Map<String, Object> request)
    {
        request.put("op", "record");
        request.put("category", "c" + random.nextInt(3));
        request.put("complexity", new String[] {"low", "medium", "high"}[random.nextInt(3)]);
        request.put("initial_tier", 1 + random.nextInt(catalog.tierCount()));
        request.put("final_tier", 1 + random.nextInt(catalog.tierCount()));
        request.put("model", random.nextInt(10) == 0 ? "unknown-" + random.nextInt(3) : model());
        request.put("input_tokens", random.nextInt(4) == 0 ? 0 : random.nextInt(300_000));
        request.put("output_tokens", random.nextInt(4) == 0 ? 0 : random.nextInt(random.nextBoolean() ? 2_000 :
            200_000));
        request.put("success", random.nextBoolean());
        if (random.nextInt(6) != 0)
        {
            request.put("now_ms", now);
        }
    }

    private void selectionFields(final Map<String, Object> request)
    {
        request.put("complexity", new String[] {"low", "medium", "high"}[random.nextInt(3)]);
        request.put("tokens", tokens());
        if (random.nextInt(8) != 0)
        {
            request.put("now_ms", now);
        }
        else if (random.nextBoolean())
        {
            request.put("now_ms", null);
        }
    }

    private Object tokens()
    {
        final int roll = random.nextInt(20);
        if (roll == 0)
        {
            return 0;
        }
        if (roll == 1)
        {
            return new java.math.BigInteger("100000000000000000000000");
        }
        if (roll < 5)
        {
            return random.nextInt(2_000_000);
        }
        final String id = tieredIds.get(random.nextInt(tieredIds.size()));
        long limit = (long)Math.floor(catalog.contextWindow(id) * catalog.margin());
        if (catalog.tpm(id) != null && random.nextBoolean())
        {
            limit = catalog.tpm(id);
        }
        return Math.max(0, limit + random.nextInt(3) - 1);
    }

    private String model()
    {
        if (random.nextInt(25) == 0)
        {
            return random.nextBoolean() ? "no-such-model" : "";
        }
        return tieredIds.get(random.nextInt(tieredIds.size()));
    }

    private Object tier()
    {
        if (random.nextInt(25) == 0)
        {
            return random.nextBoolean() ? 0 : catalog.tierCount() + 1;
        }
        return 1 + random.nextInt(catalog.tierCount());
    }

    /** Availability ops take any non-empty id, also ones the catalog lacks. */
    private String anyModelId()
    {
        final int roll = random.nextInt(20);
        if (roll == 0)
        {
            return "unknown-" + random.nextInt(3);
        }
        if (roll == 1 && !catalog.models.isEmpty())
        {
            return new ArrayList<>(catalog.models.keySet()).get(random.nextInt(catalog.models.size()));
        }
        return tieredIds.get(random.nextInt(tieredIds.size()));
    }

    /** Breaks a request the ways SPEC §4 lists; the reference decides whether it is still valid. */
    private void mutate(final Map<String, Object> request)
    {
        final List<String> keys = new ArrayList<>(request.keySet());
        switch (random.nextInt(5))
        {
            case 0:
                request.remove(keys.get(random.nextInt(keys.size())));
                break;
            case 1:
                request.put(keys.get(random.nextInt(keys.size())), WRONG_VALUES[random.nextInt(WRONG_VALUES.length)]);
                break;
            case 2:
                request.put("op", new Object[] {"bogus", "SELECT", 5, null, ""}[random.nextInt(5)]);
                break;
            case 3:
                request.put("complexity", new String[] {"LOW", "extreme", " low"}[random.nextInt(3)]);
                break;
            default:
                request.put("trigger", new String[] {"boredom", "QUALITY", ""}[random.nextInt(3)]);
        }
    }

    private static String json(final Map<String, Object> request)
    {
        try
        {
            return ReferenceProtocol.JSON.writeValueAsString(request);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
