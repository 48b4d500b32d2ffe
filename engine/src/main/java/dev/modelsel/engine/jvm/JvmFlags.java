package dev.modelsel.engine.jvm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JVM flags Chronicle Map and Agrona need on Java 17 to 25, as the parent POM's {@code modelsel.jvmFlags} lists
 * them (copied into this jar at build time), and the check that names the ones this JVM lacks, so that a user sees
 * one clear message rather than a Chronicle stack trace from a static initialiser.
 * <p>
 * Stateless and thread-safe.
 */
public final class JvmFlags
{
    private static final String RESOURCE = "/dev/modelsel/engine/jvm-flags.txt";
    private static final String ADD_OPENS = "--add-opens=";
    private static final String ADD_EXPORTS = "--add-exports=";
    /**
     * A setting the JDK reads only as it starts (Java 24+'s mode for sun.misc.Unsafe, which the user may also choose
     * otherwise): recommended in the list, never set at run time, where it would do nothing, and never required.
     */
    private static final String STARTUP_ONLY = "-D" + UnsafeWarning.MODE_PROPERTY + "=";

    private JvmFlags()
    {
    }

    /** Every flag, in the parent POM's order. */
    public static List<String> all()
    {
        try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("the jar lacks " + RESOURCE);
            }
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+"));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The opens and exports this JVM lacks for unnamed-module code such as modelsel's, and {@code -D} settings that
     * are not set.
     */
    public static List<String> missing()
    {
        final Module self = JvmFlags.class.getModule();
        final List<String> missing = new ArrayList<>();
        for (final String flag : all())
        {
            if (flag.startsWith(ADD_OPENS) || flag.startsWith(ADD_EXPORTS))
            {
                final boolean opens = flag.startsWith(ADD_OPENS);
                final String target = flag.substring((opens ? ADD_OPENS : ADD_EXPORTS).length(), flag.lastIndexOf('='));
                final String moduleName = target.substring(0, target.indexOf('/'));
                final String packageName = target.substring(target.indexOf('/') + 1);
                final Optional<Module> module = ModuleLayer.boot().findModule(moduleName);
                final boolean granted = module.isPresent() &&
                    (opens ? module.get().isOpen(packageName, self) : module.get().isExported(packageName, self));
                if (!granted)
                {
                    missing.add(flag);
                }
            }
            else if (flag.startsWith("-D") && !flag.startsWith(STARTUP_ONLY))
            {
                final String setting = flag.substring(2);
                final int equals = setting.indexOf('=');
                final String key = equals < 0 ? setting : setting.substring(0, equals);
                final String value = equals < 0 ? "" : setting.substring(equals + 1);
                if (!value.equals(System.getProperty(key)))
                {
                    missing.add(flag);
                }
            }
        }
        return missing;
    }

    /** Sets each {@code -D} flag of the list this JVM was not started with; one it was started with stays. */
    public static void applySystemProperties()
    {
        for (final String flag : all())
        {
            if (flag.startsWith("-D") && flag.contains("=") && !flag.startsWith(STARTUP_ONLY))
            {
                final String setting = flag.substring(2);
                System.getProperties().putIfAbsent(setting.substring(0, setting.indexOf('=')),
                    setting.substring(setting.indexOf('=') + 1));
            }
        }
    }

    /**
     * Sets the {@code -D} flags this JVM was not started with (a system property set before Chronicle's classes
     * load is as good as one on the command line), then checks the rest: what Chronicle Map and Agrona need.
     *
     * @param what what needs them, for the message ("the shared availability table").
     * @throws MissingJvmFlagsException naming every flag still missing.
     */
    public static void require(final String what)
    {
        applySystemProperties();
        final List<String> missing = missing();
        if (ModuleLayer.boot().findModule("jdk.compiler").isEmpty())
        {
            // chronicle-values sets up javac when it models a value type, even one whose class the build generated
            missing.add("(the jdk.compiler module: a full JDK, or a runtime image with it, as Chronicle Map loads javac)");
        }
        if ("deny".equals(System.getProperty(UnsafeWarning.MODE_PROPERTY)))
        {
            missing.add(STARTUP_ONLY + "allow (or warn) instead of deny: Chronicle Map uses sun.misc.Unsafe");
        }
        throwIfAny(what, missing);
    }

    /**
     * As {@link #require}, for code that maps files with Agrona alone (the shared counters): only the export of
     * {@code java.base/jdk.internal.misc}, which Agrona's {@code UnsafeApi} needs.
     */
    public static void requireForAgrona(final String what)
    {
        applySystemProperties();
        throwIfAny(what, missing().stream().filter(flag -> flag.contains("/jdk.internal.misc=")).toList());
    }

    private static void throwIfAny(final String what, final List<String> missing)
    {
        if (!missing.isEmpty())
        {
            throw new MissingJvmFlagsException(what + " needs these JVM flags, missing here: " + String.join(" ", missing) +
                " (java -jar modelsel.jar has them in its manifest; add them to the java command line of a program " +
                "that uses the library)");
        }
    }
}
