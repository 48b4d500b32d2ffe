package dev.modelsel.engine.protocol;

import dev.modelsel.engine.cost.EscalationAnalysis;
import dev.modelsel.engine.cost.PhaseOutcome;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an execution history, one JSON object per line (the {@code record} op's fields), into an
 * {@link EscalationAnalysis}. Lines are framed, parsed and checked exactly as {@code run}'s requests are
 * ({@link RunLoop#forEachLine}, {@link RequestParser}, {@link RecordFields}): a line ends at {@code \n} only, its
 * bytes must be UTF-8, and its tiers must be the catalog's. A line that is not a record is skipped and reported with
 * its line number; it never ends the reading. Blank lines are ignored.
 * <p>
 * Stateless; each call reads on the calling thread.
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
        final int tierCount = analysis.catalog().tierCount();
        RunLoop.forEachLine(in, new RunLoop.Lines()
        {
            @Override
            public void line(final long number, final byte[] buffer, final int offset, final int length)
            {
                String problem = parser.parse(buffer, offset, length, request);
                if (problem == null)
                {
                    problem = RecordFields.read(request, tierCount, outcome);
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

            @Override
            public void tooLong(final long number)
            {
                analysis.skip(number, "longer than " + RunLoop.MAX_LINE_BYTES + " bytes, the most a history line may " +
                    "hold; skipped to its end");
            }
        });
    }
}
