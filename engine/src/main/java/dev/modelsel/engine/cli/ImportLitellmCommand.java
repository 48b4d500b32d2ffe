package dev.modelsel.engine.cli;

import dev.modelsel.catalog.CapabilityFile;
import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.LoadedCatalog;
import dev.modelsel.catalog.litellm.ImportOptions;
import dev.modelsel.catalog.litellm.ImportedCatalog;
import dev.modelsel.catalog.litellm.LiteLlmImport;
import dev.modelsel.catalog.litellm.SkipReason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/** {@code modelsel catalog import-litellm}: LiteLLM's price list to a catalog file. */
@Command(name = "import-litellm", mixinStandardHelpOptions = true,
    description = {
        "Imports LiteLLM's price list (model_prices_and_context_window.json) into a catalog.",
        "Every chat model with an input price and a context window is imported. Tiers by capability with "
            + "--capabilities, else by input price terciles. Prints what was skipped and why; writes nothing unless "
            + "the whole import is valid."})
final class ImportLitellmCommand implements Callable<Integer>
{
    /** The first line of every file this command writes: such a file may be replaced without --force. */
    private static final String HEADER_START = "# Imported from LiteLLM's price list";
    private static final int MALFORMED_SHOWN = 20;
    private static final int IDS_SHOWN = 10;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PRICES.json", description = "LiteLLM's price list, any snapshot.")
    Path prices;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.yaml",
        description = "The catalog to write (.yaml or .yml), or - for standard output.")
    String output;

    @Option(names = "--capabilities", paramLabel = "CAPS.yaml",
        description = "A YAML or JSON map of model id to capability. Models it does not name stay out of the tiers.")
    Path capabilities;

    @Option(names = "--tier-thresholds", split = ",", paramLabel = "T1,T2",
        description = "Capability floors of tiers 1, 2, ... (decreasing); the last tier takes the rest. "
            + "Default: 0.85,0.7. Needs --capabilities.")
    List<Double> tierThresholds;

    @Option(names = "--providers", split = ",", paramLabel = "A,B",
        description = "Keep only models whose litellm_provider is one of these.")
    Set<String> providers;

    @Option(names = "--include", paramLabel = "REGEX",
        description = "Keep only models whose id this regular expression finds a match in (e.g. '^openai/').")
    String include;

    @Option(names = "--force", description = "Replace an output file that this command did not write.")
    boolean force;

    @Override
    public Integer call()
    {
        final boolean toStdout = output.equals("-");
        final Path target = toStdout ? null : outputPath();
        final ImportOptions options = options();
        final ImportedCatalog imported;
        try
        {
            imported = LiteLlmImport.fromFile(prices, options);
        }
        catch (final CatalogException ex)
        {
            throw new UserError(UserError.FAILED, ex.getMessage() + System.lineSeparator() + "nothing written");
        }
        final String yaml = imported.yaml();
        final LoadedCatalog check = validate(yaml, toStdout ? "the imported catalog" : target.toString());
        final PrintWriter summary = toStdout ? spec.commandLine().getErr() : spec.commandLine().getOut();
        if (toStdout)
        {
            spec.commandLine().getOut().print(yaml);
            spec.commandLine().getOut().flush();
            if (spec.commandLine().getOut().checkError())
            {
                throw new UserError(UserError.FAILED, "standard output: the catalog could not be written");
            }
        }
        else
        {
            write(target, yaml);
        }
        summarize(imported, check, toStdout ? "standard output" : target.toString(), summary);
        summary.flush();
        return 0;
    }

    private Path outputPath()
    {
        final String name = output.toLowerCase(Locale.ROOT);
        if (!name.endsWith(".yaml") && !name.endsWith(".yml"))
        {
            throw new UserError(UserError.USAGE, "-o " + output + ": the import writes YAML with a header comment; " +
                "name the output .yaml or .yml (or - for standard output)");
        }
        Path target = Path.of(output);
        if (Files.isDirectory(target))
        {
            throw new UserError(UserError.USAGE, "-o " + output + ": is a directory; name the catalog file to write");
        }
        if (Files.isSymbolicLink(target) && Files.exists(target))
        {
            target = realPath(target); // replace the file the link names, not the link
        }
        if (Files.exists(target) && !Files.isRegularFile(target))
        {
            throw new UserError(UserError.FAILED, "-o " + output + ": not a regular file; nothing written");
        }
        final Path directory = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(directory))
        {
            throw new UserError(UserError.FAILED, "-o " + output + ": no such directory " + directory +
                "; nothing written");
        }
        if (Files.exists(target) && !force && !writtenByImport(target))
        {
            throw new UserError(UserError.FAILED, output + " exists and was not written by import-litellm; " +
                "nothing written (add --force to replace it)");
        }
        return target;
    }

    private Path realPath(final Path link)
    {
        try
        {
            return link.toRealPath();
        }
        catch (final IOException ex)
        {
            throw new UserError(UserError.FAILED, "-o " + output + ": " + TableSource.describe(ex));
        }
    }

    private ImportOptions options()
    {
        if (tierThresholds != null && capabilities == null)
        {
            throw new UserError(UserError.USAGE, "--tier-thresholds needs --capabilities: without capabilities " +
                "the tiers are input price terciles");
        }
        Pattern pattern = null;
        if (include != null)
        {
            try
            {
                pattern = Pattern.compile(include);
            }
            catch (final PatternSyntaxException ex)
            {
                throw new UserError(UserError.USAGE, "--include: not a regular expression: " +
                    ex.getMessage().replaceAll("\\R", " "));
            }
        }
        Map<String, Double> scores = null;
        if (capabilities != null)
        {
            try
            {
                scores = CapabilityFile.load(capabilities);
            }
            catch (final CatalogException ex)
            {
                throw new UserError(UserError.FAILED, ex.getMessage() + System.lineSeparator() + "nothing written");
            }
        }
        try
        {
            return new ImportOptions(scores, capabilities == null ? null : capabilities.toString(),
                tierThresholds == null ? ImportOptions.DEFAULT_TIER_THRESHOLDS : tierThresholds,
                providers == null ? Set.of() : providers.stream().map(String::trim).filter(p -> !p.isEmpty())
                    .collect(Collectors.toSet()), pattern);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UserError(UserError.USAGE, "--tier-thresholds: " + ex.getMessage());
        }
    }

    /** The import is checked as `catalog validate` would before a byte is written. */
    private static LoadedCatalog validate(final String yaml, final String name)
    {
        if (yaml.length() > CatalogLoader.MAX_CATALOG_BYTES)
        {
            throw new UserError(UserError.FAILED, "the imported catalog would be " + (yaml.length() >> 20) +
                " MiB, more than the " + (CatalogLoader.MAX_CATALOG_BYTES >> 20) + " MiB a catalog may be; " +
                "narrow the import with --providers or --include; nothing written");
        }
        try
        {
            return CatalogLoader.parse(name, yaml, false);
        }
        catch (final CatalogException ex)
        {
            throw new UserError(UserError.FAILED, "the imported catalog does not validate, so nothing was written " +
                "(please report this as a modelsel bug):" + System.lineSeparator() + ex.getMessage());
        }
    }

    /**
     * Whole or not at all: a temporary file beside the target, then one rename. The file gets the permissions the
     * target had, or the umask's defaults for a new one (a temporary file's 0600 would hide a shared catalog).
     */
    private static void write(final Path target, final String yaml)
    {
        final Path directory = target.toAbsolutePath().getParent();
        final Path temporary = directory.resolve(".modelsel-import-" + Long.toHexString(System.nanoTime()) + ".tmp");
        try
        {
            Files.writeString(temporary, yaml, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
            keepPermissions(target, temporary);
            try
            {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (final IOException ex)
        {
            deleteQuietly(temporary);
            throw new UserError(UserError.FAILED, target + ": cannot write (" + TableSource.describe(ex) +
                "); nothing written");
        }
    }

    private static void keepPermissions(final Path target, final Path temporary) throws IOException
    {
        if (Files.exists(target) && Files.getFileStore(temporary).supportsFileAttributeView("posix"))
        {
            Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(target));
        }
    }

    private static boolean writtenByImport(final Path file)
    {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            final String first = reader.readLine();
            return first != null && first.startsWith(HEADER_START);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static void deleteQuietly(final Path file)
    {
        if (file != null)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ignored)
            {
                // the failure being reported matters more than a stray temporary file
            }
        }
    }

    private static void summarize(final ImportedCatalog imported, final LoadedCatalog check, final String target,
        final PrintWriter out)
    {
        out.println("Imported " + imported.models().size() + " chat models from " + imported.source() + " (" +
            imported.entries() + " entries) into " + target);
        out.println("Skipped " + imported.skippedCount() + " entries:");
        for (final Map.Entry<SkipReason, Integer> skip : imported.skipped().entrySet())
        {
            out.println(String.format("  %6d %s", skip.getValue(), skip.getKey().description()));
        }
        imported.malformed().stream().limit(MALFORMED_SHOWN)
            .forEach(line -> out.println("         malformed: " + Display.printable(line)));
        if (imported.malformed().size() > MALFORMED_SHOWN)
        {
            out.println("         ... " + (imported.malformed().size() - MALFORMED_SHOWN) +
                " more malformed entries, all listed in the catalog's header");
        }
        if (imported.filteredByProvider() + imported.filteredByInclude() > 0)
        {
            out.println("Filtered out " + imported.filteredByProvider() + " by --providers, " +
                imported.filteredByInclude() + " by --include");
        }
        out.println(imported.tiersByCapability() ? "Tiers by capability:" :
            "Tiers by input price terciles (no --capabilities: every model takes the default capability, 0.7):");
        imported.tierRules().forEach(rule -> out.println("  " + rule));
        listIds(out, imported.withoutCapability(), imported.withoutCapability().size() +
            " models have no capability, so they are in no tier (listed in the catalog's header):");
        listIds(out, imported.unmatchedProviders(), imported.unmatchedProviders().size() +
            " of --providers match no priced chat model (providers are matched exactly, e.g. openai, anthropic):");
        listIds(out, imported.unusedCapabilities(), imported.unusedCapabilities().size() +
            " capabilities name no imported model (a typo, or skipped or filtered out):");
        out.println("Valid catalog: " + check.definition().tiers().size() + " tiers, " +
            check.definition().models().size() + " models");
    }

    private static void listIds(final PrintWriter out, final List<String> ids, final String heading)
    {
        if (ids.isEmpty())
        {
            return;
        }
        out.println(heading);
        ids.stream().limit(IDS_SHOWN).forEach(id -> out.println("  " + Display.printable(id)));
        if (ids.size() > IDS_SHOWN)
        {
            out.println("  ... and " + (ids.size() - IDS_SHOWN) + " more");
        }
    }
}
