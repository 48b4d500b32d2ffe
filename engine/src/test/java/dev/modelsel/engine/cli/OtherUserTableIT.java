package dev.modelsel.engine.cli;

import dev.modelsel.engine.cli.ModelselJar.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.modelsel.engine.cli.ModelselJar.modelsel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A table that another user owns and this one may only read: {@code availability show} is refused in one line
 * naming the file, its owner and why write permission is needed, and the table is left as it was. Needs root, to
 * make the table as one user and show it as {@code nobody} through {@code runuser}; skipped otherwise.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OtherUserTableIT
{
    private static final Path RUNUSER = Stream.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser")
        .map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);

    @TempDir
    Path dir;

    @Test
    void shouldRefuseShowingATableItCannotWriteInOneLineNamingTheOwner() throws Exception
    {
        assumeTrue("root".equals(System.getProperty("user.name")), "SKIPPED: needs root, to run as another user");
        assumeTrue(RUNUSER != null, "SKIPPED: no runuser, to run as another user");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path up = dir.getParent(); up != null; up = up.getParent())
        {
            assumeTrue(Files.getPosixFilePermissions(up).contains(PosixFilePermission.OTHERS_EXECUTE),
                "SKIPPED: " + up + " cannot be passed by another user");
        }
        final Path jar = Files.copy(ModelselJar.JAR, dir.resolve("modelsel.jar")); // readable wherever target/ is not
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        final Path table = dir.resolve("t.table");
        final Result made = modelsel(null, "availability", "set-down", "gpt-4o", "--table", table.toString());
        assertEquals(0, made.exitCode(), made.err());
        final Path sequence = dir.resolve("t.table.seq");
        for (final Path file : List.of(table, sequence))
        {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }

        final File out = dir.resolve("out.txt").toFile();
        final File err = dir.resolve("err.txt").toFile();
        final Process nobody = new ProcessBuilder(RUNUSER.toString(), "-u", "nobody", "--", ModelselJar.java(), "-jar",
            jar.toString(), "availability", "show", "--table", table.toString())
            .redirectOutput(out).redirectError(err).start();
        assertTrue(nobody.waitFor(120, TimeUnit.SECONDS), "finished");
        final String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
        assertEquals(1, nobody.exitValue(), stderr);
        assertEquals("", Files.readString(out.toPath(), StandardCharsets.UTF_8));
        assertEquals("modelsel: " + table + ": owned by root, mode rw-r--r--, not writable by nobody; every use of the " +
            "table, even availability show, needs write permission on both of its files (Chronicle Map takes its " +
            "locks by writing into them): run as the user whose processes share it\n", stderr);

        final Result owner = modelsel(null, "availability", "show", "--table", table.toString());
        assertEquals(0, owner.exitCode(), owner.err());
        assertTrue(owner.out().contains("gpt-4o") && owner.out().contains("down"), "its owner still shows it: " +
            owner.out());
    }
}
