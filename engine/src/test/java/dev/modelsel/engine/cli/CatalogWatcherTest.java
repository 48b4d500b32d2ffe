package dev.modelsel.engine.cli;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.FaultyTable;
import dev.modelsel.engine.availability.SharedTableException;
import dev.modelsel.engine.cost.InMemoryPhaseCounters;
import dev.modelsel.engine.protocol.RunSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run}'s catalog reload: one that reads the table when the table cannot be read (a segment stuck) fails that
 * line alone, with ERROR, and is tried again on the next line rather than forgotten.
 */
class CatalogWatcherTest
{
    private static final String SELECT = "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 1}";

    @TempDir
    Path dir;

    @Test
    void shouldAnswerErrorWhenAReloadCannotReadTheTableAndTryAgainOnTheNextLine() throws Exception
    {
        final Path file = dir.resolve("c.yaml");
        Files.writeString(file, "version: 1\ntiers: [{tier: 1, models: [a, b, c]}]\n");
        final FaultyTable faulty = new FaultyTable("read");
        final Selector selector = Selector.create(CatalogLoader.load(file).compile(), faulty.table());
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final RunSession run = new RunSession(selector, () -> 0L,
            new CatalogWatcher(file, selector, new PrintStream(err, true, StandardCharsets.UTF_8)),
            new InMemoryPhaseCounters());
        assertModel("a", run.handle(1, SELECT));

        Files.writeString(file, "version: 1\ntiers: [{tier: 1, models: [d, a, b, c]}]\n");
        faulty.fail(args -> new SharedTableException("t.table: the segment holding \"" + args[0] + "\" has been " +
            "locked far longer than any write takes"));
        Thread.sleep(1_100); // the watcher looks at most once a second
        final String refused = run.handle(2, SELECT);
        assertTrue(refused.startsWith("{\"status\": \"ERROR\", \"error\": \"line 2: the catalog ") &&
            refused.contains("c.yaml changed, and reading availability for it failed") &&
            refused.contains("the segment holding"), refused);

        faulty.fail(null);
        assertModel("d", run.handle(3, SELECT)); // at once, not a second later
        assertEquals("", err.toString(StandardCharsets.UTF_8), "a catalog that loads is not reported");
    }

    private static void assertModel(final String model, final String answer)
    {
        assertTrue(answer.startsWith("{\"status\": \"OK\", \"model\": \"" + model + "\""), answer);
    }
}
