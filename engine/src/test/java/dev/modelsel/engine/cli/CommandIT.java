package dev.modelsel.engine.cli;

import dev.modelsel.engine.reference.ReferenceProtocol;
import dev.modelsel.engine.cli.ModelselJar.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.modelsel.engine.cli.ModelselJar.modelsel;
import static dev.modelsel.engine.cli.ModelselJar.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged command, {@code target/modelsel.jar}, run as a user runs it: {@code java -jar} with no flags.
 * Runs in {@code verify}, after the jar is built.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CommandIT
{
    private static final Path VECTORS = Path.of("src", "test", "resources", "vectors");
    private static final List<String> KEYS = List.of("status", "model", "tier", "initial_tier", "fallback", "retry_at_ms");

    @TempDir
    Path dir;


    @Test
    void shouldExplainTheDefaultCatalogsChoice() throws Exception
    {
        final Result result = modelsel(null, "select", "--complexity", "high", "--tokens", "145000", "--explain");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("Initial tier: complexity high -> tier 1."), result.out());
        assertTrue(result.out().contains("gpt-4-turbo-preview") && result.out().contains("too small, limit 108800 < 145000"),
            result.out());
        assertTrue(result.out().contains("Answer: OK claude-3-sonnet-20240229, tier 1 (initial tier 1, fallback NONE)"),
            result.out());
        assertEquals("", result.err());
    }

    @Test
    void shouldPrintTheSpecAnswerAsJson() throws Exception
    {
        final Result result = modelsel(null, "select", "--complexity", "medium", "--tokens", "50000", "--json");
        assertEquals(0, result.exitCode(), result.err());
        final Map<?, ?> answer = ReferenceProtocol.JSON.readValue(result.out(), Map.class);
        assertEquals("claude-3-sonnet-20240229", answer.get("model"));
        assertEquals(2, ((Number)answer.get("tier")).intValue());
        assertEquals("NONE", answer.get("fallback"));
    }

    @Test
    void shouldExitOneWhenNoModelFits() throws Exception
    {
        final Result result = modelsel(null, "select", "--complexity", "medium", "--tokens", "180000");
        assertEquals(1, result.exitCode());
        assertEquals("NO_MODEL_FITS", result.out().trim());
    }

    @Test
    void shouldAnswerUsageErrorsWithOneLineAndExitTwo() throws Exception
    {
        for (final String[] args : List.of(
            new String[] {"select", "--tokens", "5"},
            new String[] {"select", "--complexity", "huge", "--tokens", "5"},
            new String[] {"select", "--complexity", "low", "--tokens", "-5"},
            new String[] {"select", "--complexity", "low", "--tokens", "many"},
            new String[] {"select", "--complexity", "low", "--tokens", "5", "--now-ms", "-5"},
            new String[] {"select", "--complexity", "low", "--tokens", "5", "--catalog="},
            new String[] {"catalog"},
            new String[] {"pick"},
            new String[] {}))
        {
            final Result result = modelsel(null, args);
            final String what = String.join(" ", args) + " -> " + result.err();
            assertEquals(2, result.exitCode(), what);
            assertEquals(1, result.err().lines().count(), what);
            assertTrue(result.err().startsWith("modelsel: "), what);
            assertFalse(result.err().contains("Exception"), what);
            assertTrue(result.err().split("--help", -1).length <= 2, what + ": one hint at most");
        }
    }

    @Test
    void shouldTellItsVersion() throws Exception
    {
        final Result result = modelsel(null, "--version");
        assertEquals(0, result.exitCode());
        assertTrue(result.out().matches("modelsel \\d+\\.\\d+\\.\\d+.*\\R"), result.out());
    }

    @Test
    void shouldValidateCatalogsWithKeyAndLine() throws Exception
    {
        final Path good = VECTORS.resolve("seed_catalog.yaml");
        final Result valid = modelsel(null, "catalog", "validate", good.toString());
        assertEquals(0, valid.exitCode(), valid.out());
        assertTrue(valid.out().contains("valid: 3 tiers"), valid.out());
        assertTrue(valid.out().contains("warning: ") && valid.out().contains("gpt-4-1106-preview"), valid.out());

        final Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "version: 1\nsafety_margin: 1.5\ntiers:\n  - tier: 1\n    modles: [a]\n");
        final Result invalid = modelsel(null, "catalog", "validate", bad.toString());
        assertEquals(1, invalid.exitCode());
        assertTrue(invalid.out().contains("error: " + bad + ": safety_margin (line 2): must be more than 0 and at most 1"),
            invalid.out());
        assertTrue(invalid.out().contains("tiers[0].modles (line 5): unknown key (did you mean \"models\"?)"), invalid.out());
    }

    @Test
    void shouldShowTheCatalogAsTheSelectorSeesIt() throws Exception
    {
        final Result result = modelsel(null, "catalog", "show");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("Tier 2 (min_capability 0.8)"), result.out());
        assertTrue(result.out().contains("below: never a candidate here"), result.out());
        assertTrue(result.out().lines().anyMatch(l -> l.contains("gpt-4-turbo-preview") && l.contains("108800")), result.out());
    }

    @Test
    void shouldRunEverySharedVector() throws Exception
    {
        final List<Path> scripts;
        try (Stream<Path> files = Files.list(VECTORS))
        {
            scripts = files.filter(p -> p.toString().endsWith(".jsonl") && !p.toString().endsWith(".expected.jsonl"))
                .sorted().collect(Collectors.toList());
        }
        assertEquals(13, scripts.size());
        for (final Path script : scripts)
        {
            final String stem = script.getFileName().toString().replace(".jsonl", "");
            final Path catalog = VECTORS.resolve(stem.replace("_ops", "_catalog") + ".yaml");
            final Result result = modelsel(Files.readString(script), "run", "--catalog", catalog.toString());
            assertEquals(0, result.exitCode(), result.err());
            final List<String> expected = Files.readAllLines(VECTORS.resolve(stem + ".expected.jsonl"));
            final List<String> actual = result.out().lines().collect(Collectors.toList());
            assertEquals(expected.size(), actual.size(), stem);
            for (int i = 0; i < expected.size(); i++)
            {
                final Map<?, ?> want = ReferenceProtocol.JSON.readValue(expected.get(i), Map.class);
                final Map<?, ?> got = ReferenceProtocol.JSON.readValue(actual.get(i), Map.class);
                for (final String key : "INVALID_REQUEST".equals(want.get("status")) ? List.of("status") : KEYS)
                {
                    if (want.containsKey(key))
                    {
                        assertEquals(want.get(key), got.get(key), stem + " answer " + (i + 1) + " " + key);
                    }
                }
            }
        }
    }

    @Test
    void shouldRefuseABadCatalogBeforeReadingInput() throws Exception
    {
        final Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"version\": 1, \"tiers\": [{\"tier\": 2, \"models\": [\"a\"]}]}");
        final Result result = modelsel("{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 1}\n",
            "run", "--catalog", bad.toString());
        assertEquals(1, result.exitCode());
        assertEquals("", result.out());
        assertTrue(result.err().startsWith("modelsel: " + bad + ": tiers (line 1): tiers must be numbered 1..1"),
            result.err());
    }

    @Test
    void shouldAnswerEachLineAsItArrives() throws Exception
    {
        final Process process = start("run");
        try (OutputStream in = process.getOutputStream();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            for (final String complexity : List.of("low", "medium", "high"))
            {
                in.write(("{\"op\": \"select\", \"complexity\": \"" + complexity + "\", \"tokens\": 1000}\n")
                    .getBytes(StandardCharsets.UTF_8));
                in.flush();
                final String answer = out.readLine(); // blocks unless the answer was flushed while stdin stays open
                assertTrue(answer.contains("\"status\": \"OK\""), answer);
            }
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
    }

    @Test
    void shouldCarryTheParentPomsFlagsInTheManifest() throws IOException
    {
        final String flags = System.getProperty("modelsel.jvmFlags");
        assertTrue(flags != null && flags.contains("--add-opens"), "failsafe passes the parent POM's flag list");
        try (JarFile jar = new JarFile(ModelselJar.JAR.toFile()))
        {
            final Manifest manifest = jar.getManifest();
            assertEquals(expected(flags, "--add-opens="), List.of(manifest.getMainAttributes().getValue("Add-Opens").split(" ")));
            assertEquals(expected(flags, "--add-exports="),
                List.of(manifest.getMainAttributes().getValue("Add-Exports").split(" ")));
        }
    }

    private static List<String> expected(final String flags, final String prefix)
    {
        return Arrays.stream(flags.trim().split("\\s+"))
            .filter(flag -> flag.startsWith(prefix))
            .map(flag -> flag.substring(prefix.length(), flag.lastIndexOf('=')))
            .collect(Collectors.toList());
    }
}
