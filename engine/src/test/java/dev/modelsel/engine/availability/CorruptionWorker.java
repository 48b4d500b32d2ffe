package dev.modelsel.engine.availability;

import dev.modelsel.engine.cli.ModelselCommand;
import dev.modelsel.engine.replication.ReplicatedRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A separate JVM for {@link TableCorruptionTest}, so that a JVM killed by damage (Chronicle follows some fields by
 * raw address) fails the test with its seed instead of ending the test run. Arguments: {@code SEED TRIALS DIR}.
 * <p>
 * Builds a table of seeded random model ids and states, then, trial by trial, overwrites seeded random bytes of a
 * copy of its map body and uses the copy as every reader would: open, read each known id, list, {@code availability
 * show} through the command line, and write each record found corrupt. Prints one line per trial, {@code trial N
 * refused|reported|correct DETAIL} or {@code trial N GARBAGE DETAIL}, then {@code done}.
 * <p>
 * A trial is <i>refused</i> when the open says the table is damaged or not ours; <i>reported</i> when every known
 * record reads as the original (its SPEC §6 versions included) or as corrupt, no record is listed other than as it
 * was written or as corrupt, and any record lost (a read that finds nothing, a listing that misses it) comes with
 * damage reported (listed as damage, or a read that threw a {@link SharedTableException}); <i>correct</i> when every
 * record reads and lists as written and nothing is reported. Anything else is garbage: a record believed with other
 * values, a model silently gone, an exception other than those, a stack trace from the command.
 */
public final class CorruptionWorker
{
    private static final long REPAIRED_UNTIL_MS = 1_234_567_890_123L;

    private final Map<String, AvailabilityRecord> written = new LinkedHashMap<>();
    private final Map<String, ReplicatedRecord> writtenVersions = new HashMap<>();
    private final Random random;

    private CorruptionWorker(final long seed)
    {
        random = new Random(seed);
    }

    public static void main(final String[] args) throws Exception
    {
        final CorruptionWorker worker = new CorruptionWorker(Long.parseLong(args[0]));
        final Path dir = Path.of(args[2]);
        final Path original = dir.resolve("original.table");
        worker.build(original);
        final byte[] map = Files.readAllBytes(original);
        final byte[] sequence = Files.readAllBytes(ChronicleAvailabilityMap.sequencePath(original));
        final Damager damager = new Damager(map, worker.random);
        for (int trial = 0; trial < Integer.parseInt(args[1]); trial++)
        {
            final Path copy = dir.resolve("trial-" + trial + ".table");
            final List<String> damaged = damager.damage(copy);
            Files.write(ChronicleAvailabilityMap.sequencePath(copy), sequence);
            String outcome;
            try
            {
                outcome = worker.trial(copy);
            }
            catch (final Throwable unexpected)
            {
                outcome = "GARBAGE " + unexpected;
            }
            System.out.println(("trial " + trial + " " + outcome + " (bytes " + damaged + ")")
                .replace("\r", "\\r").replace("\n", "\\n")); // damaged ids may hold any character: one line each
            System.out.flush();
            Files.deleteIfExists(copy);
            Files.deleteIfExists(ChronicleAvailabilityMap.sequencePath(copy));
        }
        System.out.println("done");
    }

