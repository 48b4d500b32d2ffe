package dev.modelsel.engine.reference;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SPEC §3 written out the plain way: lists, loops and the spec's own words for names. No bitsets, no ranks, no
 * precomputation: this is what the fast selector is compared with. Token counts are exact integers of any size.
 */
public final class ReferenceSelector
{
    /** SPEC §3: a cooldown deadline is kept to at most a day after its writer's clock. */
    public static final long DAY_MS = 86_400_000L;

    /** One answer, SPEC §4's fields. */
    public record Answer(String status, String model, Integer tier, int initialTier, String fallback, Long retryAtMs)
    {
        static Answer ok(final String model, final int tier, final int initialTier, final String fallback)
        {
            return new Answer("OK", model, tier, initialTier, fallback, null);
        }

        static Answer none(final String status, final int initialTier)
        {
            return new Answer(status, null, null, initialTier, null, null);
        }
    }

    private static final class Availability
    {
        boolean down;
        Long cooldownUntilMs;
    }

    private final RefCatalog catalog;
    private final Map<String, Availability> availability = new HashMap<>();

    public ReferenceSelector(final RefCatalog catalog)
    {
        this.catalog = catalog;
    }

    // ---- availability (SPEC §3 "Availability")

    public void setDown(final String model)
    {
        record(model).down = true;
    }

    public void setUp(final String model)
    {
        final Availability a = record(model);
        a.down = false;
        a.cooldownUntilMs = null;
    }

    public void setRateLimited(final String model, final long untilMs)
    {
        final Availability a = record(model);
        a.cooldownUntilMs = a.cooldownUntilMs == null ? untilMs : Math.max(a.cooldownUntilMs, untilMs);
    }

    private Availability record(final String model)
    {
        return availability.computeIfAbsent(model, id -> new Availability());
    }

    boolean available(final String m, final long now)
    {
        final Availability a = availability.get(m);
        return a == null || (!a.down && (a.cooldownUntilMs == null || a.cooldownUntilMs <= now));
    }

    // ---- the notation of SPEC §3

    boolean fits(final String m, final BigInteger n)
    {
        final double limit = Math.floor(catalog.contextWindow(m) * catalog.margin());
        return new BigDecimal(n).compareTo(new BigDecimal(limit)) <= 0;
    }

    double score(final String m)
    {
        final double cost = catalog.inputCost(m);
        return cost == 0 ? Double.POSITIVE_INFINITY : catalog.capability(m) / cost;
    }

    /** The highest score; ties go to the one earliest in the list. */
    String best(final List<String> list)
    {
        String best = null;
        for (final String m : list)
        {
            if (best == null || score(m) > score(best))
            {
                best = m;
            }
        }
        return best;
    }

    List<String> candidates(final int t, final BigInteger n)
    {
        final List<String> result = new ArrayList<>();
        for (final String m : catalog.tier(t).models)
        {
            if (fits(m, n) && catalog.capability(m) >= catalog.minCapability(t))
            {
                result.add(m);
            }
        }
        return result;
    }

    List<String> fitting(final BigInteger n)
    {
        final List<String> result = new ArrayList<>();
        for (final String m : catalog.tieredIds())
        {
            if (fits(m, n))
            {
                result.add(m);
            }
        }
        return result;
    }

    int lowestTierListing(final String m)
    {
        for (int t = 1; t <= catalog.tierCount(); t++)
        {
            if (catalog.tier(t).models.contains(m))
            {
                return t;
            }
        }
        throw new IllegalStateException(m + " is in no tier");
    }

    // ---- select, escalate, rate_limited

    public Answer select(final String complexity, final BigInteger n, final long now)
    {
        final int t0 = catalog.initialTier(complexity);
        int t = t0;
        while (candidates(t, n).isEmpty())
        {
            if (t == 1)
            {
                return Answer.none("NO_MODEL_FITS", t0);
            }
            t = t - 1;
        }
        return fallbackChain(t, candidates(t, n), Set.of(), n, now, t0);
    }

