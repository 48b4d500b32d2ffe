package dev.modelsel.engine.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether file descriptor 0 is still the standard input that {@code run} was given.
 * <p>
 * A shell that starts the command with stdin closed ({@code run <&-}) leaves descriptor 0 free, and the first file
 * the JVM then opens for itself takes it: on Linux that is the JDK's {@code lib/modules}, which {@code run} would read
 * as hundreds of thousands of garbage requests. Such a descriptor cannot be told from a redirected file by its flags
 * or offset (both are a plain read-only open at 0), so the check is by what it points at: a file under
 * {@code java.home}, on the class path, or mapped by this process (a library, a class-data archive, a table) is never
 * a user's requests. Where {@code /proc/self/fd} is absent the descriptor cannot be inspected and is trusted.
 * <p>
 * Stateless.
 */
final class StdinCheck
{
    private static final Path FD = Path.of("/proc/self/fd");
    private static final Path STDIN = FD.resolve("0");

    private StdinCheck()
    {
    }

    /** @return why descriptor 0 is not requests to read, or {@code null} when it may be. */
    static String refusal()
    {
        if (!Files.isDirectory(FD))
        {
            return null;
        }
        if (!Files.exists(STDIN, LinkOption.NOFOLLOW_LINKS))
        {
            return "stdin is closed; run reads its requests from stdin: give it a pipe or a file (run < requests.jsonl)";
        }
        try
        {
            if (!Files.isRegularFile(STDIN))
            {
                return null; // a pipe, a terminal, a socket, /dev/null: the caller's
            }
            final Path target = Files.readSymbolicLink(STDIN);
            if (isTheJvms(target))
            {
                return "stdin is " + target + ", a file of this JVM's own (the JDK, the class path or a mapped " +
                    "file), not requests: was it closed when the command started (<&-)? run reads its requests from " +
                    "stdin: give it a pipe or a file (run < requests.jsonl)";
            }
            return null;
        }
        catch (final IOException ex)
        {
            return null; // cannot tell: trusted, as where there is no /proc
        }
    }

    private static boolean isTheJvms(final Path target) throws IOException
    {
        final Path javaHome = Path.of(System.getProperty("java.home")).toRealPath();
        if (target.startsWith(javaHome))
        {
            return true;
        }
        final Set<Path> own = new HashSet<>();
        for (final String entry : System.getProperty("java.class.path", "").split(File.pathSeparator))
        {
            if (!entry.isEmpty() && Files.exists(Path.of(entry)))
            {
                own.add(Path.of(entry).toRealPath());
            }
        }
        for (final String line : Files.readAllLines(Path.of("/proc/self/maps")))
        {
            final int slash = line.indexOf('/');
            if (slash >= 0)
            {
                own.add(Path.of(line.substring(slash)));
            }
        }
        return own.contains(target);
    }
}
