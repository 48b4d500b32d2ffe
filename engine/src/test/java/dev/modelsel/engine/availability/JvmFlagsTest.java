package dev.modelsel.engine.availability;

import dev.modelsel.engine.jvm.JvmFlags;
import dev.modelsel.engine.jvm.MissingJvmFlagsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's list of JVM flags for library users is exactly what the code needs: the parent POM's list less what
 * the library sets itself, each flag once; with exactly those a child JVM does everything off-heap and prints
 * nothing on stderr; without any one of them it fails or warns. Run on Java 17 and on Java 25 by .ci/run.
 */
class JvmFlagsTest
{
    /** Set by the library itself before Chronicle loads, so a user need not pass it. */
    private static final String SET_BY_THE_LIBRARY = "-Dchronicle.analytics.disable=true";
    /** Java 24 added the warning this setting silences; earlier JDKs ignore it. */
    private static final String UNSAFE_ALLOWED = "-Dsun.misc.unsafe.memory.access=allow";
    private static final String UNSAFE_MODE = "sun.misc.unsafe.memory.access";

    static List<String> readmeFlags() throws IOException
    {
        final String readme = Files.readString(Path.of("..", "README.md"));
        final String marker = "<!-- jvm-flags: JvmFlagsTest checks this list -->\n```text\n";
        final int start = readme.indexOf(marker);
        assertTrue(start >= 0, "the README marks its flag list");
        final String block = readme.substring(start + marker.length(), readme.indexOf("```", start + marker.length()));
        return Arrays.asList(block.trim().split("\\s+"));
    }

    @Test
    void shouldListEachFlagTheLibraryCannotSetItselfOnce() throws IOException
    {
        final List<String> readme = readmeFlags();
        assertEquals(readme.size(), new HashSet<>(readme).size(), "each flag once: " + readme);
        final List<String> expected = new ArrayList<>(JvmFlags.all());
        expected.remove(SET_BY_THE_LIBRARY);
        assertEquals(expected, readme, "the README lists the parent POM's flags but " + SET_BY_THE_LIBRARY);
    }

    @Test
    void shouldWorkQuietlyWithExactlyTheReadmesFlags(@TempDir final Path dir) throws Exception
    {
        final Result result = runWorkload(dir, readmeFlags());
        assertEquals(0, result.exitCode, result.stderr);
        assertEquals("", result.stderr, "nothing on stderr on Java " + Runtime.version().feature());
    }

    @ParameterizedTest
    @MethodSource("readmeFlags")
    void shouldFailOrWarnWithoutEachFlag(final String flag, @TempDir final Path dir) throws Exception
    {
        assumeTrue(!flag.equals(UNSAFE_ALLOWED) || Runtime.version().feature() >= 24,
            "Java " + Runtime.version().feature() + " has no sun.misc.Unsafe warning to silence");
        final List<String> without = new ArrayList<>(readmeFlags());
        without.remove(flag);
        final Result result = runWorkload(dir, without);
        assertTrue(result.exitCode != 0 || !result.stderr.isEmpty(),
            "without " + flag + " the workload still ran cleanly: the flag is not needed");
    }

    @Test
    void shouldNeitherRequireTheUnsafeSettingNorOverrideAUsersMode()
    {
        withUnsafeMode("warn", () ->
        {
            assertEquals(List.of(), JvmFlags.missing(), "a mode of the user's own is no missing flag");
            JvmFlags.applySystemProperties();
            assertEquals("warn", System.getProperty(UNSAFE_MODE));
        });
    }

    @Test
    void shouldRefuseInOneLineWhenTheUserDeniesUnsafe()
    {
        withUnsafeMode("deny", () ->
        {
            final MissingJvmFlagsException refused = assertThrows(MissingJvmFlagsException.class,
                () -> JvmFlags.require("the shared availability table"));
            assertTrue(refused.getMessage().contains("instead of deny"), refused.getMessage());
        });
    }

    /** Runs {@code check} with this JVM's Unsafe mode property set to {@code mode}, then puts it back. */
    private static void withUnsafeMode(final String mode, final Runnable check)
    {
        final String before = System.getProperty(UNSAFE_MODE);
        try
        {
            System.setProperty(UNSAFE_MODE, mode);
            check.run();
        }
        finally
        {
            if (before == null)
            {
                System.clearProperty(UNSAFE_MODE);
            }
            else
            {
                System.setProperty(UNSAFE_MODE, before);
            }
        }
    }

    @Test
    void shouldOpenTheCountersWithAgronasFlagAlone(@TempDir final Path dir) throws Exception
    {
        final Result result = runWorkload(dir, List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"),
            "counters-only");
        assertEquals(0, result.exitCode, result.stderr);
    }

    private record Result(int exitCode, String stderr)
    {
    }

    private static Result runWorkload(final Path dir, final List<String> flags, final String... mode) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TableWorkload.class.getName(),
            dir.toString()));
        command.addAll(List.of(mode));
        final Path err = dir.resolve("stderr.txt");
        final Process child = new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile())
            .start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the workload finished");
        return new Result(child.exitValue(), Files.readString(err));
    }
}
