package dev.modelsel.engine.protocol;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.cost.EscalationAnalysis;
import dev.modelsel.engine.cost.InMemoryPhaseCounters;
import dev.modelsel.engine.cost.PhaseCounters;
import dev.modelsel.engine.cost.PhaseOutcome;
import dev.modelsel.engine.cost.Pricing;
import dev.modelsel.engine.reference.ReferenceProtocol;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token counts past {@link PhaseOutcome#MAX_TOKENS} and attempt numbers past {@link PhaseOutcome#MAX_ATTEMPT} are
 * refused by run's record and skipped by analyze, never clamped.
 */
class RecordBoundsTest
{
    private static final String HUGE = "99999999999999999999999";
    private static final BigInteger BOUND = BigInteger.valueOf(PhaseOutcome.MAX_TOKENS);

    private final InMemoryPhaseCounters counters = new InMemoryPhaseCounters();
    private RunSession session;

    @BeforeEach
    void setUp()
    {
        session = new RunSession(Selector.create(CatalogLoader.loadDefault().compile(), new InMemoryAvailabilityTable()),
            () -> 1_000L, () -> { }, counters);
    }

    @Test
    void shouldRefuseARecordPastTheBoundInsteadOfClampingIt()
    {
        final String answer = session.handle(3, record(HUGE, "1"));
        assertEquals("INVALID_REQUEST", status(answer), answer);
        assertTrue(answer.contains("line 3: input_tokens must be at most 1000000000000, got " + HUGE), answer);
        assertEquals("INVALID_REQUEST", status(session.handle(4, record("1", HUGE))));
        assertEquals("INVALID_REQUEST", status(session.handle(5, record("1", "1000000000001"))));
        assertEquals("OK", status(session.handle(6, record("1000000000000", "1000000000000"))), "the bound itself");
        final Map<String, PhaseCounters.ModelCounts> models = new HashMap<>();
        counters.forEachModel(models::put);
        assertEquals(1, models.get("claude-3-haiku-20240307").attempts(), "nothing refused was counted");
        assertEquals(PhaseOutcome.MAX_TOKENS, models.get("claude-3-haiku-20240307").inputTokens());
    }

    @Test
    void shouldNotEchoANumberOfHundredsOfDigitsWhole()
    {
        final String digits = "7".repeat(900);
        final String answer = session.handle(1, record(digits, "1"));
        assertEquals("INVALID_REQUEST", status(answer), answer);
        assertTrue(answer.length() < 300 && answer.contains("(900 digits)"), answer);
    }

    @Test
    void shouldSkipAHistoryLinePastTheBoundWithItsLineNumber() throws IOException
    {
        final String history = line("5", "5") + line(HUGE, "5") + line("5", "1000000000001") + line("5", "5");
        final EscalationAnalysis.Report report = analyze(history);
        assertEquals(List.of(2L, 3L), report.skipped().stream().map(EscalationAnalysis.Skipped::line)
            .collect(Collectors.toList()));
        assertTrue(report.skipped().get(0).why().contains("input_tokens must be at most 1000000000000"),
            report.skipped().get(0).why());
        assertEquals(2, report.categories().get("c").phases());
    }

    @Test
    void shouldRefuseTokenCountsPastTheBoundFromTheLibraryToo()
    {
        final PhaseOutcome outcome = new PhaseOutcome();
        assertThrows(IllegalArgumentException.class, () -> outcome.set("c", dev.modelsel.catalog.Complexity.LOW, 1, 1,
            "m", PhaseOutcome.MAX_TOKENS + 1, 0, true));
        assertThrows(IllegalArgumentException.class, () -> outcome.set("c", dev.modelsel.catalog.Complexity.LOW, 1, 1,
            "m", 0, -1, true));
    }

    @Test
    void shouldRefuseAnAttemptPastItsBoundInsteadOfClampingIt() throws IOException
    {
        final String past = String.valueOf(PhaseOutcome.MAX_ATTEMPT + 1);
        final String answer = session.handle(3, withAttempt(record("1", "1"), past));
        assertEquals("INVALID_REQUEST", status(answer), answer);
        assertTrue(answer.contains("line 3: attempt must be at most 1000000, got 1000001"), answer);
        assertEquals("INVALID_REQUEST", status(session.handle(4, withAttempt(record("1", "1"), HUGE))),
            "past 2^63, where a clamp to Integer.MAX_VALUE used to take it");
        assertEquals("INVALID_REQUEST", status(session.handle(5, withAttempt(record("1", "1"), "2147483648"))));
        assertEquals("OK", status(session.handle(6, withAttempt(record("1", "1"), "1000000"))), "the bound itself");
        assertEquals("OK", status(session.handle(7, withAttempt(record("1", "1"), "0"))));
        final Map<String, PhaseCounters.ModelCounts> models = new HashMap<>();
        counters.forEachModel(models::put);
        assertEquals(2, models.get("claude-3-haiku-20240307").attempts(), "nothing refused was counted");

        final String history = withAttempt(line("5", "5"), "2") + withAttempt(line("5", "5"), past) +
            withAttempt(line("5", "5"), HUGE) + withAttempt(line("5", "5"), "1000000");
        final EscalationAnalysis.Report report = analyze(history);
        assertEquals(List.of(2L, 3L), report.skipped().stream().map(EscalationAnalysis.Skipped::line)
            .collect(Collectors.toList()));
        assertTrue(report.skipped().get(0).why().contains("attempt must be at most 1000000, got 1000001"),
            report.skipped().get(0).why());
        assertEquals(2, report.categories().get("c").phases());
    }

    @Test
    void shouldRefuseAttemptsPastTheBoundFromTheLibraryToo()
    {
        final PhaseOutcome outcome = new PhaseOutcome().set("c", dev.modelsel.catalog.Complexity.LOW, 1, 1, "m", 0, 0,
            true);
        assertThrows(IllegalArgumentException.class, () -> outcome.attempt(PhaseOutcome.MAX_ATTEMPT + 1));
        assertThrows(IllegalArgumentException.class, () -> outcome.attempt(-2));
        assertEquals(PhaseOutcome.MAX_ATTEMPT, outcome.attempt(PhaseOutcome.MAX_ATTEMPT).attempt());
    }

    /** Seeded values around the bound and around 2^63 and 2^64, against a plain BigInteger reference. */
    @Test
    void shouldAcceptExactlyTheValuesAPlainReferenceAccepts() throws IOException
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final String where = "seed " + seed;
        final StringBuilder history = new StringBuilder();
        final List<Long> expectedSkipped = new ArrayList<>();
        BigInteger input = BigInteger.ZERO;
        BigInteger output = BigInteger.ZERO;
        for (int i = 1; i <= 500; i++)
        {
            final BigInteger in = aroundABound(random);
            final BigInteger out = aroundABound(random);
            final boolean fits = in.compareTo(BOUND) <= 0 && out.compareTo(BOUND) <= 0;
            final String answer = session.handle(i, record(in.toString(), out.toString()));
            assertEquals(fits ? "OK" : "INVALID_REQUEST", status(answer), where + ": " + in + ", " + out + ": " + answer);
            if (fits)
            {
                input = input.add(in);
                output = output.add(out);
            }
            else
            {
                expectedSkipped.add((long)i);
            }
            history.append(line(in.toString(), out.toString()));
        }
        final Map<String, PhaseCounters.ModelCounts> models = new HashMap<>();
        counters.forEachModel(models::put);
        final PhaseCounters.ModelCounts counts = models.get("claude-3-haiku-20240307");
        assertEquals(input.longValueExact(), counts == null ? 0 : counts.inputTokens(), where);
        assertEquals(output.longValueExact(), counts == null ? 0 : counts.outputTokens(), where);
        final EscalationAnalysis.Report report = analyze(history.toString());
        assertEquals(expectedSkipped.size(), report.skippedLines(), where);
        assertEquals(expectedSkipped.subList(0, Math.min(expectedSkipped.size(), EscalationAnalysis.MAX_SKIPPED_LISTED)),
            report.skipped().stream().map(EscalationAnalysis.Skipped::line).collect(Collectors.toList()), where);
    }

    private static BigInteger aroundABound(final Random random)
    {
        final BigInteger offset = BigInteger.valueOf(random.nextInt(2_001) - 1_000);
        switch (random.nextInt(4))
        {
            case 0:
                return BOUND.add(offset);
            case 1:
                return BigInteger.ONE.shiftLeft(63).add(offset);
            case 2:
                return BigInteger.ONE.shiftLeft(64).add(offset);
            default:
                return BigInteger.valueOf(random.nextInt(100_000));
        }
    }

    private static String record(final String inputTokens, final String outputTokens)
    {
        return "{\"op\": \"record\", \"category\": \"c\", \"complexity\": \"low\", \"initial_tier\": 3, " +
            "\"final_tier\": 3, \"model\": \"claude-3-haiku-20240307\", \"input_tokens\": " + inputTokens +
            ", \"output_tokens\": " + outputTokens + ", \"success\": true}";
    }

    /** The record or history line with an {@code attempt} field added last. */
    private static String withAttempt(final String recordOrLine, final String attempt)
    {
        final int end = recordOrLine.lastIndexOf('}');
        return recordOrLine.substring(0, end) + ", \"attempt\": " + attempt + recordOrLine.substring(end);
    }

    private static String line(final String inputTokens, final String outputTokens)
    {
        return "{\"category\": \"c\", \"complexity\": \"low\", \"initial_tier\": 3, \"final_tier\": 3, \"model\": " +
            "\"claude-3-haiku-20240307\", \"input_tokens\": " + inputTokens + ", \"output_tokens\": " + outputTokens +
            ", \"success\": true}\n";
    }

    private static EscalationAnalysis.Report analyze(final String history) throws IOException
    {
        final EscalationAnalysis analysis = new EscalationAnalysis(
            new Pricing(CatalogLoader.loadDefault().compile()), EscalationAnalysis.DEFAULT_THRESHOLD);
        HistoryReader.read(new ByteArrayInputStream(history.getBytes(StandardCharsets.UTF_8)), analysis);
        return analysis.report();
    }

    private static String status(final String answer)
    {
        try
        {
            return (String)ReferenceProtocol.JSON.readValue(answer, Map.class).get("status");
        }
        catch (final IOException ex)
        {
            throw new AssertionError("not JSON: " + answer, ex);
        }
    }
}
