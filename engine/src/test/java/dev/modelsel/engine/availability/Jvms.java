package dev.modelsel.engine.availability;

import dev.modelsel.engine.jvm.JvmFlags;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts real separate JVMs on this test run's class path, with or without the project's JVM flags. */
public final class Jvms
{
    private Jvms()
    {
    }

    public static Process start(final boolean withFlags, final Class<?> main, final String... args) throws IOException
    {
        return start(withFlags, List.of(), main, args);
    }

    /** @param jvmArgs more options for the JVM, after the flags (system properties, heap, collector). */
    public static Process start(final boolean withFlags, final List<String> jvmArgs, final Class<?> main, final String... args)
        throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (withFlags)
        {
            command.addAll(JvmFlags.all());
        }
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
