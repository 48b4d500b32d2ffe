package dev.modelsel.engine.limits;

import dev.modelsel.catalog.RateLimits;

import java.util.Arrays;

/**
 * SPEC §7 across hosts (issue 14): what the other hosts of a cluster took from the limits, subtracted from this
 * host's. Each host's processes count what they take as the host's own ({@link LimitsStore#limitsReplicated}), in
 * totals that only grow: requests and tokens per model, spend per budget and period. Its replicator sends those
 * totals; a receiving replicator keeps, per host, the highest it saw (that host's slot, as for issue 13's spend)
 * and applies the increase over what the slot held: a forced take from this host's bucket of the same name, an
 * addition to this host's budget. A total sent twice, late or out of order raises nothing, so nothing is taken
 * twice; only takes of this host's own are ever sent, so nothing comes back.
 * <p>
 * A take is applied at the sending host's latest take time (the bucket's {@code last}, sent with it), or this
 * host's clock if that is earlier: no later than it happened, where refill could have hidden it, and never ahead of
 * this host's clock (a peer's clock ahead would hold this host's refill back).
 * <p>
 * A bucket entry on the wire, after {@link #bucketsEntry}:
 * <pre>
 *  | requests taken here | tokens taken here | rpm last (epoch ms) | tpm last (epoch ms) | 0 | 0 | 0 | 0 |
 * </pre>
 * A budget entry is the eight words of {@link BudgetSpend}, this host's part only; a word's period number sits
 * above its spend, so the highest word is the latest period's largest spend.
 * <p>
 * Stateless; the replicator's thread.
 */
public final class OtherHostsTakes
{
    public static final int REQUESTS = 0;
    public static final int TOKENS = 1;
    public static final int RPM_LAST = 2;
    public static final int TPM_LAST = 3;

    private OtherHostsTakes()
    {
    }

    /**
     * Fills {@code entry} with what a model's buckets record says this host took (the sender's side).
     *
     * @param words the record's eight counters, as {@link LimitsStore#buckets} lays them out.
     * @return false when this host took nothing from them (nothing to send).
     */
    public static boolean bucketsEntry(final long[] words, final long[] entry)
    {
        Arrays.fill(entry, 0);
        entry[REQUESTS] = Math.max(0, words[LimitsStore.REQUESTS_TAKEN_HERE / Long.BYTES]);
        entry[TOKENS] = Math.max(0, words[LimitsStore.TOKENS_TAKEN_HERE / Long.BYTES]);
        entry[RPM_LAST] = Math.max(0, words[RateBucket.LAST_OFFSET / Long.BYTES]);
        entry[TPM_LAST] = Math.max(0, words[(RateBucket.LENGTH + RateBucket.LAST_OFFSET) / Long.BYTES]);
        return entry[REQUESTS] != 0 || entry[TOKENS] != 0;
    }

    /**
     * Takes from this host's buckets named {@code name} what another host took between the totals {@code before}
     * (its slot) and {@code after} (just received).
     *
     * @return false when nothing was applied: no increase, or a name that is not a model's buckets.
     */
    public static boolean applyBuckets(final LimitsStore local, final String name, final long[] before,
        final long[] after, final long nowMs)
    {
        final RateLimits limits = Limiter.limitsOfBucketsName(name);
        final long requests = after[REQUESTS] - before[REQUESTS];
        final long tokens = after[TOKENS] - before[TOKENS];
        if (limits == null || (requests <= 0 && tokens <= 0))
        {
            return false;
        }
        final LimitsStore.Slot slot = local.buckets(name);
        final boolean takesRequests = requests > 0 && limits.rpm() > 0;
        final boolean takesTokens = tokens > 0 && limits.tpm() > 0;
        if (takesRequests)
        {
            take(slot, 0, RateBucket.Scale.of(limits.rpm()), Math.min(after[RPM_LAST], nowMs), requests);
        }
        if (takesTokens)
        {
            take(slot, RateBucket.LENGTH, RateBucket.Scale.of(limits.tpm()), Math.min(after[TPM_LAST], nowMs), tokens);
        }
        return takesRequests || takesTokens;
    }

    /**
     * At most a full bucket at once: an increase larger than that was taken over more than a minute (heard of late:
     * this replicator stopped, a partition healed, a slot new to this host), and a bucket refills whole in a
     * minute, so all but its last bucket's worth was refilled by the sender's latest take. Taken whole at that time
     * it would leave a debt of every take since, refusing the model here for as many minutes as buckets were taken.
     * Only an outcome recorded above a whole bucket (a debt on the sender) is then taken short here, by less than
     * what the other host took during one replication delay (SPEC §7's bound).
     */
    private static void take(final LimitsStore.Slot slot, final int bucket, final RateBucket.Scale scale,
        final long atMs, final long count)
    {
        RateBucket.forceTake(slot.buffer(), slot.offset() + bucket, scale, atMs,
            Math.min(scale.units(Math.min(count, RateBucket.MAX_COUNT)), scale.full()));
    }

    /**
     * Adds to this host's budget named {@code name} what another host spent between its totals {@code before}
     * and {@code after}, period by period: a word of a later period than the slot's counts whole.
     *
     * @return whether anything was added.
     */
    public static boolean applyBudget(final LimitsStore local, final String name, final long[] before,
        final long[] after)
    {
        LimitsStore.Slot slot = null;
        boolean applied = false;
        for (int i = 0; i < BudgetSpend.PERIODS; i++)
        {
            if (after[i] <= before[i])
            {
                continue; // the same, or older than what was applied
            }
            final long period = after[i] >>> BudgetSpend.SPENT_BITS;
            final long spent = after[i] & BudgetSpend.MAX_SPENT;
            final long increase = period == before[i] >>> BudgetSpend.SPENT_BITS ?
                spent - (before[i] & BudgetSpend.MAX_SPENT) : spent;
            if (increase > 0)
            {
                slot = slot == null ? local.budget(name) : slot;
                BudgetSpend.add(slot.buffer(), slot.offset(), period, increase);
                applied = true;
            }
        }
        return applied;
    }
}
