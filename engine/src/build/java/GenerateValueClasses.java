import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step (engine's generate-sources phase): writes the flyweight classes that chronicle-values would otherwise
 * generate and compile with javac the first time a process opens a Chronicle Map. Chronicle Map's own
 * {@code VanillaGlobalMutableState} is such a value interface; compiling its {@code $$Native} class at run time
 * cost about 0.6 s of every process's first open, and loaded over a thousand javac classes. chronicle-values looks
 * for the class on the class path before compiling one, so the class compiled here, from the source its own
 * generator writes, is the one every process loads.
 * <p>
 * Usage: {@code java GenerateValueClasses.java OUTPUT_DIR VALUE_INTERFACE...}, with Chronicle on the class path.
 */
public final class GenerateValueClasses
{
    public static void main(final String[] args) throws Exception
    {
        final Path output = Path.of(args[0]);
        final Class<?> valueModel = Class.forName("net.openhft.chronicle.values.ValueModel");
        final Method acquire = valueModel.getMethod("acquire", Class.class);
        // The generator chronicle-values itself runs before compiling: package-private, hence reflection.
        final Method generate = Class.forName("net.openhft.chronicle.values.Generators")
            .getDeclaredMethod("generateNativeClass", valueModel, String.class);
        generate.setAccessible(true);
        for (int i = 1; i < args.length; i++)
        {
            final Class<?> valueType = Class.forName(args[i]);
            final String simpleName = valueType.getSimpleName() + "$$Native";
            final String source = (String)generate.invoke(null, acquire.invoke(null, valueType), simpleName);
            write(output.resolve(valueType.getPackageName().replace('.', '/')).resolve(simpleName + ".java"), source);
        }
    }

    private static void write(final Path file, final String source) throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "// Generated at build time by engine/src/build/java/GenerateValueClasses.java; " +
            "do not edit.\n" + source, StandardCharsets.UTF_8);
        System.out.println("[modelsel] generated " + file);
    }
}
