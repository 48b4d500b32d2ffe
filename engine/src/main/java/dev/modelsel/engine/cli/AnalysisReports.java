package dev.modelsel.engine.cli;

import dev.modelsel.engine.cost.EscalationAnalysis;
import dev.modelsel.engine.protocol.Json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/** {@code modelsel analyze}'s report as JSON, as a readable table, and as a self-contained HTML page with charts. */
final class AnalysisReports
{
    private static final int CHART_BARS = 25;

    private AnalysisReports()
    {
    }

    /** Exactly: {@code {"categories": {...}, "cost_usd": {"total": x, "by_model": {...}}, "skipped_lines": n}}. */
    static String json(final EscalationAnalysis.Report report)
    {
        final StringBuilder sb = new StringBuilder("{\"categories\": {");
        final String[] separator = {""};
        report.categories().forEach((name, c) ->
        {
            Json.appendString(sb.append(separator[0]), name).append(": {\"phases\": ").append(c.phases())
                .append(", \"escalated\": ").append(c.escalated())
                .append(", \"escalation_rate\": ").append(c.escalationRate())
                .append(", \"raise_complexity\": ").append(c.raiseComplexity()).append('}');
            separator[0] = ", ";
        });
        sb.append("}, \"cost_usd\": {\"total\": ").append(report.totalCostUsd().toPlainString()).append(", \"by_model\": {");
        separator[0] = "";
        report.costByModelUsd().forEach((model, cost) ->
        {
            Json.appendString(sb.append(separator[0]), model).append(": ").append(cost.toPlainString());
            separator[0] = ", ";
        });
        return sb.append("}}, \"skipped_lines\": ").append(report.skippedLines()).append('}').toString();
    }

    static List<String> table(final EscalationAnalysis.Report report)
    {
        final List<String> lines = new ArrayList<>();
        final int categoryWidth = Display.printableWidth(report.categories().keySet(), 8);
        lines.add("Escalations by category (a phase escalated when final_tier < initial_tier; flagged above " +
            report.threshold() + "):");
        lines.add(String.format(Locale.ROOT, "  %-" + categoryWidth + "s %8s %10s %8s  %s", "category", "phases",
            "escalated", "rate", ""));
        report.categories().forEach((name, c) -> lines.add(String.format(Locale.ROOT, "  %-" + categoryWidth +
            "s %8d %10d %7.1f%%  %s", Display.printable(name), c.phases(), c.escalated(), 100 * c.escalationRate(),
            c.raiseComplexity() ? "raise the default complexity" : "")));
        lines.add("");
        lines.add("Cost: $" + Display.money(report.totalCostUsd()) + " in all, each attempt at its own model's price:");
        final int modelWidth = Display.printableWidth(report.costByModelUsd().keySet(), 5);
        byCostDescending(report).forEach(e -> lines.add(String.format(Locale.ROOT, "  %-" + modelWidth + "s %14s%s",
            Display.printable(e.getKey()), "$" + Display.money(e.getValue()), notes(report, e.getKey()))));
        if (!report.pricedByDefaults().isEmpty())
        {
            lines.add("  * not in the catalog: priced with the catalog's defaults");
        }
        if (!report.outputUnpriced().isEmpty())
        {
            lines.add("  + no output price in the catalog: output tokens counted at 0");
        }
        if (report.skippedLines() > 0)
        {
            lines.add("");
            lines.add(report.skippedLines() + (report.skippedLines() == 1 ? " line was" : " lines were") +
                " not a history record and skipped (see stderr).");
        }
        return lines;
    }

