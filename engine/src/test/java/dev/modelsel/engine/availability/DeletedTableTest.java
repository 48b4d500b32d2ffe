package dev.modelsel.engine.availability;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.mapped.FileUnavailableException;
import dev.modelsel.engine.probe.ProbeConfig;
import dev.modelsel.engine.probe.ProbeListener;
import dev.modelsel.engine.probe.ProbeTarget;
import dev.modelsel.engine.probe.ProbeVerdict;
import dev.modelsel.engine.probe.Prober;
import dev.modelsel.engine.probe.ScriptedServer;
import dev.modelsel.engine.protocol.RunSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.modelsel.engine.mapped.Looks.waitForTheNextLook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table's files deleted under a process that has it open, and a new table made at the path by another, real
 * process ({@link TableWorker}): the process notices, and moves to the new table instead of going on alone.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeletedTableTest
{
    private static final String SELECT = "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 1}";

    @TempDir
    Path dir;

    @Test
    void shouldNoticeTheMapDeletedAndMoveToTheTableAnotherProcessMade() throws Exception
    {
        final Path path = dir.resolve("t.table");
        final SharedAvailabilityTable old = SharedAvailabilityTable.open(path);
        old.setDown("mine");
        assertNull(old.staleReason(), "nothing happened yet");
        assertFalse(old.replacedOrGone());

        Files.delete(path);
        assertTrue(old.staleReason().endsWith("t.table was deleted"), old.staleReason());
        assertEquals("ok 2", setDownInAnotherProcess(path, "theirs"), "another process made a new map beside the old " +
            "sequence file, and counted its change there");
        assertTrue(old.staleReason().endsWith("t.table was replaced by another file"), old.staleReason());
        assertFalse(old.read("theirs", new AvailabilityRecord()), "the old table does not see the new one's writes");

        final SharedAvailabilityTable moved = old.reopenIfReplaced();
        try
        {
            assertNotSame(old, moved);
            assertNull(moved.staleReason());
            assertFalse(moved.recoveredOnOpen(), "the old table, closed, did not count itself off the new one's " +
                "open handles (which would look like a process that died with it open)");
            final AvailabilityRecord record = new AvailabilityRecord();
            assertTrue(moved.read("theirs", record) && record.down(), "the other process's write");
            assertFalse(moved.read("mine", record), "the old table's records went with it");
            assertSame(moved, moved.reopenIfReplaced(), "a table that stands is kept");
        }
        finally
        {
            moved.close();
        }
        try (SharedAvailabilityTable next = SharedAvailabilityTable.open(path))
        {
            assertFalse(next.recoveredOnOpen(), "every process closed it cleanly");
        }
    }

    @Test
    void shouldNoticeTheSequenceFileDeletedAndMoveToTheOneAnotherProcessMade() throws Exception
    {
        final Path path = dir.resolve("t.table");
        final SharedAvailabilityTable old = SharedAvailabilityTable.open(path);
        old.setDown("mine");
        final long before = old.changeSequence();

        Files.delete(dir.resolve("t.table.seq"));
        assertTrue(old.staleReason().endsWith("t.table.seq was deleted"), old.staleReason());
        assertEquals("ok 1", setDownInAnotherProcess(path, "theirs"), "the other process counts on a new sequence file");
        assertEquals(before, old.changeSequence(), "so the old one never hears of its write: a selector would not look");

        final SharedAvailabilityTable moved = old.reopenIfReplaced();
        try
        {
            assertNotSame(old, moved);
            assertEquals(1, moved.changeSequence(), "the new sequence file");
            final AvailabilityRecord record = new AvailabilityRecord();
            assertTrue(moved.read("theirs", record) && record.down());
            assertTrue(moved.read("mine", record) && record.down(), "the map file itself was not deleted");
        }
        finally
        {
            moved.close();
        }
    }

    @Test
    void shouldRefuseAReplacedPathUntilEveryHandleOfTheOldTableIsClosed() throws Exception
    {
        final Path path = dir.resolve("t.table");
        final SharedAvailabilityTable first = SharedAvailabilityTable.open(path);
        final SharedAvailabilityTable second = SharedAvailabilityTable.open(path);
        assertSame(first, second);
        Files.delete(path);

        // Chronicle keeps one open file per path in a JVM: opened now, the "new" table would be the deleted one.
        final SharedTableException refused = assertThrows(SharedTableException.class,
            () -> SharedAvailabilityTable.open(path));
        assertTrue(refused.getMessage().contains("t.table was deleted, and this process still has the table that " +
            "was there open (2 handles)"), refused.getMessage());
        assertTrue(assertThrows(SharedTableException.class, first::reopenIfReplaced, "another handle still uses it")
            .getMessage().contains("(1 other handle)"));
        first.setDown("still-usable"); // nothing was closed

        second.close();
        final SharedAvailabilityTable moved = first.reopenIfReplaced();
        try
        {
            assertNotSame(first, moved);
            assertTrue(Files.size(path) > 0, "a new table made at the path");
            assertFalse(moved.read("still-usable", new AvailabilityRecord()));
            assertSame(moved, SharedAvailabilityTable.open(path), "the new table is the one handed out now");
            moved.close();
        }
        finally
        {
            moved.close();
        }
    }

    @Test
    void shouldFollowTheTableInARunAndAnswerErrorWhileItCannotBeOpened() throws Exception
    {
        final Path path = dir.resolve("t.table");
        final List<String> notes = new ArrayList<>();
        try (FollowedTable table = FollowedTable.open(path, false, notes::add))
        {
            final RunSession run = runWhileAnotherProcessMakesTheTableAgain(table);
            waitForTheNextLook();
            assertModel("a", run.handle(3, SELECT), "the new table: a is up there, b down");
            assertEquals(1, notes.size(), notes.toString());
            assertTrue(notes.get(0).contains("t.table was replaced by another file; opened the availability table " +
                "now at "), notes.get(0));
            assertEquals("ok 3", setDownInAnotherProcess(path, "a"), "the run's table is the other process's");
            assertModel("c", run.handle(4, SELECT));

            Files.delete(path);
            Files.writeString(path, "not a table\n".repeat(100)); // what is there now cannot be opened
            waitForTheNextLook();
            final String refused = run.handle(5, SELECT);
            assertTrue(refused.startsWith("{\"status\": \"ERROR\", \"error\": \"line 5: ") &&
                refused.contains("t.table was replaced by another file; opening the availability table now at ") &&
                refused.contains("not a modelsel availability table"), refused);
            waitForTheNextLook();
            assertTrue(run.handle(6, setDown("c")).startsWith("{\"status\": \"ERROR\", \"error\": \"line 6: "),
                "a write too: never into a table nobody else sees");
            assertThrows(FileUnavailableException.class, () -> table.setDown("x"));
            assertEquals(2, notes.size(), "the failure said once: " + notes);

            Files.delete(path);
            waitForTheNextLook();
            assertModel("a", run.handle(7, SELECT), "a new, empty table once one can be made");
            assertEquals(3, notes.size(), notes.toString());
            assertTrue(Files.size(path) > 0);
        }
    }

    /**
     * The run sees the move, but re-reading availability from the new table fails (a segment held by a writer): that
     * line is answered ERROR, and the next line re-reads before it selects, although no later look sees a move.
     */
    @Test
    void shouldReReadTheNewTableOnTheNextLineWhenTheFirstReReadAfterAMoveFails() throws Exception
    {
        final Path path = dir.resolve("t.table");
        try (FollowedTable table = FollowedTable.open(path, false, note -> { }))
        {
            final RunSession run = runWhileAnotherProcessMakesTheTableAgain(table);
            final Path release = dir.resolve("release");
            final Process holder = Jvms.start(true, TableWorker.class, "hold-until", path.toString(), "a",
                release.toString());
            try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8)))
            {
                assertEquals("holding", out.readLine());
                waitForTheNextLook();
                final String refused = run.handle(3, SELECT);
                assertTrue(refused.startsWith("{\"status\": \"ERROR\", \"error\": \"line 3: ") &&
                    refused.contains("the segment holding \\\"a\\\" has been locked"), refused);
                Files.createFile(release);
                assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, holder.exitValue());
            }
            finally
            {
                holder.destroyForcibly();
            }
            assertModel("a", run.handle(4, SELECT), "the new table: a up there, b down");
        }
    }

    /**
     * A {@code PATH.seq} made again beside a map that holds records (after an {@code rm}) starts its count of records
     * at nothing: it counted none of them. The listing must not call the map damaged for it, and once a process has
     * the table alone, the count is the map's again, and checked.
     */
    @Test
    void shouldNotCallAMapDamagedWhenItsSequenceFileWasMadeAgain() throws Exception
    {
        final Path path = dir.resolve("t.table");
        TableBytes.tableWithModelsDown(path, "a", "b");
        final Process other = Jvms.start(true, TableWorker.class, "cooldowns", path.toString(), "1", "1",
            dir.resolve("go").toString(), "c"); // has the map open, and writes once told to
        try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            assertEquals("ready", out.readLine());
            Files.delete(ChronicleAvailabilityMap.sequencePath(path));
            try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
            {
                assertEquals(List.of(), table.forEach((id, record) -> { }), "a new PATH.seq, while another " +
                    "process has the map open: its count says nothing of the map");
            }
            Files.createFile(dir.resolve("go")); // counted in the PATH.seq it opened, which is deleted
            assertTrue(out.readLine().startsWith("max c "));
            assertTrue(other.waitFor(60, TimeUnit.SECONDS));
        }
        finally
        {
            other.destroyForcibly();
        }
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertEquals(List.of(), table.forEach((id, record) -> { }), "alone: the count is the map's");
        }
        addToTheRecordCount(path, 1); // as if the index had lost one since
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            assertEquals(List.of("the map's index lists 3 entries, but 4 were put in: it has lost some, whose " +
                "models read as unknown (available)"), table.forEach((id, record) -> { }), "and checked");
        }
    }

    /**
     * The map deleted and made again beside the same {@code PATH.seq}, while a process still writes the old map: what
     * it inserts there is no record of the new map, and must not be counted as one.
     */
    @Test
    void shouldNotCountWhatAProcessInsertsIntoAMapDeletedUnderIt() throws Exception
    {
        final Path path = dir.resolve("t.table");
        final Process stale = Jvms.start(true, TableWorker.class, "cooldowns", path.toString(), "1", "1",
            dir.resolve("go").toString(), "theirs");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(stale.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            assertEquals("ready", out.readLine());
            Files.delete(path);
            try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
            {
                table.setDown("mine");
                Files.createFile(dir.resolve("go")); // the other process inserts into the deleted map
                assertTrue(out.readLine().startsWith("max theirs "));
                assertTrue(stale.waitFor(60, TimeUnit.SECONDS));
                assertEquals(List.of(), table.forEach((id, record) -> { }));
            }
        }
        finally
        {
            stale.destroyForcibly();
        }
    }

    @Test
    void shouldHaveTheProberWriteIntoTheTableNowAtThePath() throws Exception
    {
        final Path path = dir.resolve("t.table");
        final List<String> notes = new ArrayList<>();
        try (ScriptedServer server = new ScriptedServer();
            FollowedTable table = FollowedTable.open(path, true, notes::add))
        {
            server.always("/down", ScriptedServer.Answer.of(503));
            final ProbeConfig probes = new ProbeConfig(List.of(new ProbeTarget("probed", URI.create(server.url("/down")),
                "GET", Map.of(), 2_000)), 1_000, 1, 1);
            Files.delete(path);
            Files.delete(dir.resolve("t.table.seq"));
            assertTrue(setDownInAnotherProcess(path, "theirs").startsWith("ok "));
            waitForTheNextLook();
            try (Prober prober = new Prober(probes, table, ProbeListener.IGNORE))
            {
                assertEquals(ProbeVerdict.State.DOWN, prober.probeOnce().get(0).state());
            }
            assertEquals(1, notes.size(), notes.toString());
            final Process reader = Jvms.start(true, TableWorker.class, "read", path.toString(), "probed");
            try (BufferedReader out = new BufferedReader(new InputStreamReader(reader.getInputStream(),
                StandardCharsets.UTF_8)))
            {
                assertEquals("down", out.readLine(), "another process sees the probe's write: " + notes);
                assertTrue(reader.waitFor(60, TimeUnit.SECONDS));
            }
        }
    }

    /**
     * A run over the followed table (catalog a, b, c), with "a" marked down in it; then the table's map deleted, and
     * another process makes a new one with "b" down.
     */
    private static RunSession runWhileAnotherProcessMakesTheTableAgain(final FollowedTable table) throws Exception
    {
        final RunSession run = new RunSession(Selector.create(CatalogLoader.parse("c.yaml",
            "version: 1\ntiers: [{tier: 1, models: [a, b, c]}]\n", false).compile(), table), () -> 0L);
        assertTrue(run.handle(1, setDown("a")).startsWith("{\"status\": \"OK\""));
        assertModel("b", run.handle(2, SELECT));

        Files.delete(table.path());
        assertEquals("ok 2", setDownInAnotherProcess(table.path(), "b"));
        return run;
    }

    private static void assertModel(final String model, final String answer)
    {
        assertModel(model, answer, "");
    }

    private static void assertModel(final String model, final String answer, final String what)
    {
        assertTrue(answer.startsWith("{\"status\": \"OK\", \"model\": \"" + model + "\""), what + ": " + answer);
    }
    private static String setDown(final String model)
    {
        return "{\"op\": \"set_down\", \"model\": \"" + model + "\"}";
    }

    /** @return what the other process printed: {@code ok SEQUENCE}. */
    private static String setDownInAnotherProcess(final Path path, final String model) throws Exception
    {
        final Process worker = Jvms.start(true, TableWorker.class, "set-down", path.toString(), model);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            final String line = out.readLine();
            assertTrue(worker.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, worker.exitValue(), String.valueOf(line));
            return line;
        }
        finally
        {
            worker.destroyForcibly();
        }
    }

    /** Adds to PATH.seq's count of records inserted, as damage to the map's index would leave it short. */
    static void addToTheRecordCount(final Path path, final long records) throws IOException
    {
        final Path sequence = ChronicleAvailabilityMap.sequencePath(path);
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(sequence)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(SharedTableDescriptor.RECORDS_INSERTED_OFFSET,
            bytes.getLong(SharedTableDescriptor.RECORDS_INSERTED_OFFSET) + records);
        Files.write(sequence, bytes.array());
    }
}
