package dev.modelsel.engine.cli;

import dev.modelsel.engine.cli.ModelselJar.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.modelsel.engine.cli.ModelselJar.modelselOnJvm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's {@code select} starts fast: without picocli and without YAML (the classes it loads say so whatever
 * the machine's load), and within a few times a bare JVM's start, measured in the same run, interleaved.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ColdStartIT
{
    private static final String[] README_SELECT = {"select", "--complexity", "high", "--tokens", "145000"};
    /** About 40 today; 420 when every command's model and the YAML parser were loaded for each select. */
    private static final int MAX_CLASSES_FROM_THE_JAR = 100;
    private static final int RUNS = 7;
    /** About 3.5 today (0.11 s against 0.03 s on the 2-core development VM); 15 to 20 before. */
    private static final double MAX_RATIO_TO_A_BARE_JVM = 8;

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

    @Test
    void shouldStartWithinAFewTimesABareJvm() throws Exception
    {
        final List<String> select = new ArrayList<>(List.of(ModelselJar.java(), "-jar", ModelselJar.JAR.toString()));
        select.addAll(List.of(README_SELECT));
        final List<String> bare = List.of(ModelselJar.java(), "-version");
        wallNs(select); // the first of each reads the files from disk
        wallNs(bare);
        final long[] selectNs = new long[RUNS];
        final long[] bareNs = new long[RUNS];
        final double[] ratios = new double[RUNS];
        for (int i = 0; i < RUNS; i++)
        {
            selectNs[i] = wallNs(select);
            bareNs[i] = wallNs(bare);
            ratios[i] = (double)selectNs[i] / bareNs[i];
        }
        Arrays.sort(selectNs);
        Arrays.sort(bareNs);
        Arrays.sort(ratios);
        final String report = String.format("select median %.0f ms, bare JVM (java -version) median %.0f ms, median " +
            "ratio %.2f (of %d interleaved pairs)", selectNs[RUNS / 2] / 1e6, bareNs[RUNS / 2] / 1e6, ratios[RUNS / 2], RUNS);
        System.out.println("ColdStartIT: " + report);
        assertTrue(ratios[RUNS / 2] <= MAX_RATIO_TO_A_BARE_JVM, report);
    }

    private static String[] withExplain()
    {
        final String[] args = Arrays.copyOf(README_SELECT, README_SELECT.length + 1);
        args[README_SELECT.length] = "--explain";
        return args;
    }

    private static long wallNs(final List<String> command) throws Exception
    {
        final long start = System.nanoTime();
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command + " did not finish");
        final long wallNs = System.nanoTime() - start;
        assertEquals(0, process.exitValue(), command.toString());
        return wallNs;
    }
}
