package dev.modelsel.engine.protocol;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A line that a full counters file cannot take is answered ERROR, and the lines after it are served as ever. */
class RunFaultsTest
{
    @Test
    void shouldAnswerEveryLineAndGoOnWhenTheCountersFileIsFull(@TempDir final Path dir) throws Exception
    {
        try (SharedPhaseCounters counters = SharedPhaseCounters.open(dir.resolve("counters")))
        {
            final RunSession session = new RunSession(Selector.create(CatalogLoader.loadDefault().compile(),
                new InMemoryAvailabilityTable()), () -> 0L, () -> { }, counters);
            int errors = 0;
            long line = 0;
            for (int category = 0; category < 5_000; category++)
            {
                final String answer = session.handle(++line, "{\"op\": \"record\", \"category\": \"c" + category + "\", " +
                    "\"complexity\": \"low\", \"initial_tier\": 3, \"final_tier\": 3, \"model\": " +
                    "\"claude-3-haiku-20240307\", \"input_tokens\": 10, \"output_tokens\": 1, \"success\": true}");
                if (answer.startsWith("{\"status\": \"ERROR\""))
                {
                    assertTrue(answer.contains("line " + line + ": ") && answer.contains("full"), answer);
                    errors++;
                }
                else
                {
                    assertTrue(answer.startsWith("{\"status\": \"OK\""), answer);
                }
            }
            assertTrue(errors > 0, "5,000 categories and a model overflow the 4,096 records");
            final String select = session.handle(++line, "{\"op\": \"select\", \"complexity\": \"high\", \"tokens\": 10}");
            assertTrue(select.startsWith("{\"status\": \"OK\""), select);
            assertEquals(5_001, line);
        }
    }
}
