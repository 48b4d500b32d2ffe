package dev.modelsel.benchmarks;

import dev.modelsel.catalog.CatalogCompiler;
import dev.modelsel.catalog.CatalogDefinition;
import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.LoadedCatalog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** Catalog load (parse + validate) and compile, for generated catalogs of 10, 2,000 and 20,000 models. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CompileBenchmark extends BenchmarkDefaults
{
    @Param({"10", "2000", "20000"})
    public int models;

    private String text;
    private CatalogDefinition definition;

    @Setup
    public void setUp() throws CatalogException
    {
        text = GeneratedCatalogs.json(models, 42);
        definition = CatalogLoader.parse("generated.json", text, true).definition();
    }

    @Benchmark
    public LoadedCatalog load() throws CatalogException
    {
        return CatalogLoader.parse("generated.json", text, true);
    }

    @Benchmark
    public CompiledCatalog compile()
    {
        return CatalogCompiler.compile(definition);
    }
}
