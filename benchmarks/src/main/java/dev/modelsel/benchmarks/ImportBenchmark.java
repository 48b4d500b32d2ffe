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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The catalog {@code import-litellm} makes from the shipped snapshot (the {@code litellm} benchmark catalog):
 * the import itself, loading the written YAML (parse + validate), and compiling it. Run with {@code -bm ss -wi 0
 * -i 1 -f 10} for the cold figures a starting process sees.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ImportBenchmark extends BenchmarkDefaults
{
    private byte[] snapshot;
    private Map<String, Double> capabilities;
    private String yaml;
    private CatalogDefinition definition;

    @Setup
    public void setUp() throws CatalogException
    {
        snapshot = BenchmarkCatalogs.snapshot();
        capabilities = BenchmarkCatalogs.litellmCapabilities(snapshot);
        yaml = BenchmarkCatalogs.importYaml(snapshot, capabilities);
        definition = CatalogLoader.parse("litellm.yaml", yaml, false).definition();
    }

    @Benchmark
    public String importSnapshot()
    {
        return BenchmarkCatalogs.importYaml(snapshot, capabilities);
    }

    @Benchmark
    public LoadedCatalog load() throws CatalogException
    {
        return CatalogLoader.parse("litellm.yaml", yaml, false);
    }

    @Benchmark
    public CompiledCatalog compile()
    {
        return CatalogCompiler.compile(definition);
    }
}