    public Answer escalate(
        final String complexity,
        final BigInteger n,
        final long now,
        final String f,
        final int t,
        final String trigger,
        final BigInteger retryCount,
        final double qualityScore)
    {
        final int t0 = catalog.initialTier(complexity);
        if (trigger.equals("phase_failure") && retryCount.compareTo(BigInteger.valueOf(catalog.maxRetries())) >= 0)
        {
            return Answer.none("GIVE_UP", t0);
        }
        if (trigger.equals("quality") && qualityScore >= catalog.qualityThreshold())
        {
            return new Answer("NOT_NEEDED", f, t, t0, null, null);
        }
        if (trigger.equals("token_overflow"))
        {
            for (int e = t; e >= 1; e--)
            {
                final List<String> c = candidates(e, n);
                if (!c.isEmpty())
                {
                    return fallbackChain(e, c, Set.of(), n, now, t0);
                }
            }
            return Answer.none("CANNOT_ESCALATE", t0);
        }
        final List<Integer> order = new ArrayList<>();
        for (int e = t - 1; e >= 1; e--)
        {
            order.add(e);
        }
        order.add(t);
        for (final int e : order)
        {
            final List<String> c = new ArrayList<>();
            for (final String m : candidates(e, n))
            {
                if (catalog.capability(m) > catalog.capability(f))
                {
                    c.add(m);
                }
            }
            if (!c.isEmpty())
            {
                return fallbackChain(e, c, Set.of(f), n, now, t0);
            }
        }
        return Answer.none("CANNOT_ESCALATE", t0);
    }

    public Answer rateLimited(
        final String complexity, final BigInteger n, final long now, final String m, final int t, final long retryAfterMs)
    {
        final int t0 = catalog.initialTier(complexity);
        setRateLimited(m, now + Math.min(retryAfterMs, DAY_MS)); // SPEC §3: at most a day after the writer's clock
        final List<String> same = new ArrayList<>();
        for (final String x : candidates(t, n))
        {
            if (!x.equals(m) && available(x, now))
            {
                same.add(x);
            }
        }
        if (!same.isEmpty())
        {
            return Answer.ok(best(same), t, t0, "SAME_TIER");
        }
        if (t + 1 <= catalog.tierCount())
        {
            final List<String> lower = new ArrayList<>();
            for (final String x : candidates(t + 1, n))
            {
                if (!x.equals(m) && available(x, now))
                {
                    lower.add(x);
                }
            }
            if (!lower.isEmpty())
            {
                return Answer.ok(best(lower), t + 1, t0, "LOWER_TIER");
            }
        }
        return new Answer("WAIT", m, t, t0, null, availability.get(m).cooldownUntilMs);
    }

    /** SPEC §3 step 3: the fallback chain over tier t with candidate list c and excluded set x. */
    private Answer fallbackChain(
        final int t, final List<String> c, final Set<String> x, final BigInteger n, final long now, final int t0)
    {
        final String b = best(c);
        if (available(b, now))
        {
            return Answer.ok(b, t, t0, "NONE");
        }
        final List<String> availableOfC = new ArrayList<>();
        for (final String m : c)
        {
            if (available(m, now))
            {
                availableOfC.add(m);
            }
        }
        if (!availableOfC.isEmpty())
        {
            return Answer.ok(best(availableOfC), t, t0, "SAME_TIER");
        }
        if (t + 1 <= catalog.tierCount())
        {
            final List<String> lower = new ArrayList<>();
            for (final String m : candidates(t + 1, n))
            {
                if (!x.contains(m) && available(m, now))
                {
                    lower.add(m);
                }
            }
            if (!lower.isEmpty())
            {
                return Answer.ok(best(lower), t + 1, t0, "LOWER_TIER");
            }
        }
        final List<String> any = new ArrayList<>();
        for (final String m : fitting(n))
        {
            if (!x.contains(m) && available(m, now))
            {
                any.add(m);
            }
        }
        if (!any.isEmpty())
        {
            final String m = best(any);
            return Answer.ok(m, lowestTierListing(m), t0, "ANY");
        }
        Long retryAt = null;
        for (final String m : fitting(n))
        {
            final Availability a = availability.get(m);
            if (x.contains(m) || a == null || a.down || a.cooldownUntilMs == null || a.cooldownUntilMs <= now)
            {
                continue;
            }
            retryAt = retryAt == null ? a.cooldownUntilMs : Math.min(retryAt, a.cooldownUntilMs);
        }
        return new Answer("NO_MODEL_AVAILABLE", null, null, t0, null, retryAt);
    }
}
