package dev.modelsel.benchmarks.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a figure came from, in a line: CPU model, cores, JVM. */
final class Machine
{
    private Machine()
    {
    }

    static String describe()
    {
        String cpu = System.getProperty("os.arch");
        try
        {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst().orElse(cpu);
        }
        catch (final IOException | RuntimeException ex)
        {
            // keep the architecture
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name") +
            " " + System.getProperty("java.version");
    }
}