    static String html(final EscalationAnalysis.Report report, final String source)
    {
        final StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset='utf-8'>" +
            "<title>modelsel analysis</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1000px}" +
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}" +
            "td:first-child,th:first-child{text-align:left}.flag{color:#b00;font-weight:bold}</style></head><body>\n");
        html.append("<h1>modelsel analysis</h1>\n<p>History: ").append(escape(source)).append(". Total cost: <b>$")
            .append(Display.money(report.totalCostUsd())).append("</b>, every attempt at its own model's price. ")
            .append(report.categories().values().stream().mapToLong(EscalationAnalysis.CategoryReport::phases).sum())
            .append(" phases; ").append(report.skippedLines()).append(" lines skipped.</p>\n");

        html.append("<h2>Cost by model</h2>\n");
        final List<Map.Entry<String, BigDecimal>> costs = byCostDescending(report);
        final List<String> labels = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        for (int i = 0; i < costs.size() && i < CHART_BARS; i++)
        {
            labels.add(costs.get(i).getKey() + notes(report, costs.get(i).getKey()));
            values.add(costs.get(i).getValue().doubleValue());
        }
        if (costs.size() > CHART_BARS)
        {
            labels.add((costs.size() - CHART_BARS) + " other models");
            values.add(costs.subList(CHART_BARS, costs.size()).stream().mapToDouble(e -> e.getValue().doubleValue()).sum());
        }
        html.append(bars(labels, values, new boolean[labels.size()], v -> "$" + trim(v)));
        if (!report.pricedByDefaults().isEmpty())
        {
            html.append("<p>* not in the catalog, priced with its defaults: ")
                .append(escape(String.join(", ", report.pricedByDefaults()))).append("</p>\n");
        }
        if (!report.outputUnpriced().isEmpty())
        {
            html.append("<p>+ no output price in the catalog, output tokens counted at 0: ")
                .append(escape(String.join(", ", report.outputUnpriced()))).append("</p>\n");
        }

        html.append("<h2>Escalation rate by category</h2>\n<p>A phase escalated when it ended in a more capable tier " +
            "than it started in (final_tier &lt; initial_tier). Red: more than ").append(report.threshold())
            .append(" escalations, raise the category's default complexity.</p>\n");
        final List<String> names = new ArrayList<>(report.categories().keySet());
        final List<Double> rates = new ArrayList<>();
        final boolean[] flagged = new boolean[names.size()];
        for (int i = 0; i < names.size(); i++)
        {
            final EscalationAnalysis.CategoryReport c = report.categories().get(names.get(i));
            rates.add(100 * c.escalationRate());
            flagged[i] = c.raiseComplexity();
        }
        html.append(bars(names, rates, flagged, v -> trim(v) + "%"));
        html.append("<table><tr><th>category</th><th>phases</th><th>escalated</th><th>rate</th><th></th></tr>\n");
        report.categories().forEach((name, c) -> html.append("<tr><td>").append(escape(name)).append("</td><td>")
            .append(c.phases()).append("</td><td>").append(c.escalated()).append("</td><td>")
            .append(trim(100 * c.escalationRate())).append("%</td><td class='flag'>")
            .append(c.raiseComplexity() ? "raise the default complexity" : "").append("</td></tr>\n"));
        html.append("</table>\n");
        if (!report.skipped().isEmpty())
        {
            html.append("<h2>Skipped lines</h2>\n<table><tr><th>line</th><th>why</th></tr>\n");
            report.skipped().forEach(s -> html.append("<tr><td>").append(s.line()).append("</td><td>")
                .append(escape(s.why())).append("</td></tr>\n"));
            html.append("</table>\n");
            if (report.skippedLines() > report.skipped().size())
            {
                html.append("<p>").append(report.skippedLines() - report.skipped().size())
                    .append(" more lines skipped, not listed.</p>\n");
            }
        }
        return html.append("</body></html>\n").toString();
    }

    /** A horizontal bar chart as inline SVG. */
    private static String bars(
        final List<String> labels, final List<Double> values, final boolean[] flagged,
        final DoubleFunction<String> format)
    {
        final int labelWidth = 320;
        final int barWidth = 480;
        final int row = 22;
        final double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        final StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
            "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>%n",
            labelWidth + barWidth + 120, Math.max(1, labels.size()) * row + 10));
        for (int i = 0; i < labels.size(); i++)
        {
            final double width = max == 0 ? 0 : barWidth * values.get(i) / max;
            final int y = 5 + i * row;
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='end'>%s</text>%n",
                labelWidth - 8, y + 14, escape(labels.get(i))));
            svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%.1f' height='%d' fill='%s'/>%n",
                labelWidth, y + 2, width, row - 6, flagged[i] ? "#c0392b" : "#2e86c1"));
            svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d'>%s</text>%n", labelWidth + width + 6, y + 14,
                escape(format.apply(values.get(i)))));
        }
        return svg.append("</svg>\n").toString();
    }

    private static List<Map.Entry<String, BigDecimal>> byCostDescending(final EscalationAnalysis.Report report)
    {
        final List<Map.Entry<String, BigDecimal>> costs = new ArrayList<>(report.costByModelUsd().entrySet());
        costs.sort((a, b) -> b.getValue().compareTo(a.getValue()) != 0 ? b.getValue().compareTo(a.getValue()) :
            a.getKey().compareTo(b.getKey()));
        return costs;
    }

    private static String notes(final EscalationAnalysis.Report report, final String model)
    {
        return (report.pricedByDefaults().contains(model) ? " *" : "") + (report.outputUnpriced().contains(model) ? " +" : "");
    }

    private static String trim(final double value)
    {
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
