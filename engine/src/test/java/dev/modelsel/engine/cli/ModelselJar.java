package dev.modelsel.engine.cli;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged command, run as a user runs it: {@code java -jar target/modelsel.jar ARGS}, in its own JVM. */
final class ModelselJar
{
    static final Path JAR = Path.of("target", "modelsel.jar");

    record Result(int exitCode, String out, String err)
    {
    }

    private ModelselJar()
    {
    }

    /** Starts the command; the caller owns its streams. */
    static Process start(final String... args) throws IOException
    {
        return startWith(Map.of(), args);
    }

    /** Starts the command with these variables added to its environment. */
    static Process startWith(final Map<String, String> environment, final String... args) throws IOException
    {
        final ProcessBuilder command = command(args);
        command.environment().putAll(environment);
        return command.start();
    }

    /** Starts the command with these options for the JVM, before {@code -jar}, its standard error to a file. */
    static Process startOnJvm(final List<String> jvmOptions, final File stderr, final String... args) throws IOException
    {
        return command(jvmOptions, args).redirectError(stderr).start();
    }

    /**
     * The command with these options for the JVM, before {@code -jar}, not started: for a caller that streams more
     * input than a string holds.
     */
    static ProcessBuilder commandOnJvm(final List<String> jvmOptions, final String... args)
    {
        return command(jvmOptions, args);
    }

    /**
     * Runs the command to its end with {@code input} (or nothing) on standard input. Standard error goes to a file
     * while standard output is read, so that neither can fill its pipe and stall the command.
     */
    static Result modelsel(final String input, final String... args) throws Exception
    {
        return modelselWith(Map.of(), input, args);
    }

    /** As {@link #modelsel}, with these variables added to the command's environment. */
    static Result modelselWith(final Map<String, String> environment, final String input, final String... args)
        throws Exception
    {
        return run(environment, List.of(), input, args);
    }

    /** As {@link #modelsel}, with these options for the JVM, before {@code -jar}. */
    static Result modelselOnJvm(final List<String> jvmOptions, final String input, final String... args)
        throws Exception
    {
        return run(Map.of(), jvmOptions, input, args);
    }

    private static Result run(
        final Map<String, String> environment, final List<String> jvmOptions, final String input, final String... args)
        throws Exception
    {
        final File err = File.createTempFile("modelsel-stderr", ".txt");
        try
        {
            final ProcessBuilder command = command(jvmOptions, args).redirectError(err);
            command.environment().putAll(environment);
            final Process process = command.start();
            try (OutputStream in = process.getOutputStream())
            {
                if (input != null)
                {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            final byte[] out = process.getInputStream().readAllBytes();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "modelsel " + String.join(" ", args) + " did not finish");
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
        }
        finally
        {
            Files.deleteIfExists(err.toPath());
        }
    }

    private static ProcessBuilder command(final String... args)
    {
        return command(List.of(), args);
    }

    private static ProcessBuilder command(final List<String> jvmOptions, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** The command line that runs the command: for a caller that runs it elsewhere (in a network namespace). */
    static List<String> commandLine(final String... args)
    {
        final List<String> line = new ArrayList<>(List.of(java(), "-jar", JAR.toAbsolutePath().toString()));
        line.addAll(List.of(args));
        return line;
    }

    /** The {@code java} launcher of the JVM running the tests. */
    static String java()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
