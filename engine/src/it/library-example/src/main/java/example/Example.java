package example;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.Status;
import dev.modelsel.engine.availability.OutcomeReporter;
import dev.modelsel.engine.availability.SharedAvailabilityTable;

import java.nio.file.Path;

public final class Example
{
    public static void main(final String[] args) throws Exception
    {
        CompiledCatalog catalog = CatalogLoader.loadDefault().compile(); // or CatalogLoader.load(Path.of("catalog.yaml"))
        Path tablePath = args.length > 0 ? Path.of(args[0]) : SharedAvailabilityTable.defaultPath();
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(tablePath))
        {
            Selector selector = Selector.create(catalog, table);
            Selection selection = new Selection();                 // one per thread, reused: no allocation per call
            selector.select(Complexity.HIGH, 145_000, System.currentTimeMillis(), selection);
            if (selection.status() != Status.OK)
            {
                throw new IllegalStateException("no model: " + selection.status());
            }
            String model = selection.modelId();
            System.out.println("chose " + model);

            // The model answered 429 with Retry-After: 30; every process sharing the table now avoids it.
            new OutcomeReporter(table).reportStatus(model, 429, "30");
            selector.select(Complexity.HIGH, 145_000, System.currentTimeMillis(), selection);
            System.out.println("then " + selection.modelId() + " (fallback " + selection.fallback() + ")");
        }
    }
}
