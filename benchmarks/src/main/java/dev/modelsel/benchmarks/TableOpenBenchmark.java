package dev.modelsel.benchmarks;

import dev.modelsel.engine.availability.SharedAvailabilityTable;
import dev.modelsel.engine.cli.ModelselCommand;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opening (and closing) an existing shared availability table: the whole {@link SharedAvailabilityTable#open}
 * protocol (file check, sequence file, opening lock, Chronicle's open, handle count). In average-time mode it is
 * the cost in a warm JVM; with {@code -bm ss -wi 0 -i 1 -f 10} each fork's single open is a process's first one,
 * class loading and initialisation included (no preload: the command overlaps that with its own start).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TableOpenBenchmark extends BenchmarkDefaults
{
    private Path directory;
    private Path table;

    @Setup
    public void setUp() throws IOException, InterruptedException
    {
        directory = Files.createTempDirectory("modelsel-open-bench");
        table = directory.resolve("availability.table");
        // Created by another process, as an existing table is: this JVM's first open below is then an open, not a create.
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(JVM_FLAGS));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ModelselCommand.class.getName(),
            "availability", "--table", table.toString(), "set-up", "any-model"));
        final Process creator = new ProcessBuilder(command).inheritIO().start();
        if (creator.waitFor() != 0)
        {
            throw new IllegalStateException("could not create " + table);
        }
    }

    @TearDown
    public void tearDown() throws IOException
    {
        SharedAvailabilityTable.reset(table);
        Files.deleteIfExists(directory);
    }

    @Benchmark
    public long openExisting() throws IOException
    {
        try (SharedAvailabilityTable opened = SharedAvailabilityTable.open(table))
        {
            return opened.changeSequence();
        }
    }
}
