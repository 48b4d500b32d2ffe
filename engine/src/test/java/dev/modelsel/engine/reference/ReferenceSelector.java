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

    /** SPEC §7's bucket as written: a level S in units of 1/60,000 at a time last; full when never taken from. */
    private static final class Bucket
    {
        final BigInteger capacity;
        final BigInteger full;
        BigInteger level;
        Long last;

        Bucket(final long perMinute)
        {
            capacity = BigInteger.valueOf(perMinute);
            full = capacity.multiply(UNITS);
            level = full;
        }

        BigInteger levelAt(final long now)
        {
            return last == null || now <= last ? level : full.min(level.add(capacity.multiply(
                BigInteger.valueOf(now - last))));
        }

        void take(final BigInteger units, final long now)
        {
            level = levelAt(now).subtract(units);
            last = last == null ? now : Math.max(last, now);
        }

        /** The earliest time from now at which the level reaches units, refilling only; null if never. */
        Long admitsAt(final BigInteger units, final long now)
        {
            if (units.compareTo(full) > 0)
            {
                return null;
            }
            if (levelAt(now).compareTo(units) >= 0)
            {
                return now;
            }
            final long from = last == null ? now : Math.max(now, last);
            final BigInteger[] qr = units.subtract(levelAt(from)).divideAndRemainder(capacity);
            return from + qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
        }
    }

    private static final BigInteger UNITS = BigInteger.valueOf(60_000);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final RefCatalog catalog;
    private final Map<String, Availability> availability = new HashMap<>();
    private final Map<String, Bucket> rpmBuckets = new HashMap<>();
    private final Map<String, Bucket> tpmBuckets = new HashMap<>();
    /** Micro-dollars spent, by budget name and the start of the period the outcome's time falls in. */
    private final Map<String, BigInteger> spent = new HashMap<>();

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

    /** SPEC §7's available(m, n, now) for a request of n tokens: SPEC §3's, admitted, and no budget exhausted. */
    boolean available(final String m, final BigInteger n, final long now)
    {
        final Availability a = availability.get(m);
        final boolean free = a == null || (!a.down && (a.cooldownUntilMs == null || a.cooldownUntilMs <= now));
        return free && admitted(m, n, now) && exhaustedBudgetEnd(m, now) == null;
    }

    // ---- SPEC §7: limits and budgets

    private Bucket rpm(final String m)
    {
        final Long limit = catalog.rpm(m);
        return limit == null ? null : rpmBuckets.computeIfAbsent(m, id -> new Bucket(limit));
    }

    private Bucket tpm(final String m)
    {
        final Long limit = catalog.tpm(m);
        return limit == null ? null : tpmBuckets.computeIfAbsent(m, id -> new Bucket(limit));
    }

    boolean admitted(final String m, final BigInteger n, final long now)
    {
        final Bucket rpm = rpm(m);
        final Bucket tpm = tpm(m);
        return (rpm == null || rpm.levelAt(now).compareTo(UNITS) >= 0) &&
            (tpm == null || tpm.levelAt(now).compareTo(n.multiply(UNITS)) >= 0);
    }

    /** An OK answer takes one request and n tokens from the chosen model's buckets. */
    private Answer reserve(final Answer answer, final BigInteger n, final long now)
    {
        if (answer.status().equals("OK"))
        {
            final Bucket rpm = rpm(answer.model());
            final Bucket tpm = tpm(answer.model());
            if (rpm != null)
            {
                rpm.take(UNITS, now);
            }
            if (tpm != null)
            {
                tpm.take(n.multiply(UNITS), now);
            }
        }
        return answer;
    }

    private boolean covers(final RefCatalog.Budget budget, final String m)
    {
        return budget.provider != null ? budget.provider.equals(catalog.provider(m)) && catalog.has(m) :
            budget.model.equals(m);
    }

    /** The latest end of the period of an exhausted budget covering m at now, or null when none is exhausted. */
    Long exhaustedBudgetEnd(final String m, final long now)
    {
        Long end = null;
        for (final RefCatalog.Budget budget : catalog.budgets)
        {
            if (!covers(budget, m))
            {
                continue;
            }
            final BigInteger spend = spent.getOrDefault(budget.name + "@" + periodStart(budget.period, now),
                BigInteger.ZERO);
            if (new BigDecimal(spend).compareTo(budget.usd.multiply(MILLION)) >= 0)
            {
                final long periodEnd = periodEnd(budget.period, now);
                end = end == null ? periodEnd : Math.max(end, periodEnd);
            }
        }
        return end;
    }

    /** SPEC §7 record: output tokens from the tpm bucket, the cost to every budget covering the model. */
    public void record(final String m, final BigInteger inputTokens, final BigInteger outputTokens, final long now)
    {
        if (catalog.has(m))
        {
            final Bucket tpm = tpm(m);
            if (tpm != null)
            {
                tpm.take(outputTokens.multiply(UNITS), now);
            }
        }
        final BigInteger cost = new BigDecimal(inputTokens).multiply(catalog.inputPrice(m))
            .add(new BigDecimal(outputTokens).multiply(catalog.outputPrice(m)))
            .setScale(0, java.math.RoundingMode.HALF_UP).toBigIntegerExact();
        for (final RefCatalog.Budget budget : catalog.budgets)
        {
            if (covers(budget, m))
            {
                spent.merge(budget.name + "@" + periodStart(budget.period, now), cost, BigInteger::add);
            }
        }
    }

    private static long periodStart(final String period, final long now)
    {
        final java.time.ZonedDateTime at = java.time.Instant.ofEpochMilli(now).atZone(java.time.ZoneOffset.UTC);
        final java.time.ZonedDateTime start;
        switch (period)
        {
            case "hour":
                start = at.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
                break;
            case "day":
                start = at.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
                break;
            default:
                start = at.truncatedTo(java.time.temporal.ChronoUnit.DAYS).withDayOfMonth(1);
        }
        return start.toInstant().toEpochMilli();
    }

    private static long periodEnd(final String period, final long now)
    {
        final java.time.ZonedDateTime start = java.time.Instant.ofEpochMilli(periodStart(period, now))
            .atZone(java.time.ZoneOffset.UTC);
        switch (period)
        {
            case "hour":
                return start.plusHours(1).toInstant().toEpochMilli();
            case "day":
                return start.plusDays(1).toInstant().toEpochMilli();
            default:
                return start.plusMonths(1).toInstant().toEpochMilli();
        }
    }

    // ---- the notation of SPEC §3

    /** SPEC §3's fit, with §7: a model with a tpm limit holds no request of more tokens than it. */
    boolean fits(final String m, final BigInteger n)
    {
        final double limit = Math.floor(catalog.contextWindow(m) * catalog.margin());
        final Long tpm = catalog.tpm(m);
        return new BigDecimal(n).compareTo(new BigDecimal(limit)) <= 0 &&
            (tpm == null || n.compareTo(BigInteger.valueOf(tpm)) <= 0);
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
        return reserve(fallbackChain(t, candidates(t, n), Set.of(), n, now, t0), n, now);
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
                    return reserve(fallbackChain(e, c, Set.of(), n, now, t0), n, now);
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
                return reserve(fallbackChain(e, c, Set.of(f), n, now, t0), n, now);
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
            if (!x.equals(m) && available(x, n, now))
            {
                same.add(x);
            }
        }
        if (!same.isEmpty())
        {
            return reserve(Answer.ok(best(same), t, t0, "SAME_TIER"), n, now);
        }
        if (t + 1 <= catalog.tierCount())
        {
            final List<String> lower = new ArrayList<>();
            for (final String x : candidates(t + 1, n))
            {
                if (!x.equals(m) && available(x, n, now))
                {
                    lower.add(x);
                }
            }
            if (!lower.isEmpty())
            {
                return reserve(Answer.ok(best(lower), t + 1, t0, "LOWER_TIER"), n, now);
            }
        }
        return new Answer("WAIT", m, t, t0, null, availability.get(m).cooldownUntilMs);
    }

    /** SPEC §3 step 3: the fallback chain over tier t with candidate list c and excluded set x. */
    private Answer fallbackChain(
        final int t, final List<String> c, final Set<String> x, final BigInteger n, final long now, final int t0)
    {
        final String b = best(c);
        if (available(b, n, now))
        {
            return Answer.ok(b, t, t0, "NONE");
        }
        final List<String> availableOfC = new ArrayList<>();
        for (final String m : c)
        {
            if (available(m, n, now))
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
                if (!x.contains(m) && available(m, n, now))
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
            if (!x.contains(m) && available(m, n, now))
            {
                any.add(m);
            }
        }
        if (!any.isEmpty())
        {
            final String m = best(any);
            return Answer.ok(m, lowestTierListing(m), t0, "ANY");
        }
        // SPEC §7: for each fitting model not down and not in X, the latest of its cooldown deadline, the time its
        // buckets would admit the request, and the end of each exhausted budget covering it; the earliest > now.
        Long retryAt = null;
        for (final String m : fitting(n))
        {
            final Availability a = availability.get(m);
            if (x.contains(m) || (a != null && a.down))
            {
                continue;
            }
            long at = a == null || a.cooldownUntilMs == null ? now : Math.max(now, a.cooldownUntilMs);
            final Bucket rpm = rpm(m);
            final Bucket tpm = tpm(m);
            final Long rpmAt = rpm == null ? Long.valueOf(now) : rpm.admitsAt(UNITS, now);
            final Long tpmAt = tpm == null ? Long.valueOf(now) : tpm.admitsAt(n.multiply(UNITS), now);
            if (rpmAt == null || tpmAt == null)
            {
                continue; // never
            }
            at = Math.max(at, Math.max(rpmAt, tpmAt));
            final Long budgetEnd = exhaustedBudgetEnd(m, now);
            if (budgetEnd != null)
            {
                at = Math.max(at, budgetEnd);
            }
            if (at > now)
            {
                retryAt = retryAt == null ? at : Math.min(retryAt, at);
            }
        }
        return new Answer("NO_MODEL_AVAILABLE", null, null, t0, null, retryAt);
    }
}
