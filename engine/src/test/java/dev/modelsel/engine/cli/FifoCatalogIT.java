package dev.modelsel.engine.cli;

import dev.modelsel.engine.cli.ModelselJar.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.modelsel.engine.cli.ModelselJar.modelsel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A catalog that is a FIFO: opening one blocks until a writer comes, so each command must refuse it before opening
 * it. The class timeout is what fails a command that hangs.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FifoCatalogIT
{
    private static final String SELECT = "{\"op\": \"select\", \"complexity\": \"high\", \"tokens\": 10}";
    private static final String REFUSAL = ": not a regular file (a FIFO, a device or a socket), not a catalog file";

    @TempDir
    Path dir;

    @Test
    void shouldRefuseToValidateAFifoPromptly() throws Exception
    {
        final Path fifo = dir.resolve("catalog.yaml");
        mkfifo(fifo);
        final Result result = modelsel(null, "catalog", "validate", fifo.toString());
        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.out().startsWith("error: " + fifo + REFUSAL + System.lineSeparator()), result.out());
    }

    @Test
    void shouldKeepThePreviousCatalogWhenItsFileIsReplacedByAFifo() throws Exception
    {
        final Path catalog = dir.resolve("catalog.yaml");
        Files.writeString(catalog, "version: 1\nmodels: {a: {capability: 1}, b: {capability: 0.5}}\n" +
            "tiers: [{tier: 1, models: [a, b]}]\n");
        final File err = dir.resolve("stderr.txt").toFile();
        final Process process = ModelselJar.startOnJvm(List.of(), err, "run", "--catalog", catalog.toString());
        try (OutputStream in = process.getOutputStream();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            assertTrue(ask(in, out).contains("\"model\": \"a\""));
            Files.delete(catalog);
            mkfifo(catalog);
            Thread.sleep(1_200); // the watcher looks at most once a second
            assertTrue(ask(in, out).contains("\"model\": \"a\""), "the previous catalog stays in force");
        }
        catch (final Throwable failed)
        {
            process.destroyForcibly();
            throw failed;
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
        final String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
        assertEquals("modelsel: the catalog changed but does not load; keeping the previous one:" +
            System.lineSeparator() + catalog + REFUSAL + System.lineSeparator(), stderr);
    }

    private static String ask(final OutputStream in, final BufferedReader out) throws IOException
    {
        in.write((SELECT + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        final String answer = out.readLine();
        assertTrue(answer != null, "no answer");
        return answer;
    }

    private static void mkfifo(final Path path) throws InterruptedException
    {
        boolean made;
        try
        {
            made = new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0;
        }
        catch (final IOException ex)
        {
            made = false;
        }
        assumeTrue(made, "mkfifo is not available here; FIFO catalogs are not tested");
    }
}
