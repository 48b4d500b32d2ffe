package dev.modelsel.engine;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Selects from many threads at once, with writes and a catalog reload going on: no locks, no torn answers. */
class SelectorConcurrencyTest
{
    private static final String OPUS = "claude-3-opus-20240229";
    private static final String SONNET = "claude-3-sonnet-20240229";
    private static final long NOW = 1_700_000_000_000L;

    @Test
    void shouldSeeAWriteInTheNextSelectOfAnotherThread() throws Exception
    {
        final Selector selector = Selector.create(CatalogLoader.loadDefault().compile(), new InMemoryAvailabilityTable());
        final CyclicBarrier written = new CyclicBarrier(2);
        final CyclicBarrier checked = new CyclicBarrier(2);
        final ExecutorService reader = Executors.newSingleThreadExecutor();
        try
        {
            final Future<Integer> stale = reader.submit(() ->
            {
                final Selection selection = new Selection();
                int wrong = 0;
                for (int i = 0; i < 2_000; i++)
                {
                    written.await();
                    selector.select(Complexity.HIGH, 145_000, NOW, selection);
                    wrong += selection.modelId().equals(i % 2 == 0 ? OPUS : SONNET) ? 0 : 1;
                    checked.await();
                }
                return wrong;
            });
            for (int i = 0; i < 2_000; i++)
            {
                if (i % 2 == 0)
                {
                    selector.availability().setDown(SONNET);
                }
                else
                {
                    selector.availability().setUp(SONNET);
                }
                written.await();
                checked.await();
            }
            assertEquals(0, stale.get(30, TimeUnit.SECONDS), "selects that missed a write that had returned");
        }
        finally
        {
            reader.shutdownNow();
        }
    }

    @Test
    void shouldGiveEveryThreadAWholeAnswerWhileWritesAndReloadsGoOn() throws Exception
    {
        final CompiledCatalog first = CatalogLoader.loadDefault().compile();
        final CompiledCatalog second = CatalogLoader.loadDefault().compile(); // equal answers, another object
        final Selector selector = Selector.create(first, new InMemoryAvailabilityTable());
        final AtomicBoolean running = new AtomicBoolean(true);
        final ExecutorService threads = Executors.newFixedThreadPool(4);
        try
        {
            final List<Future<Long>> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++)
            {
                readers.add(threads.submit(() ->
                {
                    final Selection selection = new Selection();
                    long selects = 0;
                    while (running.get())
                    {
                        selector.select(Complexity.HIGH, 145_000, NOW, selection);
                        final boolean primary = SONNET.equals(selection.modelId()) && selection.fallback() == Fallback.NONE;
                        final boolean fallback = OPUS.equals(selection.modelId()) && selection.fallback() == Fallback.SAME_TIER;
                        if (!primary && !fallback || selection.tier() != 1)
                        {
                            throw new AssertionError("torn answer: " + selection);
                        }
                        selects++;
                    }
                    return selects;
                }));
            }
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            CompiledCatalog last = first;
            for (int i = 0; System.nanoTime() < deadline; i++)
            {
                if (i % 2 == 0)
                {
                    selector.availability().setDown(SONNET);
                }
                else
                {
                    selector.availability().setUp(SONNET);
                }
                if (i % 100 == 0)
                {
                    last = last == first ? second : first;
                    selector.reload(last);
                }
            }
            running.set(false);
            for (final Future<Long> reader : readers)
            {
                assertTrue(reader.get(30, TimeUnit.SECONDS) > 0);
            }
            selector.availability().setUp(SONNET); // one more refresh: it must not bring an old catalog back
            assertEquals(last, selector.select(Complexity.HIGH, 145_000, NOW, new Selection()).catalog(),
                "the last reload stays in force");
        }
        finally
        {
            running.set(false);
            threads.shutdownNow();
        }
    }

    @Test
    void shouldKeepAvailabilityAcrossACatalogReload() throws Exception
    {
        final Selector selector = Selector.create(CatalogLoader.loadDefault().compile(), new InMemoryAvailabilityTable());
        selector.availability().setDown(SONNET);
        final CompiledCatalog reordered = CatalogLoader.parse("reordered.yaml", "version: 1\nmodels: {" + OPUS +
            ": {input_cost_per_mtok: 15, capability: 1}, " + SONNET + ": {input_cost_per_mtok: 3, capability: 0.85}}\n" +
            "tiers: [{tier: 1, models: [" + SONNET + ", " + OPUS + "]}]\n", false).compile();
        selector.reload(reordered);
        final Selection selection = selector.select(Complexity.HIGH, 1_000, NOW, new Selection());
        assertEquals(OPUS, selection.modelId());
        assertEquals(Fallback.SAME_TIER, selection.fallback());
        assertEquals(reordered, selection.catalog());
    }
}
