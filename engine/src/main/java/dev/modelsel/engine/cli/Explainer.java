package dev.modelsel.engine.cli;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.Fallback;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.limits.Limiter;
import dev.modelsel.engine.Status;
import dev.modelsel.engine.availability.AvailabilityRecord;
import dev.modelsel.engine.availability.AvailabilityTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Narrates a select (SPEC §3) for {@code modelsel select --explain}: the initial tier, each tier looked at with
 * every model's limit, floor, score and availability and why it was passed over, and which fallback step
 * answered. It reports the facts of the catalog and the table; the decision itself is the {@link Selection} the
 * real selector made, so the story cannot drift from the answer.
 */
final class Explainer
{
    private final CompiledCatalog catalog;
    private final AvailabilityTable table;
    /** SPEC §7 as the selection found it (copies of the shared words), or null when the catalog has no limits. */
    private final Limiter limiter;
    private final long tokens;
    private final long nowMs;
    private final List<String> lines = new ArrayList<>();
    private final AvailabilityRecord record = new AvailabilityRecord();

    private Explainer(final CompiledCatalog catalog, final AvailabilityTable table, final Limiter limiter,
        final long tokens, final long nowMs)
    {
        this.catalog = catalog;
        this.table = table;
        this.limiter = limiter;
        this.tokens = tokens;
        this.nowMs = nowMs;
    }

    static List<String> explain(
        final CompiledCatalog catalog,
        final AvailabilityTable table,
        final Complexity complexity,
        final long tokens,
        final long nowMs,
        final Selection answer)
    {
        return explain(catalog, table, null, complexity, tokens, nowMs, answer);
    }

    /** @param limiter the catalog's SPEC §7 limits as the selection found them, or null. */
    static List<String> explain(
        final CompiledCatalog catalog,
        final AvailabilityTable table,
        final Limiter limiter,
        final Complexity complexity,
        final long tokens,
        final long nowMs,
        final Selection answer)
    {
        return new Explainer(catalog, table, limiter, tokens, nowMs).story(complexity, answer);
    }

    private List<String> story(final Complexity complexity, final Selection answer)
    {
        final int initialTier = catalog.initialTier(complexity);
        lines.add("Catalog: " + Display.printable(catalog.definition().source()) + ", " + catalog.tierCount() +
            " tiers, " + catalog.tieredCount() + " tiered models. A model fits when tokens <= floor(context_window x " +
            Display.number(catalog.safetyMargin()) + ").");
        lines.add("Request: select, complexity " + complexity.wireName() + ", " + tokens + " tokens, at " +
            Display.time(nowMs) + ".");
        lines.add("Initial tier: complexity " + complexity.wireName() + " -> tier " + initialTier + ".");

        int tier = initialTier;
        while (tier >= 1)
        {
            lines.add("");
            final int candidates = describeTier(tier);
            if (candidates > 0)
            {
                break;
            }
            lines.add(tier > 1 ?
                "  No candidate in tier " + tier + ": escalate to tier " + (tier - 1) + " (token overflow)." :
                "  No candidate in tier 1 either: nothing can take " + tokens + " tokens.");
            tier--;
        }
        lines.add("");
        fallbackSteps(tier, answer);
        lines.add("");
        lines.add("Answer: " + summary(answer));
        return lines;
    }

    /** Prints the tier's models, best first, with verdicts; @return how many are candidates. */
    private int describeTier(final int tier)
    {
        final int[] members = rankedMembers(tier);
        int candidates = 0;
        for (final int m : members)
        {
            candidates += isCandidate(tier, m) ? 1 : 0;
        }
        lines.add("Tier " + tier + " (min_capability " + Display.number(catalog.minCapability(tier)) + "): " +
            candidates + " of " + members.length + " models are candidates.");
        final int width = Arrays.stream(members).map(m -> Display.printable(catalog.id(m)).length()).max().orElse(5);
        int candidateRank = 0;
        double bestScore = Double.NaN;
        for (final int m : members)
        {
            final String verdict;
            if (catalog.tokenLimit(m) < tokens)
            {
                verdict = "passed over: too small, limit " + catalog.tokenLimit(m) + " < " + tokens + " tokens";
            }
            else if (catalog.capability(m) < catalog.minCapability(tier))
            {
                verdict = "passed over: below the tier floor, capability " + Display.number(catalog.capability(m)) +
                    " < " + Display.number(catalog.minCapability(tier));
            }
            else
            {
                candidateRank++;
                bestScore = candidateRank == 1 ? catalog.score(m) : bestScore;
                verdict = candidateRank == 1 ? "candidate 1: the best score" : "candidate " + candidateRank + ": " +
                    (catalog.score(m) == bestScore ? "same score, later in the tier's list" : "lower score");
            }
            lines.add(String.format("  %-" + width + "s  limit %-9d capability %-6s %-12s score %-8s %-10s %s",
                Display.printable(catalog.id(m)), catalog.tokenLimit(m), Display.number(catalog.capability(m)),
                "$" + Display.number(catalog.inputCostPerMtok(m)) + "/Mtok", Display.score(catalog.score(m)),
                availability(m), verdict));
        }
        return candidates;
    }

