package dev.modelsel.engine.availability;

import dev.modelsel.engine.cost.SharedPhaseCounters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A child JVM's use of everything off-heap: a new table created, written and read, opened again after a process
 * "died" with it open (the recovery path), listed; with {@code counters}, the shared counters too; then the
 * native libraries this JVM has mapped that are neither the JDK's nor the system's C libraries, one per line as
 * {@code FOREIGN path}. Goes under {@link SharedAvailabilityTable} to Chronicle itself, past the flag check, so that
 * a missing flag shows as the failure it causes. Exit status 0 when every step worked.
 * <p>
 * Usage: {@code TableWorkload DIRECTORY [counters | counters-only]}.
 */
public final class TableWorkload
{
    private static final List<String> SYSTEM_LIBRARIES = List.of("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/");

    public static void main(final String[] args) throws Exception
    {
        final Path directory = Path.of(args[0]);
        if (args.length > 1 && args[1].equals("counters-only"))
        {
            try (SharedPhaseCounters counters = SharedPhaseCounters.open(directory.resolve("counters")))
            {
                counters.addPhase("workload", false);
            }
            return;
        }
        final Path table = directory.resolve("availability.table");
        System.getProperties().putIfAbsent(SharedAvailabilityTable.LOCK_TIMEOUT_PROPERTY, "2");
        try (ChronicleAvailabilityMap map = MapOpener.open(table))
        {
            map.write("model-a", (record, clock, host) ->
            {
                record.setDown(clock, host);
                return true;
            });
        }
        try (SequenceFile sequence = SequenceFile.openOrCreate(ChronicleAvailabilityMap.sequencePath(table)))
        {
            sequence.opened(); // as a process killed with the table open leaves it
        }
        try (ChronicleAvailabilityMap map = MapOpener.open(table))
        {
            final AvailabilityRecord record = new AvailabilityRecord();
            check(map.recovered(), "the second open recovers the table");
            check(map.read("model-a", record) && record.down(), "model-a reads back down");
            map.forEach((model, entry, intact) -> check(model.equals("model-a") && intact, "one model listed"));
        }
        if (args.length > 1 && args[1].equals("counters"))
        {
            try (SharedPhaseCounters counters = SharedPhaseCounters.open(directory.resolve("counters")))
            {
                counters.addPhase("workload", false);
            }
        }
        final String javaHome = Path.of(System.getProperty("java.home")).toRealPath() + "/";
        for (final String line : Files.readAllLines(Path.of("/proc/self/maps")))
        {
            final int slash = line.indexOf('/');
            final String file = slash < 0 ? "" : line.substring(slash);
            if (file.contains(".so") && !file.startsWith(javaHome) && SYSTEM_LIBRARIES.stream().noneMatch(file::startsWith))
            {
                System.out.println("FOREIGN " + file);
            }
        }
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new IllegalStateException("failed: " + what);
        }
    }
}
