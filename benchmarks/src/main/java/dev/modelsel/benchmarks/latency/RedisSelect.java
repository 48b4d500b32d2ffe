package dev.modelsel.benchmarks.latency;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The selecting side of the baseline that shares cooldowns as LiteLLM does: before each select, one {@code MGET} of
 * the cooldown keys of its candidates (the models of the tier the select starts in), as LiteLLM's router reads
 * {@code deployment:{id}:cooldown} for a model group's deployments; a key that is there marks its model down in a
 * private in-memory table, which a {@link Selector} then reads. So the probe's answer changes one Redis round trip
 * (and a select) after the writer's {@code SET} or {@code DEL} lands, with Redis read at every look of the reader:
 * the best case of this design, not LiteLLM's (whose cache re-reads Redis about once a second).
 * <p>
 * Not thread-safe: one per reading thread.
 */
final class RedisSelect implements PropagationRun.Probe, AutoCloseable
{
    private final RespClient redis;
    private final String[] candidates;
    private final byte[] mget;
    private final boolean[] present;
    private final boolean[] down;
    private final InMemoryAvailabilityTable table = new InMemoryAvailabilityTable();
    private final Selector selector;
    private final Selection selection = new Selection();
    private final long nowMs = System.currentTimeMillis();

    RedisSelect(final int port, final CompiledCatalog catalog) throws IOException, InterruptedException
    {
        final List<String> ids = new ArrayList<>();
        for (final int model : catalog.tierMembers(catalog.initialTier(Complexity.HIGH)))
        {
            ids.add(catalog.id(model));
        }
        if (!ids.contains(PropagationRun.MODEL))
        {
            ids.add(PropagationRun.MODEL);
        }
        candidates = ids.toArray(String[]::new);
        final List<String> command = new ArrayList<>(List.of("MGET"));
        ids.forEach(id -> command.add(cooldownKey(id)));
        mget = RespClient.encode(command.toArray(String[]::new));
        present = new boolean[candidates.length];
        down = new boolean[candidates.length];
        selector = Selector.create(catalog, table);
        redis = RespClient.connect(port, 10_000);
    }

    /** LiteLLM's key for a deployment's cooldown. */
    static String cooldownKey(final String model)
    {
        return "deployment:" + model + ":cooldown";
    }

    int candidates()
    {
        return candidates.length;
    }

    @Override
    public boolean up() throws IOException
    {
        redis.callForPresence(mget, present);
        for (int i = 0; i < present.length; i++)
        {
            if (present[i] != down[i])
            {
                down[i] = present[i];
                if (present[i])
                {
                    table.setDown(candidates[i]);
                }
                else
                {
                    table.setUp(candidates[i]);
                }
            }
        }
        return PropagationRun.MODEL.equals(selector.select(Complexity.HIGH, PropagationRun.TOKENS, nowMs, selection)
            .modelId());
    }

    @Override
    public void close() throws IOException
    {
        redis.close();
    }
}