    private void fallbackSteps(final int tier, final Selection answer)
    {
        if (answer.status() == Status.NO_MODEL_FITS)
        {
            lines.add("No tier from " + answer.initialTier() + " up to 1 has a candidate that fits: NO_MODEL_FITS.");
            return;
        }
        final int best = firstCandidate(tier);
        final Fallback fallback = answer.fallback();
        if (fallback == Fallback.NONE)
        {
            lines.add("Fallback step 1: the best candidate, " + Display.printable(catalog.id(best)) +
                ", is available.");
            return;
        }
        lines.add("Fallback step 1: the best candidate, " + Display.printable(catalog.id(best)) + ", is " +
            availability(best) + ".");
        if (fallback == Fallback.SAME_TIER)
        {
            lines.add("Fallback step 2: the best available candidate of tier " + tier + " is " +
                Display.printable(answer.modelId()) + ".");
            return;
        }
        lines.add("Fallback step 2: no other candidate of tier " + tier + " is available.");
        if (tier < catalog.tierCount())
        {
            lines.add("");
            describeTier(tier + 1);
        }
        if (fallback == Fallback.LOWER_TIER)
        {
            lines.add("Fallback step 3: the best available candidate of tier " + (tier + 1) + " (less capable) is " +
                Display.printable(answer.modelId()) + ".");
            return;
        }
        lines.add("Fallback step 3: " + (tier < catalog.tierCount() ? "no candidate of tier " + (tier + 1) +
            " is available." : "there is no tier below " + tier + "."));
        if (fallback == Fallback.ANY)
        {
            lines.add("Fallback step 4: the best available model of any tier that fits is " +
                Display.printable(answer.modelId()) + " (first listed in tier " + answer.tier() + ").");
            return;
        }
        lines.add("Fallback step 4: no model of any tier that fits " + tokens + " tokens is available.");
        lines.add("Fallback step 5: NO_MODEL_AVAILABLE; " + (answer.hasRetryAt() ?
            "the first cooldown among them ends at " + Display.time(answer.retryAtMs()) + "." :
            "none is cooling down (all are down), so there is no retry time."));
    }

    private String summary(final Selection answer)
    {
        if (answer.status() != Status.OK)
        {
            return answer.status() + (answer.hasRetryAt() ? ", retry at " + Display.time(answer.retryAtMs()) : "");
        }
        return "OK " + Display.printable(answer.modelId()) + ", tier " + answer.tier() + " (initial tier " +
            answer.initialTier() + ", fallback " + answer.fallback() + ")";
    }

    /** The tier's members, best score first, ties in the tier's list order: the order {@code best} reads them in. */
    private int[] rankedMembers(final int tier)
    {
        return Arrays.stream(catalog.tierMembers(tier)).boxed()
            .sorted((a, b) -> catalog.score(a) != catalog.score(b) ? Double.compare(catalog.score(b), catalog.score(a)) :
                Integer.compare(catalog.tierPosition(tier, a), catalog.tierPosition(tier, b)))
            .mapToInt(Integer::intValue).toArray();
    }

    private int firstCandidate(final int tier)
    {
        for (final int m : rankedMembers(tier))
        {
            if (isCandidate(tier, m))
            {
                return m;
            }
        }
        throw new IllegalStateException("tier " + tier + " has no candidate");
    }

    private boolean isCandidate(final int tier, final int model)
    {
        return catalog.tokenLimit(model) >= tokens && catalog.capability(model) >= catalog.minCapability(tier);
    }

    private String availability(final int model)
    {
        table.read(catalog.id(model), record);
        if (record.corrupt())
        {
            return "available (its record in the table is corrupt, so not believed; set-up rewrites it)";
        }
        if (record.down())
        {
            return "down";
        }
        if (record.hasCooldown() && record.cooldownUntilMs() > nowMs)
        {
            return "cooling until " + record.cooldownUntilMs() + " (" + Display.relative(record.cooldownUntilMs(), nowMs) + ")";
        }
        final String refusal = limiter == null ? null : limiter.refusal(model, tokens, nowMs);
        return refusal == null ? "available" : Display.printable(refusal);
    }
}
