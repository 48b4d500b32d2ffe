package dev.modelsel.engine.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Use it from Java": its code is the example project's, and that project, built by
 * maven-invoker-plugin against the installed artifacts and run with the flags, chose as SPEC says.
 */
class LibraryExampleIT
{
    private static final Path EXAMPLE = Path.of("src", "it", "library-example");

    @Test
    void shouldShowTheExampleProjectsCodeInTheReadme() throws IOException
    {
        final String readme = Files.readString(Path.of("..", "README.md"));
        final String code = Files.readString(EXAMPLE.resolve("src/main/java/example/Example.java"));
        assertTrue(readme.contains("```java\n" + code + "```"), "README shows " + EXAMPLE + "'s Example.java verbatim");
        final String pom = Files.readString(EXAMPLE.resolve("pom.xml"));
        final String dependency = pom.substring(pom.indexOf("    <dependency>"), pom.indexOf("</dependency>") + 13)
            .replace("@project.version@", System.getProperty("project.version", "0.1.0-SNAPSHOT"));
        assertTrue(readme.contains(dependency.stripIndent()), "README shows the example's dependency:\n" + dependency);
    }

    @Test
    void shouldHaveRunTheExampleBuiltAgainstTheInstalledArtifacts() throws IOException
    {
        final Path output = Path.of("target", "it", "library-example", "target", "example-output.txt");
        assertTrue(Files.exists(output), "maven-invoker-plugin ran the example before this test: " + output);
        assertEquals("chose claude-3-sonnet-20240229\nthen claude-3-opus-20240229 (fallback SAME_TIER)\n",
            Files.readString(output));
        assertTrue(Files.isDirectory(Path.of("target", "it-repo", "dev", "modelsel", "modelsel-engine")),
            "resolved from the private local repository");
    }
}
