import java.io.File;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Build step (engine's process-classes phase): records, into the engine's classes, what {@code ChroniclePreload}
 * needs to make a process's first open of the table cheap.
 * <ul>
 *   <li>{@code scratch DIR}: {@code preload-scratch.table}, a small map made with the table's own builder, so that a
 *       preload opens an existing map (the common case's code) instead of creating one, whose header writing is a
 *       fifth of the work and only the host's first process needs;</li>
 *   <li>{@code classes LOG DIR}, in a JVM started with {@code -Xlog:class+load:file=LOG}: runs the preload once and
 *       writes {@code preload-classes.txt}, the classes it loaded from the class path, sorted, which a second
 *       thread loads (without initialising them) while a preload initialises them.</li>
 * </ul>
 * With the engine's classes and Chronicle on the class path, and the JVM flags.
 */
public final class RecordPreload
{
    private static final String PACKAGE = "dev.modelsel.engine.availability";
    /** A class from the class path (a jar or a directory), not the JDK's, nor this script's own source. */
    private static final Pattern LOADED = Pattern.compile("\\] (\\S+) source: (?:file|jar):(?!.*\\.java$)");

    public static void main(final String[] args) throws Exception
    {
        if (args[0].equals("scratch"))
        {
            writeScratchMap(Path.of(args[1]).resolve("preload-scratch.table"));
        }
        else
        {
            writeClassList(Path.of(args[1]), Path.of(args[2]).resolve("preload-classes.txt"));
        }
    }

    private static void writeScratchMap(final Path scratch) throws Exception
    {
        Files.createDirectories(scratch.getParent());
        Files.deleteIfExists(scratch);
        final Method builder = Class.forName(PACKAGE + ".ChronicleAvailabilityMap").getDeclaredMethod("builder");
        builder.setAccessible(true);
        final Object small = builder.getReturnType().getMethod("entries", long.class).invoke(builder.invoke(null), 16L);
        try (AutoCloseable created = (AutoCloseable)small.getClass().getMethod("createPersistedTo", File.class)
            .invoke(small, scratch.toFile()))
        {
            System.out.println("[modelsel] recorded a scratch map for the preload: " + scratch);
        }
    }

    private static void writeClassList(final Path log, final Path list) throws Exception
    {
        final Method preload = Class.forName(PACKAGE + ".ChroniclePreload").getDeclaredMethod("loadClasses");
        preload.setAccessible(true);
        preload.invoke(null);
        final Set<String> classes = new LinkedHashSet<>();
        for (final String line : Files.readAllLines(log, StandardCharsets.UTF_8))
        {
            final Matcher loaded = LOADED.matcher(line);
            if (loaded.find() && !loaded.group(1).contains("$$Lambda"))
            {
                classes.add(loaded.group(1));
            }
        }
        Files.write(list, classes.stream().sorted().toList(), StandardCharsets.UTF_8); // sorted: the same every build
        System.out.println("[modelsel] recorded the " + classes.size() + " classes a preload loads: " + list);
    }
}
