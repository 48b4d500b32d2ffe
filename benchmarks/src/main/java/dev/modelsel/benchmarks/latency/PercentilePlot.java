package dev.modelsel.benchmarks.latency;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page with an SVG percentile plot, in the manner of HdrHistogram's plotter: the x axis is
 * the percentile on a log scale of 1 / (1 - percentile), so that 90%, 99%, 99.9% and 99.99% are evenly spaced and
 * the tail is as visible as the median; the y axis is latency in microseconds, also on a log scale, since a
 * nanosecond median and a millisecond stall belong on one picture. Opens in any browser, no network.
 */
public final class PercentilePlot
{
    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;
    private static final int LEFT = 80;
    private static final int RIGHT = 200;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final double MAX_NINES = 5; // up to 99.999%
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};

    private final String title;
    private final String caption;
    private final Map<String, Histogram> series = new LinkedHashMap<>();

    public PercentilePlot(final String title, final String caption)
    {
        this.title = title;
        this.caption = caption;
    }

    /** @param histogram values in nanoseconds. */
    public PercentilePlot add(final String name, final Histogram histogram)
    {
        series.put(name, histogram);
        return this;
    }

    public void write(final Path file) throws IOException
    {
        Files.writeString(file, html(), StandardCharsets.UTF_8);
    }

    String html()
    {
        final double maxMicros = Math.max(0.01, series.values().stream()
            .mapToDouble(h -> h.getMaxValue() / 1000.0).max().orElse(1));
        final double minMicros = Math.max(0.001, series.values().stream().filter(h -> h.getTotalCount() > 0)
            .mapToDouble(h -> h.getMinNonZeroValue() / 1000.0).min().orElse(0.01));
        final double yTop = Math.ceil(Math.log10(maxMicros));
        final double yBottom = Math.min(yTop - 1, Math.floor(Math.log10(minMicros)));
        final StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' " +
            "font-family='sans-serif' font-size='12'>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='25' font-size='16'>%s</text>%n", LEFT, escape(title)));
        axes(svg, yBottom, yTop);
        int colour = 0;
        for (final Map.Entry<String, Histogram> entry : series.entrySet())
        {
            line(svg, entry.getKey(), entry.getValue(), yBottom, yTop, COLOURS[colour % COLOURS.length], colour);
            colour++;
        }
        svg.append("</svg>\n");
        return "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>" + escape(title) + "</title></head>\n" +
            "<body style='font-family: sans-serif'>\n" + svg + "<p>" + escape(caption) + "</p>\n" + table() +
            "</body></html>\n";
    }

    /** @param yBottom and yTop: decades of microseconds (log10). */
    private static void axes(final StringBuilder svg, final double yBottom, final double yTop)
    {
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int plotHeight = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#888'/>%n",
            LEFT, TOP, plotWidth, plotHeight));
        final String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int nines = 0; nines <= MAX_NINES; nines++)
        {
            final double x = LEFT + plotWidth * nines / MAX_NINES;
            svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#ddd'/>%n",
                x, TOP, x, TOP + plotHeight));
            svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>%n",
                x, TOP + plotHeight + 18, labels[nines]));
        }
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>percentile</text>%n",
            LEFT + plotWidth / 2, HEIGHT - 15));
        final int decades = (int)Math.round(yTop - yBottom);
        for (int tick = 0; tick <= decades; tick++)
        {
            final double value = Math.pow(10, yBottom + tick);
            final double y = TOP + plotHeight - plotHeight * tick / (double)decades;
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#eee'/>%n",
                LEFT, y, LEFT + plotWidth, y));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end'>%s</text>%n",
                LEFT - 6, y + 4, trim(value)));
        }
        svg.append(String.format(Locale.ROOT, "<text x='20' y='%d' transform='rotate(-90 20 %d)' " +
            "text-anchor='middle'>latency (µs, log scale)</text>%n", TOP + plotHeight / 2, TOP + plotHeight / 2));
    }

    private static void line(
        final StringBuilder svg,
        final String name,
        final Histogram histogram,
        final double yBottom,
        final double yTop,
        final String colour,
        final int index)
    {
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int plotHeight = HEIGHT - TOP - BOTTOM;
        final List<String> points = new ArrayList<>();
        if (histogram.getTotalCount() > 0)
        {
            for (final HistogramIterationValue v : histogram.percentiles(5))
            {
                final double percentile = Math.min(v.getPercentileLevelIteratedTo(), 99.9999);
                final double nines = Math.min(MAX_NINES, Math.log10(100.0 / (100.0 - percentile)));
                final double x = LEFT + plotWidth * nines / MAX_NINES;
                final double micros = Math.max(Math.pow(10, yBottom), v.getValueIteratedTo() / 1000.0);
                final double y = TOP + plotHeight - plotHeight * (Math.log10(micros) - yBottom) / (yTop - yBottom);
                points.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            }
        }
        svg.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>%n",
            colour, String.join(" ", points)));
        final int legendY = TOP + 10 + index * 20;
        svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='%s' stroke-width='3'/>%n",
            WIDTH - RIGHT + 15, legendY, WIDTH - RIGHT + 35, legendY, colour));
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>%s</text>%n", WIDTH - RIGHT + 40, legendY + 4,
            escape(name)));
    }

    private String table()
    {
        final double[] percentiles = {50, 90, 99, 99.9, 99.99};
        final StringBuilder html = new StringBuilder("<table border='1' cellpadding='4' style='border-collapse: " +
            "collapse'>\n<tr><th>series (µs)</th><th>count</th>");
        for (final double p : percentiles)
        {
            html.append("<th>p").append(trim(p)).append("</th>");
        }
        html.append("<th>max</th></tr>\n");
        series.forEach((name, h) ->
        {
            html.append("<tr><td>").append(escape(name)).append("</td><td>").append(h.getTotalCount()).append("</td>");
            for (final double p : percentiles)
            {
                html.append("<td>").append(trim(h.getValueAtPercentile(p) / 1000.0)).append("</td>");
            }
            html.append("<td>").append(trim(h.getMaxValue() / 1000.0)).append("</td></tr>\n");
        });
        return html.append("</table>\n").toString();
    }

    static String trim(final double value)
    {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : value >= 1 ?
            String.format(Locale.ROOT, "%.2f", value) : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
