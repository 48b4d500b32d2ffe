package dev.modelsel.engine.jvm;

import org.agrona.UnsafeApi;

import java.lang.reflect.Field;

/**
 * Java 24 and later print four {@code WARNING:} lines the first time any code calls a memory-access method of
 * {@code sun.misc.Unsafe}, which chronicle-core does throughout. A program silences them with
 * {@code -Dsun.misc.unsafe.memory.access=allow} (the setting the JDK's {@code --sun-misc-unsafe-memory-access}
 * option makes), which is in the project's flag list; but {@code java -jar} takes no {@code -D} setting from a
 * manifest. So the command, and only the command, tells the JDK the warning has been given, as it records after
 * printing it, unless the user chose a mode of their own on the command line.
 * <p>
 * Library users are told of the setting in the README: their JVM, their choice. Thread-safe; idempotent.
 */
public final class UnsafeWarning
{
    /** The JDK's mode for sun.misc.Unsafe's memory access: allow, warn, debug or deny; read as the JVM starts. */
    public static final String MODE_PROPERTY = "sun.misc.unsafe.memory.access";

    private UnsafeWarning()
    {
    }

    /** Marks the warning given, on a JDK that has it, unless {@code sun.misc.unsafe.memory.access} was set. */
    public static void acknowledgeForTheCommand()
    {
        if (System.getProperty(MODE_PROPERTY) != null)
        {
            return; // the user's own mode (warn, debug, deny or allow) stands
        }
        if (!Object.class.getModule().isExported("jdk.internal.misc", UnsafeWarning.class.getModule()))
        {
            return; // started without the jar's manifest and flags: the flag check will name what is missing
        }
        final Field warned;
        try
        {
            warned = Class.forName("sun.misc.Unsafe").getDeclaredField("memoryAccessWarned");
        }
        catch (final ClassNotFoundException | NoSuchFieldException ex)
        {
            return; // Java 23 or earlier: no such warning
        }
        UnsafeApi.putBooleanVolatile(UnsafeApi.staticFieldBase(warned), UnsafeApi.staticFieldOffset(warned), true);
    }
}
