package dev.modelsel.engine.availability;

import dev.modelsel.engine.jvm.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preload's scratch map leaves nothing in the temp directory: not when it finishes, not when the process exits
 * half-way through it, and what a killed process left is swept by the next preload once that process is dead.
 */
class PreloadTest
{
    @TempDir
    Path temp;

    @Test
    void shouldLeaveNothingWhenDoneOrWhenTheProcessExitsFirst() throws Exception
    {
        run("wait");
        assertEquals(List.of(), contents(), "after a preload that finished");
        run("exit");
        assertEquals(List.of(), contents(), "after a process that exited during its preload");
    }

    @Test
    void shouldSweepWhatADeadProcessLeft() throws Exception
    {
        final Process dead = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-version").start();
        dead.waitFor(60, TimeUnit.SECONDS);
        final Path leftover = Files.createDirectory(temp.resolve("modelsel-preload-" + dead.pid() + "-123"));
        Files.writeString(leftover.resolve("scratch.table"), "a killed preload's map");
        final Path alive = Files.createDirectory(temp.resolve("modelsel-preload-" + ProcessHandle.current().pid() + "-456"));
        final Path victim = Files.createDirectory(temp.resolve("victim"));
        Files.writeString(victim.resolve("keep"), "not the preload's");
        final Path link = Files.createSymbolicLink(temp.resolve("modelsel-preload-" + dead.pid() + "-789"), victim);

        run("wait");

        assertEquals(Stream.of(alive.getFileName().toString(), link.getFileName().toString(), "victim").sorted().toList(),
            contents(),
            "a live process's scratch stays, and a link named like a dead one's is not followed, nor removed");
        assertTrue(Files.exists(victim.resolve("keep")));
    }

    @Test
    void shouldFindWhatTheBuildRecordedForIt() throws Exception
    {
        try (var scratch = ChroniclePreload.class.getResourceAsStream("preload-scratch.table");
            var classes = ChroniclePreload.class.getResourceAsStream("preload-classes.txt"))
        {
            assertTrue(scratch != null && scratch.readAllBytes().length > 0, "the build's scratch map");
            assertTrue(classes != null, "the build's class list");
            final List<String> names = List.of(new String(classes.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
            assertTrue(names.size() > 100 && names.contains("net.openhft.chronicle.map.ChronicleMapBuilder"), names.toString());
            for (final String name : names)
            {
                Class.forName(name, false, ChroniclePreload.class.getClassLoader()); // each one there to load
            }
        }
    }

    private void run(final String mode) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.all());
        command.addAll(List.of("-Djava.io.tmpdir=" + temp, "-cp", System.getProperty("java.class.path"),
            PreloadWorker.class.getName(), mode));
        final Process child = new ProcessBuilder(command).inheritIO().start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue());
    }

    private List<String> contents() throws IOException
    {
        try (Stream<Path> files = Files.list(temp))
        {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
