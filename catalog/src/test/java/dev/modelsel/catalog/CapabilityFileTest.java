package dev.modelsel.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CapabilityFileTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReadIdsWithAwkwardCharactersAndAnyNumberAboveZero() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("caps.yaml"), """
            "vertex_ai/claude-3-opus@20240229": 1.0
            openai/gpt-4o: 0.9
            "bedrock/*/x:0": 3
            """);
        assertEquals(Map.of("vertex_ai/claude-3-opus@20240229", 1.0, "openai/gpt-4o", 0.9, "bedrock/*/x:0", 3.0),
            CapabilityFile.load(file));
        assertEquals(Map.of("a", 0.5), CapabilityFile.parse("c.json", "{\"a\": 0.5}", true));
    }

    @Test
    void shouldNameEveryBadEntryWithItsLine()
    {
        final CatalogException bad = assertThrows(CatalogException.class, () -> CapabilityFile.parse("caps.yaml", """
            good: 0.9
            zero: 0
            text: high
            nan: .nan
            list: [1]
            "": 0.5
            """, false));
        assertEquals(List.of(
            "caps.yaml: zero (line 2): capability must be a finite number above 0, not 0",
            "caps.yaml: text (line 3): capability must be a finite number above 0, not \"high\"",
            "caps.yaml: nan (line 4): capability must be a finite number above 0, not .nan",
            "caps.yaml: list (line 5): capability must be a finite number above 0, not a list",
            "caps.yaml: \"\" (line 6): a model id must not be empty"),
            bad.errors().stream().map(CatalogProblem::toString).toList());
    }

    @Test
    void shouldRefuseAFileThatIsNotAMapping()
    {
        assertEquals("caps.yaml (line 1): must be a mapping of model id to capability (\"gpt-4o: 0.9\"), not a list",
            assertThrows(CatalogException.class, () -> CapabilityFile.parse("caps.yaml", "- a\n- b\n", false))
                .getMessage());
        assertEquals("caps.yaml: a (line 1): key given twice (first on line 1); keep one", assertThrows(CatalogException.class,
                () -> CapabilityFile.parse("caps.yaml", "{a: 1, a: 2}", false)).getMessage());
        assertThrows(CatalogException.class, () -> CapabilityFile.load(dir.resolve("missing.yaml")));
    }
}
