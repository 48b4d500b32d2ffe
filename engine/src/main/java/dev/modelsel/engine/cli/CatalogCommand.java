package dev.modelsel.engine.cli;

import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.CatalogProblem;
import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.catalog.Complexity;
import dev.modelsel.catalog.LoadedCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code modelsel catalog validate|show|import-litellm}. */
@Command(
    name = "catalog",
    mixinStandardHelpOptions = true,
    description = "Checks, shows and imports catalogs.",
    subcommands = {CatalogCommand.Validate.class, CatalogCommand.Show.class, ImportLitellmCommand.class})
final class CatalogCommand implements Runnable
{
    private static final int UNTIERED_WARNINGS_SHOWN = 10;

    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "name a subcommand: validate, show or import-litellm");
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
        description = {
            "Checks a catalog file: every error and warning with key and line. Exit code 0 valid, 1 not.",
            "A warning (a tier naming a model that models does not declare, a model in no tier) leaves the catalog " +
                "valid, as docs/SPEC.md section 2 says; with --strict it fails the check too."})
    static final class Validate implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The catalog file (YAML or JSON).")
        Path file;

        @Option(names = "--strict", description = "Fail (exit code 1) on warnings too: for CI, where a model that " +
            "takes the defaults is more likely a typo than meant.")
        boolean strict;

        @Override
        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            try
            {
                final LoadedCatalog loaded = CatalogLoader.load(file);
                printWarnings(out, loaded.warnings());
                final CompiledCatalog compiled = loaded.compile();
                final int warnings = loaded.warnings().size();
                final boolean failed = strict && warnings > 0;
                out.println(file + (failed ? ": invalid under --strict: " : ": valid: ") +
                    count(compiled.tierCount(), "tier") + ", " + count(compiled.modelCount(), "model") + ", " +
                    count(warnings, "warning"));
                out.flush();
                return failed ? UserError.FAILED : 0;
            }
            catch (final CatalogException ex)
            {
                ex.errors().forEach(problem -> out.println("error: " + problem));
                printWarnings(out, ex.warnings());
                out.println(file + ": invalid: " + count(ex.errors().size(), "error") +
                    (ex.warnings().isEmpty() ? "" : ", " + count(ex.warnings().size(), "warning")));
                out.flush();
                return UserError.FAILED;
            }
        }

        private static String count(final int n, final String noun)
        {
            return n + " " + noun + (n == 1 ? "" : "s");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
        description = "Shows a catalog as the selector sees it: tiers, models, effective limits, scores and rank.")
    static final class Show implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "0..1", description = "The catalog file. Default: the built-in catalog.")
        Path file;

        @Override
        public Integer call()
        {
            final CatalogSource source = new CatalogSource();
            source.file = file;
            final LoadedCatalog loaded = source.load();
            final CompiledCatalog catalog = loaded.compile();
            final PrintWriter out = spec.commandLine().getOut();
            out.println("Catalog: " + Display.printable(catalog.definition().source()));
            out.println("safety_margin " + Display.number(catalog.safetyMargin()) + ": a model fits n tokens when " +
                "n <= floor(context_window x " + Display.number(catalog.safetyMargin()) + ")");
            out.println("complexity -> initial tier: low " + catalog.initialTier(Complexity.LOW) + ", medium " +
                catalog.initialTier(Complexity.MEDIUM) + ", high " + catalog.initialTier(Complexity.HIGH));
            out.println("escalation: max_retries " + catalog.escalation().maxRetries() + ", quality_threshold " +
                Display.number(catalog.escalation().qualityThreshold()));
            final int width = Math.max(5, maxIdLength(catalog));
            for (int tier = 1; tier <= catalog.tierCount(); tier++)
            {
                out.println();
                out.println("Tier " + tier + " (min_capability " + Display.number(catalog.minCapability(tier)) + ")" +
                    (catalog.rankFollowsListOrder(tier) ? "" : " - equal scores ranked by this tier's own order"));
                out.println(String.format("  %-5s %-" + width + "s %14s %12s %10s %12s %12s %10s  %s",
                    "rank", "model", "context_window", "token_limit", "capability", "input$/Mtok", "output$/Mtok",
                    "score", "floor"));
                for (final int m : catalog.tierMembers(tier))
                {
                    out.println(String.format("  %-5d %-" + width + "s %14d %12d %10s %12s %12s %10s  %s",
                        m + 1, Display.printable(catalog.id(m)),
                        catalog.definition().models().get(catalog.id(m)).contextWindow(),
                        catalog.tokenLimit(m), Display.number(catalog.capability(m)),
                        Display.number(catalog.inputCostPerMtok(m)), Display.number(catalog.outputCostPerMtok(m)),
                        Display.score(catalog.score(m)),
                        catalog.capability(m) >= catalog.minCapability(tier) ? "meets" : "below: never a candidate here"));
                }
            }
            if (catalog.modelCount() > catalog.tieredCount())
            {
                out.println();
                out.println("In no tier (never selected):");
                for (int m = catalog.tieredCount(); m < catalog.modelCount(); m++)
                {
                    out.println("  " + Display.printable(catalog.id(m)));
                }
            }
            if (!loaded.warnings().isEmpty())
            {
                out.println();
                printWarnings(out, loaded.warnings());
            }
            out.println();
            out.println("rank: the selector's order, best score first (ties: first appearance, tier 1 first).");
            out.flush();
            return 0;
        }

        private static int maxIdLength(final CompiledCatalog catalog)
        {
            int max = 0;
            for (int m = 0; m < catalog.modelCount(); m++)
            {
                max = Math.max(max, Display.printable(catalog.id(m)).length());
            }
            return max;
        }
    }

    /**
     * Every warning, except that models in no tier are folded after the first few: an imported catalog can hold
     * thousands of models that only cost tracking uses.
     */
    static void printWarnings(final PrintWriter out, final List<CatalogProblem> warnings)
    {
        int untiered = 0;
        for (final CatalogProblem warning : warnings)
        {
            final boolean inNoTier = warning.message().equals(CatalogProblem.MODEL_IN_NO_TIER);
            if (!inNoTier || ++untiered <= UNTIERED_WARNINGS_SHOWN)
            {
                out.println("warning: " + Display.printable(warning.toString()));
            }
        }
        if (untiered > UNTIERED_WARNINGS_SHOWN)
        {
            out.println("warning: ... and " + (untiered - UNTIERED_WARNINGS_SHOWN) + " more models in no tier " +
                "(never selected)");
        }
    }
}
