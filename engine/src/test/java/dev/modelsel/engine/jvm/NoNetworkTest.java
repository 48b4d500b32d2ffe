package dev.modelsel.engine.jvm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No network but the prober's: Chronicle must not phone home (its analytics are off the class path, and disabled
 * besides), and no source but the prober opens a connection (and, in the benchmarks, the Redis baseline of
 * {@code propagation --hosts}, to a server of its own on the loopback address).
 */
class NoNetworkTest
{
    @Test
    void shouldNotHaveChronicleAnalyticsOnTheClassPath()
    {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("net.openhft.chronicle.analytics.Analytics"));
    }

    @Test
    void shouldOpenConnectionsOnlyFromTheProber() throws IOException
    {
        final Pattern network = Pattern.compile("HttpClient|Socket|openConnection|openStream|DatagramChannel");
        final List<String> users = new ArrayList<>();
        for (final String module : List.of("../catalog", ".", "../benchmarks"))
        {
            try (Stream<Path> files = Files.walk(Path.of(module, "src", "main", "java")))
            {
                for (final Path file : files.filter(f -> f.toString().endsWith(".java")).toList())
                {
                    if (network.matcher(Files.readString(file)).find())
                    {
                        users.add(file.getFileName().toString());
                    }
                }
            }
        }
        assertEquals(List.of("FreshClients.java", "Prober.java", "RedisServer.java", "RespClient.java"),
            users.stream().sorted().toList(), "the prober's HttpClients (its own, and those for a retry on a new " +
            "connection) are the only network use, but for the benchmarks' Redis baseline (its own redis-server, " +
            "on loopback)");
    }

    @Test
    void shouldStartEveryTestJvmWithAnalyticsDisabled()
    {
        assertEquals("true", System.getProperty("chronicle.analytics.disable"));
    }

    @Test
    void shouldListTheParentPomsFlagsAndFindNoneMissingHere()
    {
        assertTrue(JvmFlags.all().contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), JvmFlags.all().toString());
        assertTrue(JvmFlags.all().contains("-Dchronicle.analytics.disable=true"));
        assertEquals(List.of(), JvmFlags.missing(), "Surefire starts tests with the parent POM's flags");
    }
}
