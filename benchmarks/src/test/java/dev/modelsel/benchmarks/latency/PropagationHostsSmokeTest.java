package dev.modelsel.benchmarks.latency;

import dev.modelsel.engine.cli.NetworkNamespaces;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code propagation --hosts --smoke} end to end, as a user runs it: three namespaces, the packaged jar's replicators,
 * Redis when installed. Checks what it reports and writes, never its timings. Needs root, {@code ip} and the packaged
 * engine (engine/target/modelsel.jar, there in {@code mvn verify}); skipped, saying why, without them.
 */
class PropagationHostsSmokeTest
{
    @TempDir
    Path out;

    @Test
    void shouldReportEveryRowAndWriteTheHistogramsAndThePlot() throws Exception
    {
        final String unavailable = NetworkNamespaces.unavailableBecause();
        Assumptions.assumeTrue(unavailable == null, "SKIPPED: cannot make network namespaces here: " + unavailable);
        final Path jar = PropagationHarness.defaultModelselJar();
        Assumptions.assumeTrue(Files.isRegularFile(jar), "SKIPPED: no " + jar + " (it is packaged before verify)");

        final PrintStream stdout = System.out;
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try
        {
            PropagationHarness.main(new String[] {"--hosts", "--smoke", "--changes", "100", "--warmup-changes", "1000",
                "--out", out.toString()});
        }
        finally
        {
            System.setOut(stdout);
        }
        final String report = printed.toString(StandardCharsets.UTF_8);
        stdout.print(report);
        final boolean redis = RedisServer.find() != null;
        for (final String line : new String[] {"single host (baseline)", "across hosts (Aeron)",
            "across hosts / single host", "target across hosts", "quiet cluster of 3 hosts",
            "after a 1,000 ms partition of one host of 3, healed", "under 20% loss on every link each way",
            redis ? "Redis (LiteLLM's design)" : "SKIPPED: redis: " + RedisServer.MISSING})
        {
            assertTrue(report.contains(line), "no \"" + line + "\" in:\n" + report);
        }
        assertFalse(report.contains("saw ") && report.contains(" changes (the writer ended"), report);
        assertTrue(Files.size(out.resolve("propagation-hosts-across.hgrm")) > 0);
        assertTrue(Files.size(out.resolve("propagation-hosts-single.hgrm")) > 0);
        assertTrue(Files.exists(out.resolve("propagation-hosts-redis.hgrm")) == redis);
        final String plot = Files.readString(out.resolve("propagation-hosts.html"));
        assertTrue(plot.contains("<polyline") && plot.contains("across hosts (Aeron)"), "a plot with its curves");
    }
}
