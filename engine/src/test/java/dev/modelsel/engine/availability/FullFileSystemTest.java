package dev.modelsel.engine.availability;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A table on a small file system of its own (a 20 MiB tmpfs this test mounts, as root, for a map of 16.7 MiB; skipped
 * with a message elsewhere): one created before the file system fills keeps taking writes, since its creator
 * allocated every page; one that cannot be created fails with an IOException and leaves no half-made map behind.
 */
class FullFileSystemTest
{
    @TempDir
    Path dir;

    private Path mount;
    private boolean mounted;

    @BeforeEach
    void mountASmallFileSystem() throws Exception
    {
        mount = Files.createDirectory(dir.resolve("small"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", mount.toString()) == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (not root?): skipped");
    }

    @AfterEach
    void unmount() throws Exception
    {
        if (mounted)
        {
            run("umount", "-l", mount.toString()); // lazily: this JVM's mappings of the files go when collected
        }
    }

    @Test
    void shouldKeepWritingToATableWhoseFileSystemIsFull() throws IOException
    {
        final Path table = mount.resolve("availability.table");
        try (SharedAvailabilityTable shared = SharedAvailabilityTable.open(table))
        {
            shared.setDown("first");
        }
        fill(mount.resolve("filler"));
        try (SharedAvailabilityTable shared = SharedAvailabilityTable.open(table))
        {
            for (int i = 0; i < 2_000; i++)
            {
                shared.setDown("model-" + i);
            }
            final AvailabilityRecord record = new AvailabilityRecord();
            assertTrue(shared.read("model-1999", record) && record.down());
        }
    }

    @Test
    void shouldRefuseToCreateATableWithoutRoomAndLeaveNoMap() throws IOException
    {
        final Path filler = mount.resolve("filler");
        fill(filler);
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.WRITE))
        {
            channel.truncate(channel.size() - (64 << 10)); // room for the 4 KiB sequence file, not for the map
        }
        final Path table = mount.resolve("availability.table");
        final IOException refused = assertThrows(IOException.class, () -> SharedAvailabilityTable.open(table));
        assertTrue(refused.getMessage().contains(table.toString()), refused.getMessage());
        assertFalse(Files.exists(table), "no half-made map");
    }

    /** Writes until the file system is full. */
    private static void fill(final Path filler)
    {
        final byte[] chunk = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler))
        {
            while (true)
            {
                out.write(chunk);
            }
        }
        catch (final IOException full)
        {
            // no space left: as wanted
        }
    }

    private static int run(final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }
}
