package dev.modelsel.engine.cli;

import dev.modelsel.engine.cli.ModelselJar.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static dev.modelsel.engine.cli.ModelselJar.modelsel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code modelsel catalog import-litellm} through the packaged command, on the shipped LiteLLM snapshot. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ImportLitellmIT
{
    private static final Path SNAPSHOT =
        Path.of("..", "benchmarks", "src", "main", "resources", "dev", "modelsel", "benchmarks", "litellm_model_prices.json");

    @TempDir
    Path dir;

    @Test
    void shouldImportTheSnapshotIntoACatalogThatValidatesAndSelects() throws Exception
    {
        final Path catalog = dir.resolve("litellm.yaml");
        final Result imported = modelsel(null, "catalog", "import-litellm", SNAPSHOT.toString(), "-o", catalog.toString());
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().startsWith("Imported 2099 chat models from "), imported.out());
        assertTrue(imported.out().contains("     698 not chat (mode is not \"chat\")"), imported.out());
        assertTrue(imported.out().contains("Tiers by input price terciles"), imported.out());
        assertTrue(imported.out().contains("Valid catalog: 3 tiers, 2099 models"), imported.out());

        final Result valid = modelsel(null, "catalog", "validate", catalog.toString());
        assertEquals(0, valid.exitCode(), valid.out());
        assertTrue(valid.out().endsWith("valid: 3 tiers, 2099 models, 0 warnings\n"), valid.out());

        final Result select = modelsel(null, "select", "--catalog", catalog.toString(), "--complexity", "high",
            "--tokens", "1500000", "--json");
        assertEquals(0, select.exitCode(), select.err());
        assertTrue(select.out().startsWith("{\"status\": \"OK\""), select.out());

        final Result run = modelsel("{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 1000}\n", "run",
            "--catalog", catalog.toString());
        assertTrue(run.out().startsWith("{\"status\": \"OK\""), run.out());
    }

    @Test
    void shouldTierByCapabilitiesAndListTheModelsLeftOut() throws Exception
    {
        final Path capabilities = Files.writeString(dir.resolve("caps.yaml"), """
            gpt-4o: 0.9
            claude-3-haiku-20240307: 0.6
            "vertex_ai/claude-3-opus@20240229": 0.95
            gpt-4o-mini: 0.75
            no-such-model: 0.8
            """);
        final Path catalog = dir.resolve("caps-catalog.yaml");
        final Result imported = modelsel(null, "catalog", "import-litellm", SNAPSHOT.toString(), "-o",
            catalog.toString(), "--capabilities", capabilities.toString(), "--tier-thresholds", "0.9,0.7");
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().contains("tier 1: capability >= 0.9 (2 models)"), imported.out());
        assertTrue(imported.out().contains("2095 models have no capability"), imported.out());
        assertTrue(imported.out().contains("1 capabilities name no imported model") &&
            imported.out().contains("  no-such-model"), imported.out());
        final Result explain = modelsel(null, "select", "--catalog", catalog.toString(), "--complexity", "high",
            "--tokens", "100000", "--explain");
        assertEquals(0, explain.exitCode(), explain.err());
        assertTrue(explain.out().contains("Answer: OK gpt-4o, tier 1"), explain.out());

        final Result shown = modelsel(null, "catalog", "validate", catalog.toString());
        assertTrue(shown.out().contains("... and 2085 more models in no tier"), shown.out());
    }

    @Test
    void shouldWriteNothingWhenTheInputIsBad() throws Exception
    {
        final Path catalog = Files.writeString(dir.resolve("out.yaml"), "# Imported from LiteLLM's price list (old)\n");
        final Path broken = Files.writeString(dir.resolve("broken.json"), "{\"a\": {\"mode\": \"chat\",\n  oops}");
        final Result result = modelsel(null, "catalog", "import-litellm", broken.toString(), "-o", catalog.toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("broken.json (line 2, column 3): not valid JSON: a key in double quotes") &&
            result.err().contains("nothing written"), result.err());
        assertEquals("# Imported from LiteLLM's price list (old)\n", Files.readString(catalog));

        final Path badCaps = Files.writeString(dir.resolve("caps.yaml"), "gpt-4o: high\n");
        final Result caps = modelsel(null, "catalog", "import-litellm", SNAPSHOT.toString(), "-o", catalog.toString(),
            "--capabilities", badCaps.toString());
        assertEquals(1, caps.exitCode());
        assertTrue(caps.err().contains("caps.yaml: gpt-4o (line 1): capability must be a finite number above 0"),
            caps.err());

        final Path handWritten = Files.writeString(dir.resolve("mine.yaml"), "version: 1\n");
        final Result foreign = modelsel(null, "catalog", "import-litellm", SNAPSHOT.toString(), "-o",
            handWritten.toString());
        assertEquals(1, foreign.exitCode());
        assertTrue(foreign.err().contains("was not written by import-litellm; nothing written (add --force"),
            foreign.err());
        assertEquals("version: 1\n", Files.readString(handWritten));
        assertEquals(0, modelsel(null, "catalog", "import-litellm", SNAPSHOT.toString(), "-o", handWritten.toString(),
            "--force").exitCode());

        assertEquals(2, modelsel(null, "catalog", "import-litellm", SNAPSHOT.toString(), "-o",
            dir.resolve("x.json").toString()).exitCode());
        assertEquals(2, modelsel(null, "catalog", "import-litellm", SNAPSHOT.toString(), "-o",
            dir.resolve("t.yaml").toString(), "--tier-thresholds", "0.9").exitCode());
        assertEquals(2, modelsel(null, "catalog", "import-litellm", SNAPSHOT.toString(), "-o",
            dir.resolve("t.yaml").toString(), "--include", "[").exitCode());
        assertFalse(Files.exists(dir.resolve("t.yaml")));
        try (var files = Files.list(dir))
        {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void shouldSayWhyAnEntryIsMalformedTruly() throws Exception
    {
        final Path prices = Files.writeString(dir.resolve("prices.json"), """
            {
              "ok": {"mode": "chat", "input_cost_per_token": 1e-6, "max_input_tokens": 100},
              "dear": {"mode": "chat", "input_cost_per_token": 1e308, "max_input_tokens": 100},
              "bad": {"mode": "chat", "input_cost_per_token": -1, "max_input_tokens": 100},
              "bad": {"mode": "chat", "input_cost_per_token": 1e-6, "max_input_tokens": 100},
              "ok": {"mode": "chat", "input_cost_per_token": 2e-6, "max_input_tokens": 100}
            }
            """);
        final Result result = modelsel(null, "catalog", "import-litellm", prices.toString(), "-o", "-");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.err().contains("malformed: line 3: \"dear\": input_cost_per_token is 1e308, out of range: " +
            "at most about 1.8e302 per token"), "1e308 is finite, only too large: " + result.err());
        assertTrue(result.err().contains("malformed: line 5: \"bad\": the id is given twice: line 4 gives it first " +
            "(skipped as malformed); this later entry is not imported either"), result.err());
        assertTrue(result.err().contains("malformed: line 6: \"ok\": the id is given twice: line 2 gives it first " +
            "(imported); this later entry is not imported"), result.err());
        assertTrue(result.out().contains("  \"ok\":\n") && !result.out().contains("  \"bad\":\n"), result.out());
    }

    @Test
    void shouldKeepPermissionsFollowLinksAndNameMissingDirectories() throws Exception
    {
        final Path umaskDefault = Files.createFile(dir.resolve("reference.txt"));
        final Path fresh = dir.resolve("fresh.yaml");
        assertEquals(0, modelsel(null, "catalog", "import-litellm", SNAPSHOT.toString(), "-o", fresh.toString(),
            "--include", "^gpt-4o$").exitCode());
        assertEquals(Files.getPosixFilePermissions(umaskDefault), Files.getPosixFilePermissions(fresh),
            "a new catalog gets the umask's permissions, not a temporary file's 0600");

        final Path shared = dir.resolve("shared.yaml");
        Files.copy(fresh, shared);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-rw-r--"));
        final Path link = Files.createSymbolicLink(dir.resolve("link.yaml"), shared.getFileName());
        final Result viaLink = modelsel(null, "catalog", "import-litellm", SNAPSHOT.toString(), "-o", link.toString(),
            "--providers", " openai, nobody-at-all");
        assertEquals(0, viaLink.exitCode(), viaLink.err());
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertTrue(Files.readString(shared).contains("\"gpt-4o-mini\""), "the file it names was replaced");
        assertEquals(PosixFilePermissions.fromString("rw-rw-r--"), Files.getPosixFilePermissions(shared));
        assertTrue(viaLink.out().contains("1 of --providers match no priced chat model") &&
            viaLink.out().contains("  nobody-at-all"), viaLink.out());

        final Result noDirectory = modelsel(null, "catalog", "import-litellm", SNAPSHOT.toString(), "-o",
            dir.resolve("missing").resolve("x.yaml").toString());
        assertEquals(1, noDirectory.exitCode());
        assertTrue(noDirectory.err().contains(": no such directory "), noDirectory.err());
    }

    @Test
    void shouldWriteToStandardOutputWithTheSummaryOnStandardError() throws Exception
    {
        final Result result = modelsel(null, "catalog", "import-litellm", SNAPSHOT.toString(), "-o", "-",
            "--providers", "anthropic", "--include", "haiku");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().startsWith("# Imported from LiteLLM's price list"), result.out());
        assertTrue(result.out().contains("  \"claude-3-haiku-20240307\":\n"), result.out());
        assertTrue(result.err().contains("by --providers") && result.err().contains("Valid catalog"), result.err());
    }
}
