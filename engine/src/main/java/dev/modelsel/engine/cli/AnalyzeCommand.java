package dev.modelsel.engine.cli;

import dev.modelsel.engine.cost.EscalationAnalysis;
import dev.modelsel.engine.cost.Pricing;
import dev.modelsel.engine.protocol.HistoryReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code modelsel analyze}: escalation patterns and cost of an execution history (the guide's best practices 2 and 3). */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
        "Reports the escalations per category and the cost per model of an execution history.",
        "The history holds one JSON object per line: category, complexity, initial_tier, final_tier, model, " +
            "input_tokens, output_tokens, success, optional quality_score and attempt. For each category: how many " +
            "phases escalated (final_tier < initial_tier) and whether to raise its default complexity; for each " +
            "model: what every attempt cost at its own price. Lines that are not records are skipped and reported " +
            "with their number."})
final class AnalyzeCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    CatalogSource catalog;

    @Option(names = "--threshold", paramLabel = "N",
        description = "Flag a category with more than N escalations. Default: ${DEFAULT-VALUE} (the guide's).")
    int threshold = EscalationAnalysis.DEFAULT_THRESHOLD;

    @Option(names = "--json", description = "Print one JSON object: categories, cost_usd, skipped_lines.")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report with charts.")
    Path html;

    @Parameters(paramLabel = "HISTORY.jsonl", description = "The execution history.")
    Path history;

    @Override
    public Integer call()
    {
        if (threshold < 0)
        {
            throw new ParameterException(spec.commandLine(), "--threshold must be 0 or more, not " + threshold);
        }
        if (html != null)
        {
            checkWritable(html); // before the history is read: a mistake here should not cost a long read
        }
        final EscalationAnalysis analysis = new EscalationAnalysis(new Pricing(catalog.load().compile()), threshold);
        try (InputStream in = Files.newInputStream(history))
        {
            HistoryReader.read(in, analysis);
        }
        catch (final NoSuchFileException ex)
        {
            throw new UserError(UserError.FAILED, history + ": no such file");
        }
        catch (final IOException ex)
        {
            throw new UserError(UserError.FAILED, TableSource.describe(ex));
        }
        final EscalationAnalysis.Report report = analysis.report();
        if (html != null)
        {
            write(html, AnalysisReports.html(report, history.toString())); // before any output: all of it, or an error
        }
        final PrintWriter err = spec.commandLine().getErr();
        report.skipped().forEach(s -> err.println("modelsel: " + history + " line " + s.line() + ": skipped: " +
            Display.printable(s.why())));
        final long unlisted = report.skippedLines() - report.skipped().size();
        if (unlisted > 0)
        {
            err.println("modelsel: " + history + ": " + unlisted + " more " + (unlisted == 1 ? "line" : "lines") +
                " skipped, not listed (only the first " + EscalationAnalysis.MAX_SKIPPED_LISTED + " are)");
        }
        err.flush();

        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            out.println(AnalysisReports.json(report));
        }
        else
        {
            AnalysisReports.table(report).forEach(out::println);
        }
        if (html != null && !json)
        {
            out.println("wrote " + html);
        }
        out.flush();
        return 0;
    }

    /** A report file goes into an existing directory and does not replace a directory. */
    private static void checkWritable(final Path file)
    {
        final Path directory = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file))
        {
            throw new UserError(UserError.FAILED, "--html " + file + ": is a directory; name the report file; " +
                "nothing written");
        }
        if (directory == null || !Files.isDirectory(directory))
        {
            throw new UserError(UserError.FAILED, "--html " + file + ": no such directory " + directory +
                "; nothing written");
        }
        if (!Files.isWritable(directory) && !Files.isWritable(file))
        {
            throw new UserError(UserError.FAILED, "--html " + file + ": cannot write in " + directory +
                " (permission denied); nothing written");
        }
    }

    private static void write(final Path file, final String text)
    {
        try
        {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UserError(UserError.FAILED, "--html " + TableSource.describe(ex) + "; nothing written");
        }
    }
}
