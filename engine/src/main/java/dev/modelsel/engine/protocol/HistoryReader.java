package dev.modelsel.engine.protocol;

import dev.modelsel.engine.cost.EscalationAnalysis;
import dev.modelsel.engine.cost.PhaseOutcome;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads an execution history, one JSON object per line (the {@code record} op's fields), into an
 * {@link EscalationAnalysis}. A line that is not a record is skipped and reported with its line number; it never
 * ends the reading. Blank lines are ignored.
 */
public final class HistoryReader
{
    private HistoryReader()
    {
    }

    public static void read(final InputStream in, final EscalationAnalysis analysis) throws IOException
    {
        final RequestParser parser = new RequestParser();
        final Request request = new Request();
        final PhaseOutcome outcome = new PhaseOutcome();
        final BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        long number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine())
        {
            number++;
            if (line.isBlank())
            {
                continue;
            }
            final byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            String problem = parser.parse(bytes, 0, bytes.length, request);
            if (problem == null)
            {
                problem = RecordFields.read(request, outcome);
            }
            if (problem != null)
            {
                analysis.skip(number, problem);
            }
            else
            {
                analysis.add(outcome);
            }
        }
    }
}
