package dev.modelsel.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §7 on one host: separate JVMs ({@code modelsel run --counters F}, the packaged jar) reserving from one
 * model's buckets in the counters file they share, all at once. No request is admitted twice and none is lost: the
 * OK answers of all of them add up to the bucket's capacity, then to exactly its refill, to the unit.
 */
class LimitsProcessesIT
{
    private static final int PROCESSES = 4;
    private static final int RPM = 20_000;
    /** Near this host's clock: with shared limits, run refuses times more than a day from it. */
    private static final long START_MS = System.currentTimeMillis();

    @TempDir
    Path directory;

    @Test
    void shouldAdmitExactlyTheCapacityThenTheRefillAcrossProcesses() throws Exception
    {
        final Path catalog = directory.resolve("catalog.yaml");
        Files.writeString(catalog, String.join("\n",
            "version: 1",
            "models:",
            "  limited: {context_window: 100000, input_cost_per_mtok: 1, capability: 0.9, limits: {rpm: " + RPM +
                ", tpm: " + (RPM * 10) + "}}",
            "tiers:",
            "  - {tier: 1, models: [limited]}",
            ""));
        final Path counters = directory.resolve("counters");

        // at one instant: the full bucket, one minute's requests, shared out among the racing processes
        assertEquals(RPM, okAnswers(race(catalog, counters, START_MS, RPM)),
            "every request of a full bucket admitted once");
        // 15 s later: a quarter of a minute's refill, and only that (the tpm bucket, 10 tokens a request, keeps pace)
        assertEquals(RPM / 4, okAnswers(race(catalog, counters, START_MS + 15_000, RPM)),
            "exactly the refill of 15 s admitted");
    }

    /** Starts the processes, waits until every one is up, then feeds them all at once: each as many selects. */
    private List<String> race(final Path catalog, final Path counters, final long nowMs, final int selectsEach)
        throws Exception
    {
        final StringBuilder script = new StringBuilder();
        for (int i = 0; i < selectsEach; i++)
        {
            script.append("{\"op\": \"select\", \"complexity\": \"high\", \"tokens\": 10, \"now_ms\": ").append(nowMs)
                .append("}\n");
        }
        final byte[] input = script.toString().getBytes(StandardCharsets.UTF_8);
        final List<Process> processes = new ArrayList<>();
        final List<Path> outputs = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++)
        {
            final Path output = directory.resolve("answers-" + nowMs + "-" + p);
            outputs.add(output);
            processes.add(ModelselJar.commandOnJvm(List.of(), "run", "--catalog", catalog.toString(), "--counters",
                counters.toString()).redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start());
        }
        Thread.sleep(1_500); // every JVM up and reading its standard input
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> feeders = new ArrayList<>();
        for (final Process process : processes)
        {
            final Thread feeder = new Thread(() ->
            {
                try (OutputStream in = process.getOutputStream())
                {
                    go.await();
                    in.write(input);
                }
                catch (final IOException | InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            feeder.start();
            feeders.add(feeder);
        }
        go.countDown();
        for (final Thread feeder : feeders)
        {
            feeder.join();
        }
        final List<String> answers = new ArrayList<>();
        final List<Long> shares = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++)
        {
            assertTrue(processes.get(p).waitFor(120, TimeUnit.SECONDS), "process " + p + " ended");
            assertEquals(0, processes.get(p).exitValue());
            final List<String> lines = Files.readAllLines(outputs.get(p));
            assertEquals(selectsEach, lines.size(), "every line answered");
            answers.addAll(lines);
            shares.add(okAnswers(lines));
        }
        System.out.println("LimitsProcessesIT: at " + nowMs + ", OK answers by process: " + shares);
        assertTrue(shares.stream().filter(share -> share > 0).count() > 1, "the processes raced: " + shares);
        return answers;
    }

    private static long okAnswers(final List<String> answers)
    {
        long ok = 0;
        for (final String answer : answers)
        {
            if (answer.contains("\"status\": \"OK\""))
            {
                ok++;
            }
            else
            {
                assertTrue(answer.contains("\"status\": \"NO_MODEL_AVAILABLE\""), answer);
            }
        }
        return ok;
    }
}
