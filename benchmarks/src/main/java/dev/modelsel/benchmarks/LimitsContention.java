package dev.modelsel.benchmarks;

import dev.modelsel.benchmarks.latency.HarnessOptions;
import dev.modelsel.catalog.RateLimits;
import dev.modelsel.engine.Selection;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.cost.SharedPhaseCounters;
import dev.modelsel.engine.limits.LimitsStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code limits-contention}: SPEC §7's reservations from separate processes on one counters file (issue 14), which
 * JMH cannot run at once. Each process selects in a loop for a few seconds over the {@link Workload}, every model
 * given a tpm limit of 10^9 a minute and the clock moving 100 ms a select (so nothing is refused: what is measured is
 * the reservation), first one process alone, then several together on the same buckets; each reports its ns per
 * select. Beside them, the same loop with no limits, alone.
 */
final class LimitsContention
{
    static final String COMMAND = "limits-contention";
    static final String WORKER = "limits-contention-worker";
    private static final long WARMUP_NS = TimeUnit.SECONDS.toNanos(2);

    private LimitsContention()
    {
    }

    static void main(final String[] args) throws Exception
    {
        final HarnessOptions options = HarnessOptions.parse("java -jar benchmarks/target/benchmarks.jar " + COMMAND +
            " [--processes N] [--seconds S] [--catalog seed|litellm]" + System.lineSeparator() +
            "Reservations from separate processes on one counters file: ns per select, alone and together.", args,
            List.of(new HarnessOptions.Option("processes", "2", "processes together"),
                new HarnessOptions.Option("seconds", "5", "seconds each measured run selects"),
                new HarnessOptions.Option("catalog", BenchmarkCatalogs.SEED, "seed or litellm")), System.out);
        if (options == null)
        {
            return;
        }
        final int processes = (int)options.number("processes", 1);
        final long seconds = options.number("seconds", 1);
        final String catalog = options.text("catalog");
        final Path directory = Files.createTempDirectory("modelsel-limits-contention");
        try
        {
            System.out.printf(Locale.ROOT, "limits-contention: %s catalog, tpm limits on every model, %d s a run%n",
                catalog, seconds);
            final double none = run(directory, catalog, seconds, 1, false).get(0);
            final double alone = run(directory, catalog, seconds, 1, true).get(0);
            final List<Double> together = run(directory, catalog, seconds, processes, true);
            System.out.printf(Locale.ROOT, "no limits, one process:        %.1f ns/select%n", none);
            System.out.printf(Locale.ROOT, "tpm limits, one process:       %.1f ns/select (%.2fx)%n", alone,
                alone / none);
            for (int p = 0; p < together.size(); p++)
            {
                System.out.printf(Locale.ROOT, "tpm limits, %d processes, #%d:  %.1f ns/select (%.2fx alone)%n",
                    processes, p + 1, together.get(p), together.get(p) / alone);
            }
        }
        finally
        {
            try (var files = Files.walk(directory))
            {
                for (final Path file : files.sorted(java.util.Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** @return each process's ns per select. */
    private static List<Double> run(final Path directory, final String catalog, final long seconds,
        final int processes, final boolean limits) throws IOException, InterruptedException
    {
        final Path counters = directory.resolve("counters-" + System.nanoTime());
        final Path start = directory.resolve("start-" + System.nanoTime());
        final List<Process> workers = new ArrayList<>();
        for (int p = 0; p < processes; p++)
        {
            final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString()));
            command.addAll(List.of(BenchmarkDefaults.JVM_FLAGS));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchmarksMain.class.getName(),
                WORKER, catalog, counters.toString(), start.toString(), String.valueOf(seconds),
                String.valueOf(limits)));
            workers.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        Thread.sleep(WARMUP_NS / 1_000_000 + 1_000); // each has loaded and warmed up on its own
        Files.createFile(start); // all measure from here, together
        final List<Double> nsPerSelect = new ArrayList<>();
        for (final Process worker : workers)
        {
            final String out = new String(worker.getInputStream().readAllBytes()).strip();
            if (worker.waitFor() != 0 || out.isEmpty())
            {
                throw new IOException("a worker failed: " + out);
            }
            nsPerSelect.add(Double.parseDouble(out));
        }
        return nsPerSelect;
    }

    /** One process: warms up, waits for the start file, selects for the seconds given, prints ns per select. */
    static void worker(final String[] args) throws Exception
    {
        final Workload workload = new Workload(args[0]);
        final boolean limits = Boolean.parseBoolean(args[4]);
        try (SharedPhaseCounters counters = SharedPhaseCounters.open(Path.of(args[1])))
        {
            final Selector selector = Selector.create(limits ? BenchmarkCatalogs.withLimits(workload.catalog,
                new RateLimits(0, RateLimits.MAX)) : workload.catalog,
                table(workload), limits ? (LimitsStore)counters : null);
            final Selection selection = new Selection();
            long now = Workload.NOW_MS + 120_000;
            int next = 0;
            final long warmUntil = System.nanoTime() + WARMUP_NS;
            while (System.nanoTime() < warmUntil)
            {
                for (int i = 0; i < 1_000; i++, next++)
                {
                    now += 100;
                    selector.select(workload.complexities[next & Workload.MASK], workload.tokens[next & Workload.MASK],
                        now, selection);
                }
            }
            final Path start = Path.of(args[2]);
            while (!Files.exists(start))
            {
                Thread.sleep(1);
            }
            final long startNs = System.nanoTime();
            final long endNs = startNs + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
            long selects = 0;
            long nowNs;
            do
            {
                for (int i = 0; i < 1_000; i++, next++)
                {
                    now += 100;
                    selector.select(workload.complexities[next & Workload.MASK], workload.tokens[next & Workload.MASK],
                        now, selection);
                }
                selects += 1_000;
                nowNs = System.nanoTime();
            }
            while (nowNs < endNs);
            System.out.println((double)(nowNs - startNs) / selects);
        }
    }

    private static InMemoryAvailabilityTable table(final Workload workload)
    {
        final InMemoryAvailabilityTable table = new InMemoryAvailabilityTable();
        workload.applyTo(table);
        return table;
    }
}
