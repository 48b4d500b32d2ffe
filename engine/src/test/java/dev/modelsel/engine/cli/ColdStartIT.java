package dev.modelsel.engine.cli;

import dev.modelsel.engine.cli.ModelselJar.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.modelsel.engine.cli.ModelselJar.modelselOnJvm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's {@code select} starts fast: without picocli and without YAML, as the classes it loads say whatever
 * the machine's load. Its time is measured, not asserted here (docs/performance.md, "CLI cold start").
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ColdStartIT
{
    private static final String[] README_SELECT = {"select", "--complexity", "high", "--tokens", "145000"};
    /** About 40 today; 420 when every command's model and the YAML parser were loaded for each select. */
    private static final int MAX_CLASSES_FROM_THE_JAR = 100;

    @TempDir
    Path dir;

    @Test
    void shouldSelectWithoutPicocliOrYaml() throws Exception
    {
        for (final String[] args : List.of(README_SELECT, withExplain()))
        {
            final Path log = dir.resolve("classes-" + args.length + ".log");
            final Result result = modelselOnJvm(List.of("-Xlog:class+load:file=" + log), null, args);
            assertEquals(0, result.exitCode(), result.err());
            assertTrue(result.out().contains("claude-3-sonnet-20240229"), result.out());
            final List<String> loaded = Files.readAllLines(log);
            final String what = String.join(" ", args);
            assertTrue(loaded.stream().noneMatch(line -> line.contains(" picocli.CommandLine ") ||
                line.contains(" picocli.CommandLine$Interpreter ")), what + " loaded picocli's parser");
            assertTrue(loaded.stream().noneMatch(line -> line.contains(" org.yaml.snakeyaml.") ||
                line.contains(" com.fasterxml.jackson.")), what + " parsed YAML");
            final long fromJar = loaded.stream().filter(line -> line.contains("modelsel.jar")).count();
            assertTrue(fromJar <= MAX_CLASSES_FROM_THE_JAR, what + " loaded " + fromJar + " classes from the jar");
        }
    }

    private static String[] withExplain()
    {
        final String[] args = Arrays.copyOf(README_SELECT, README_SELECT.length + 1);
        args[README_SELECT.length] = "--explain";
        return args;
    }
}