    /** Random ids (ASCII and not, short and long) in random states, as writers leave them. */
    private void build(final Path path) throws IOException
    {
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            final int models = 30 + random.nextInt(30);
            for (int m = 0; m < models; m++)
            {
                final String id = randomId(m);
                switch (random.nextInt(4))
                {
                    case 0 -> table.setDown(id);
                    case 1 -> table.setRateLimited(id, 1_700_000_000_000L + random.nextInt(1_000_000_000));
                    case 2 ->
                    {
                        table.setDown(id);
                        table.setRateLimited(id, 1_700_000_000_000L + random.nextInt(1_000_000_000));
                        table.clearDown(id);
                    }
                    default ->
                    {
                        table.setDown(id);
                        table.setUp(id);
                    }
                }
                final AvailabilityRecord record = new AvailabilityRecord();
                table.read(id, record);
                written.put(id, record);
                final ReplicatedRecord versions = new ReplicatedRecord();
                table.readReplicated(id, versions);
                writtenVersions.put(id, versions);
            }
        }
    }

    private String randomId(final int index)
    {
        final String[] stems = {"gpt-4o", "claude-3-haiku-20240307", "openrouter/anthropic/claude-3.5-sonnet:beta",
            "mödel-ü", "模型"};
        final String id = stems[random.nextInt(stems.length)] + "-" + index;
        return random.nextInt(10) == 0 ? id + "-" + "x".repeat(100 + random.nextInt(300)) : id;
    }

    private String trial(final Path path) throws Exception
    {
        final SharedAvailabilityTable table;
        try
        {
            table = SharedAvailabilityTable.open(path);
        }
        catch (final IOException | SharedTableException refused)
        {
            if (!refused.getMessage().startsWith(path.toAbsolutePath().toString()))
            {
                return "GARBAGE a refusal that does not name the table: " + refused;
            }
            final String show = show(path, true, false);
            return show != null ? show : "refused " + refused.getMessage();
        }
        try (table)
        {
            return use(table, path);
        }
    }

    private String use(final SharedAvailabilityTable table, final Path path)
    {
        final Map<String, String> read = new HashMap<>();
        final List<String> lost = new ArrayList<>();
        final AvailabilityRecord record = new AvailabilityRecord();
        final ReplicatedRecord versions = new ReplicatedRecord();
        int threw = 0;
        for (final Map.Entry<String, AvailabilityRecord> model : written.entrySet())
        {
            try
            {
                if (!table.read(model.getKey(), record))
                {
                    lost.add(model.getKey());
                }
                else if (!record.corrupt() && !same(record, model.getValue()))
                {
                    return "GARBAGE read " + model.getKey() + " as " + record + ", written " + model.getValue();
                }
                else if (!record.corrupt() && (!table.readReplicated(model.getKey(), versions) ||
                    !versions.sameAs(writtenVersions.get(model.getKey()))))
                {
                    return "GARBAGE read " + model.getKey() + "'s versions as " + versions + ", written " +
                        writtenVersions.get(model.getKey());
                }
                read.put(model.getKey(), record.corrupt() ? "corrupt" : "intact");
            }
            catch (final SharedTableException reported)
            {
                threw++;
            }
        }
        final Map<String, Boolean> listed = new HashMap<>();
        final StringBuilder problem = new StringBuilder();
        final List<String> damage = table.forEach((id, listedRecord) ->
        {
            listed.put(id, listedRecord.corrupt());
            final AvailabilityRecord expected = written.get(id);
            if (!listedRecord.corrupt() && (expected == null || !same(listedRecord, expected)))
            {
                problem.append("listed ").append(id).append(" as ").append(listedRecord).append(", written ")
                    .append(expected).append("; ");
            }
            if (read.containsKey(id) && read.get(id).equals("corrupt") != listedRecord.corrupt())
            {
                problem.append("listed ").append(id).append(" unlike its read; ");
            }
        });
        if (problem.length() > 0)
        {
            return "GARBAGE " + problem;
        }
        written.keySet().stream().filter(id -> !listed.containsKey(id) && !lost.contains(id)).forEach(lost::add);
        if (!lost.isEmpty() && damage.isEmpty() && threw == 0)
        {
            return "GARBAGE lost without a word: " + lost;
        }
        final long corrupt = written.keySet().stream()
            .filter(id -> "corrupt".equals(read.get(id)) || Boolean.TRUE.equals(listed.get(id))).count();
        final boolean clean = corrupt == 0 && damage.isEmpty() && threw == 0 && lost.isEmpty();
        final String show = show(path, !clean || listed.containsValue(true), listed.containsValue(true));
        if (show != null)
        {
            return show;
        }
        final String repair = repair(table, listed);
        if (repair != null)
        {
            return repair;
        }
        return clean ? "correct" : "reported corrupt=" + corrupt + " lost=" + lost.size() + " threw=" + threw +
            " damage=" + damage;
    }

    /** Any write of a corrupt record replaces it: none of its fields is believed (a garbage deadline never wins). */
    private static String repair(final SharedAvailabilityTable table, final Map<String, Boolean> listed)
    {
        final AvailabilityRecord record = new AvailabilityRecord();
        for (final Map.Entry<String, Boolean> model : listed.entrySet())
        {
            if (!model.getValue())
            {
                continue;
            }
            try
            {
                final long inForce = table.setRateLimited(model.getKey(), REPAIRED_UNTIL_MS);
                if (inForce != REPAIRED_UNTIL_MS || !table.read(model.getKey(), record) || record.corrupt() ||
                    record.down() || record.cooldownUntilMs() != REPAIRED_UNTIL_MS)
                {
                    return "GARBAGE a write of corrupt " + model.getKey() + " left " + record + " (in force " + inForce +
                        ")";
                }
            }
            catch (final SharedTableException reported)
            {
                // the damage around it keeps the write from happening, and says so
            }
        }
        return null;
    }

    /** @return {@code null} when {@code availability show} answered as it must, else what it did. */
    private String show(final Path path, final boolean damaged, final boolean corrupt)
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        final int exit;
        try
        {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            exit = ModelselCommand.execute("availability", "--table", path.toString(), "show");
        }
        finally
        {
            System.setOut(out);
            System.setErr(err);
        }
        final String shown = stdout.toString(StandardCharsets.UTF_8);
        final String said = stderr.toString(StandardCharsets.UTF_8);
        if (shown.contains("\tat ") || said.contains("\tat ") || exit != (damaged ? 1 : 0) ||
            (damaged && (said.lines().count() != 1 || !said.startsWith("modelsel: "))) ||
            (corrupt && !shown.contains("CORRUPT")))
        {
            return "GARBAGE show exited " + exit + ", printing " + shown + said;
        }
        return null;
    }

    /**
     * Overwrites seeded random bytes of a copy of the map's body (after Chronicle's header, which has its own checksum):
     * half of them where the table holds something (entries, hash lookup slots, counters: the bytes that are not
     * zero), a fifth in the global state and segment headers (where Chronicle follows indexes), the rest anywhere.
     */
    private static final class Damager
    {
        private final byte[] map;
        private final Random random;
        private final int bodyStart;
        private final int firstTiers;
        private final int[] used;

        Damager(final byte[] map, final Random random)
        {
            this.map = map;
            this.random = random;
            final int headerSize = (map[8] & 0xFF | (map[9] & 0xFF) << 8 | (map[10] & 0xFF) << 16 | (map[11] & 0x3F) << 24);
            bodyStart = 12 + headerSize;
            firstTiers = (int)MapStructureCheck.Geometry.of(new String(map, 12, headerSize, StandardCharsets.UTF_8),
                bodyStart).firstTiersOffset();
            used = IntStream.range(bodyStart, map.length).filter(i -> map[i] != 0).toArray();
        }

        /** Writes the damaged copy to {@code path}; returns the positions changed. */
        List<String> damage(final Path path) throws IOException
        {
            final byte[] copy = map.clone();
            final List<String> changed = new ArrayList<>();
            for (int n = 1 + random.nextInt(4); n > 0; n--)
            {
                final int pick = random.nextInt(10);
                final int at = pick < 5 ? used[random.nextInt(used.length)] :
                    pick < 7 ? bodyStart + random.nextInt(firstTiers - bodyStart) :
                    bodyStart + random.nextInt(map.length - bodyStart);
                copy[at] ^= (byte)(1 + random.nextInt(255)); // always a change
                changed.add(String.valueOf(at));
            }
            Files.write(path, copy);
            return changed;
        }
    }

    private static boolean same(final AvailabilityRecord a, final AvailabilityRecord b)
    {
        return a.down() == b.down() && a.cooldownUntilMs() == b.cooldownUntilMs() && a.changes() == b.changes() &&
            a.writerPid() == b.writerPid() && a.changedAtMs() == b.changedAtMs();
    }
}
