package dev.modelsel.catalog;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A syntax error names the file, the line and the column, and says what is wrong in this project's words. */
class SyntaxErrorsTest
{
    /** Words of the parsers' own messages, which must not reach a user. */
    private static final List<String> PARSER_WORDS = List.of("while parsing", "while scanning", "in 'reader'", "^",
        "(code ", "Unexpected character", "Unrecognized token", "flow sequence", "block end", "<stream end>", "; ;");

    @Test
    void shouldDescribeYamlSyntaxErrors()
    {
        assertYaml("version: 1\ntiers:\n  - tier: 1\n    models: [a, b\n  - tier: 2\n",
            "c.yaml (line 5, column 9): not valid YAML: the list opened with \"[\" on line 4, column 13 is not " +
                "closed: a \",\" or \"]\" should come before this");
        assertYaml("version: 1\nmodels:\n  a: {context_window: 5\n",
            "c.yaml (line 4, column 1): not valid YAML: the mapping opened with \"{\" on line 3, column 6 is not " +
                "closed: a \",\" or \"}\" should come before this");
        assertYaml("version: 1\nmodels:\n\ta: 1\n", "c.yaml (line 3, column 1): not valid YAML: a tab; YAML indents with " +
            "spaces only");
        assertYaml("a: b: c\n", "c.yaml (line 1, column 5): not valid YAML: a \": \" where no key can start: a value " +
            "that holds \": \" needs quotes, and a key under another needs more indentation than it");
        assertYaml("version: \"abc\n", "c.yaml (line 2, column 1): not valid YAML: the quoted text that starts on " +
            "line 1, column 10 is never closed");
        assertYaml("a:\n  b: 1\n c: 2\n", "c.yaml (line 3, column 2): not valid YAML: this line is indented " +
            "differently from the keys of the mapping that starts on line 1");
        assertYaml("a:\n  - x\n  y: 1\n", "c.yaml (line 3, column 3): not valid YAML: this line is indented " +
            "differently from the list items that start on line 2");
        assertYaml("a: ]\n", "c.yaml (line 1, column 4): not valid YAML: a value should start here, not \"]\"");
        assertYaml("a: @x\n", "c.yaml (line 1, column 4): not valid YAML: \"@\" cannot start a value; put the value " +
            "in quotes");
        assertYaml("a: \"x\\qy\"\n", "c.yaml (line 1, column 7): not valid YAML: an escape that double-quoted YAML " +
            "does not have; write \\\\ for a backslash, or use single quotes");
        assertYaml("a: \"x\u0001y\"\n", "c.yaml (line 1): not valid YAML: the character U+0001 is not allowed in " +
            "YAML (a control character?)");
    }

    @Test
    void shouldDescribeJsonSyntaxErrors()
    {
        assertJson("{\"version\": 1,, }", "c.json (line 1, column 15): not valid JSON: a key in double quotes should " +
            "come here, not \",\"");
        assertJson("{\n  \"version\": 1\n  \"tiers\": []\n}", "c.json (line 3, column 3): not valid JSON: a \",\" or " +
            "\"}\" should come after a value, not '\"'");
        assertJson("{\"tiers\": [1 2]}", "c.json (line 1, column 14): not valid JSON: a \",\" or \"]\" should come " +
            "after a value, not \"2\"");
        assertJson("{\"version\": 1", "c.json (line 1, column 14): not valid JSON: the text ends inside an object " +
            "(a \"}\" is missing)");
        assertJson("{\"version\": True}", "c.json (line 1, column 13): not valid JSON: \"True\" is not a value (text " +
            "needs double quotes; true, false and null are lower case)");
    }

    private static void assertYaml(final String text, final String expected)
    {
        assertRefused(text, false, "c.yaml", expected);
    }

    private static void assertJson(final String text, final String expected)
    {
        assertRefused(text, true, "c.json", expected);
    }

    private static void assertRefused(final String text, final boolean json, final String source, final String expected)
    {
        final CatalogException ex = assertThrows(CatalogException.class, () -> CatalogLoader.parse(source, text, json));
        assertEquals(expected, ex.getMessage());
        for (final String word : PARSER_WORDS)
        {
            assertFalse(ex.getMessage().contains(word), "\"" + word + "\" in " + ex.getMessage());
        }
    }
}
