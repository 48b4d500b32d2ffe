package dev.modelsel.engine.protocol;

import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.reference.ReferenceProtocol;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC §4's framing and error answers: one answer per non-blank line, in order, each flushed before the next read. */
class RunProtocolTest
{
    private static final String SONNET = "claude-3-sonnet-20240229";

    private RunSession session;

    @BeforeEach
    void setUp()
    {
        session = new RunSession(Selector.create(CatalogLoader.loadDefault().compile(), new InMemoryAvailabilityTable()),
            () -> 1_000L);
    }

    @Test
    void shouldAnswerEachNonBlankLineInOrderAndSkipBlankOnes() throws IOException
    {
        final String input = "\n{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 8000}\r\n   \n" +
            "garbage\n\t\n{\"op\": \"set_down\", \"model\": \"x\"}";
        final List<String> answers = run(input);
        assertEquals(3, answers.size(), answers.toString());
        assertEquals("OK", status(answers.get(0)));
        assertEquals("INVALID_REQUEST", status(answers.get(1)));
        assertTrue(answers.get(1).contains("line 4: not valid JSON"), answers.get(1));
        assertEquals("{\"status\": \"OK\"}", answers.get(2), "the last line needs no line break");
    }

    @Test
    void shouldNameTheProblemOfEachInvalidRequest()
    {
        assertInvalid("not a JSON object", "[1, 2]");
        assertInvalid("missing op", "{\"complexity\": \"low\", \"tokens\": 1}");
        assertInvalid("unknown op \"pick\"", "{\"op\": \"pick\"}");
        assertInvalid("op must be a string, got 5", "{\"op\": 5}");
        assertInvalid("missing tokens", "{\"op\": \"select\", \"complexity\": \"low\"}");
        assertInvalid("missing tokens", "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": null}");
        assertInvalid("tokens must be a non-negative integer, got 1.5",
            "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 1.5}");
        assertInvalid("tokens must be a non-negative integer, got \"10\"",
            "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": \"10\"}");
        assertInvalid("tokens must be a non-negative integer, got -5",
            "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": -5}");
        assertInvalid("now_ms must be a non-negative integer, got true",
            "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 5, \"now_ms\": true}");
        assertInvalid("complexity must be low, medium or high, got \"LOW\"",
            "{\"op\": \"select\", \"complexity\": \"LOW\", \"tokens\": 5}");
        assertInvalid("trigger must be token_overflow, phase_failure or quality, got \"boredom\"",
            "{\"op\": \"escalate\", \"complexity\": \"low\", \"tokens\": 5, \"model\": \"" + SONNET +
                "\", \"tier\": 1, \"trigger\": \"boredom\"}");
        assertInvalid("missing retry_count", "{\"op\": \"escalate\", \"complexity\": \"low\", \"tokens\": 5, \"model\": \"" +
            SONNET + "\", \"tier\": 1, \"trigger\": \"phase_failure\"}");
        assertInvalid("quality_score must be a number, got \"0.5\"", "{\"op\": \"escalate\", \"complexity\": \"low\", " +
            "\"tokens\": 5, \"model\": \"" + SONNET + "\", \"tier\": 1, \"trigger\": \"quality\", \"quality_score\": \"0.5\"}");
        assertInvalid("model \"gpt-5\" is listed in no tier of the catalog", "{\"op\": \"rate_limited\", \"complexity\": " +
            "\"low\", \"tokens\": 5, \"model\": \"gpt-5\", \"tier\": 1, \"retry_after_ms\": 10}");
        assertInvalid("tier 4 does not exist (the catalog has tiers 1..3)", "{\"op\": \"rate_limited\", \"complexity\": " +
            "\"low\", \"tokens\": 5, \"model\": \"" + SONNET + "\", \"tier\": 4, \"retry_after_ms\": 10}");
        assertInvalid("model must not be empty", "{\"op\": \"set_up\", \"model\": \"\"}");
        assertInvalid("missing until_ms", "{\"op\": \"set_rate_limited\", \"model\": \"a\"}");
        assertInvalid("not a single JSON object", "{\"op\": \"set_up\", \"model\": \"a\"} {}");
    }

    @Test
    void shouldIgnoreExtraFieldsAndFieldsTheOpDoesNotUse()
    {
        assertEquals("OK", status(session.handle(1, "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 5, " +
            "\"why\": {\"nested\": [1, {}]}, \"tier\": \"not used\", \"model\": 42}")));
        assertEquals("OK", status(session.handle(2, "{\"op\": \"escalate\", \"complexity\": \"high\", \"tokens\": 5, " +
            "\"model\": \"" + SONNET + "\", \"tier\": 1, \"trigger\": \"token_overflow\", \"retry_count\": \"x\"}")));
    }

    @Test
    void shouldRefuseARequestThatGivesAKeyTwiceInsteadOfTakingTheLast()
    {
        assertInvalid("the key \"op\" is given twice; give it once",
            "{\"op\": \"select\", \"op\": \"set_down\", \"model\": \"" + SONNET + "\"}");
        assertTrue(session.handle(8, "{\"op\": \"select\", \"complexity\": \"medium\", \"tokens\": 50000}")
            .contains(SONNET), "the refused set_down was not carried out");
        assertInvalid("the key \"tokens\" is given twice",
            "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 5, \"tokens\": 900000000}");
        assertInvalid("the key \"why\" is given twice", "{\"op\": \"select\", \"why\": {\"a\": 1}, " +
            "\"complexity\": \"low\", \"why\": [2], \"tokens\": 5}");
        assertInvalid("the key \"k\" is given twice", "{\"op\": \"select\", \"complexity\": \"low\", " +
            "\"tokens\": 5, \"extra\": {\"k\": 1, \"k\": 2}}");
    }

    @Test
    void shouldSaturateIntegersBeyondALong()
    {
        final String answer = session.handle(1, "{\"op\": \"select\", \"complexity\": \"low\", " +
            "\"tokens\": 100000000000000000000000}");
        assertEquals("NO_MODEL_FITS", status(answer));
    }

    @Test
    void shouldKeepACooldownToADayAheadAndSaturateAtTheEndOfTime()
    {
        final String sonnet = "\"model\": \"" + SONNET + "\"";
        final String answer = session.handle(1, "{\"op\": \"rate_limited\", \"complexity\": \"high\", " +
            "\"tokens\": 145000, " + sonnet + ", \"tier\": 1, \"retry_after_ms\": 9223372036854775000, \"now_ms\": 10000}");
        assertEquals("OK", status(answer), "opus takes over");
        final String select = "{\"op\": \"select\", \"complexity\": \"high\", \"tokens\": 145000, \"now_ms\": ";
        assertTrue(session.handle(2, select + (10_000 + 86_400_000 - 1) + "}").contains("opus"), "cooling a day");
        assertTrue(session.handle(3, select + (10_000 + 86_400_000) + "}").contains(SONNET),
            "kept to a day after the writer's clock (SPEC §3), not 292 million years");
        session.handle(4, "{\"op\": \"rate_limited\", \"complexity\": \"high\", \"tokens\": 145000, " + sonnet +
            ", \"tier\": 1, \"retry_after_ms\": 10, \"now_ms\": 9223372036854775800}");
        final String wait = session.handle(5, "{\"op\": \"rate_limited\", \"complexity\": \"high\", " +
            "\"tokens\": 145000, \"model\": \"claude-3-opus-20240229\", \"tier\": 1, \"retry_after_ms\": 10, " +
            "\"now_ms\": 9223372036854775800}");
        assertTrue(wait.contains("\"status\": \"WAIT\"") && wait.contains("\"retry_at_ms\": 9223372036854775807"), wait);
    }

    @Test
    void shouldKeepASetRateLimitedDeadlineToADayAfterTheRequestsClock()
    {
        session.handle(1, "{\"op\": \"set_rate_limited\", \"model\": \"" + SONNET + "\", \"until_ms\": " +
            "9223372036854775807, \"now_ms\": 5000}");
        final String select = "{\"op\": \"select\", \"complexity\": \"high\", \"tokens\": 145000, \"now_ms\": ";
        assertTrue(session.handle(2, select + (5_000 + 86_400_000 - 1) + "}").contains("opus"));
        assertTrue(session.handle(3, select + (5_000 + 86_400_000) + "}").contains(SONNET));
    }

    @Test
    void shouldRecordAPhaseAndAnswerItsCost()
    {
        final String answer = session.handle(1, "{\"op\": \"record\", \"category\": \"docs\", \"complexity\": \"low\", " +
            "\"initial_tier\": 3, \"final_tier\": 3, \"model\": \"claude-3-haiku-20240307\", \"input_tokens\": 8000, " +
            "\"output_tokens\": 1200, \"success\": true, \"quality_score\": 0.9, \"attempt\": 1}");
        assertEquals("{\"status\": \"OK\", \"cost_usd\": 0.002}", answer, "8000 x $0.25/Mtok; no output price: 0");
        final String unknown = session.handle(2, "{\"op\": \"record\", \"category\": \"docs\", \"complexity\": \"low\", " +
            "\"initial_tier\": 3, \"final_tier\": 2, \"model\": \"someone-else\", \"input_tokens\": 3, " +
            "\"output_tokens\": 0, \"success\": false}");
        assertEquals("{\"status\": \"OK\", \"cost_usd\": 0.000015}", unknown, "priced with the defaults: $5/Mtok");
        assertInvalid("missing success", "{\"op\": \"record\", \"category\": \"docs\", \"complexity\": \"low\", " +
            "\"initial_tier\": 3, \"final_tier\": 3, \"model\": \"m\", \"input_tokens\": 1, \"output_tokens\": 1}");
        assertInvalid("initial_tier and final_tier must be tiers of the catalog, 1..3; got 3 and 4", "{\"op\": " +
            "\"record\", \"category\": \"docs\", \"complexity\": \"low\", \"initial_tier\": 3, \"final_tier\": 4, " +
            "\"model\": \"m\", \"input_tokens\": 1, \"output_tokens\": 1, \"success\": true}");
        assertInvalid("category must not be empty", "{\"op\": \"record\", \"category\": \"\", \"complexity\": " +
            "\"low\", \"initial_tier\": 3, \"final_tier\": 3, \"model\": \"m\", \"input_tokens\": 1, " +
            "\"output_tokens\": 1, \"success\": true}");
    }

    @Test
    void shouldEscapeIdsInAnswers()
    {
        final StringBuilder out = Json.appendString(new StringBuilder(), "a\"b\\c\n\u0001é");
        assertEquals("\"a\\\"b\\\\c\\n\\u0001é\"", out.toString());
    }

    @Test
    void shouldFlushEveryAnswerBeforeWaitingForMoreInput() throws IOException
    {
        final List<String> flushedBeforeRead = new ArrayList<>();
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final OutputStream out = new OutputStream()
        {
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

            @Override
            public void write(final int b)
            {
                pending.write(b);
            }

            @Override
            public void write(final byte[] b, final int off, final int len)
            {
                pending.write(b, off, len);
            }

            @Override
            public void flush()
            {
                written.writeBytes(pending.toByteArray());
                pending.reset();
            }
        };
        final String[] lines = {
            "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 1}\n",
            "{\"op\": \"select\", \"complexity\": \"high\", \"tokens\": 1}\n",
        };
        final InputStream in = new InputStream()
        {
            private int next;

            @Override
            public int read()
            {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(final byte[] b, final int off, final int len)
            {
                flushedBeforeRead.add(written.toString(StandardCharsets.UTF_8));
                if (next == lines.length)
                {
                    return -1;
                }
                final byte[] line = lines[next++].getBytes(StandardCharsets.UTF_8);
                System.arraycopy(line, 0, b, off, line.length);
                return line.length;
            }
        };
        RunLoop.run(in, out, session);
        assertEquals(3, flushedBeforeRead.size());
        assertEquals("", flushedBeforeRead.get(0));
        assertEquals(1, flushedBeforeRead.get(1).split("\n").length, "the first answer is out before the second read");
        assertEquals(2, flushedBeforeRead.get(2).split("\n").length);
    }

    @Test
    void shouldReadLinesLongerThanItsBuffer() throws IOException
    {
        final String padding = " ".repeat(200_000);
        final List<String> answers = run("{\"op\": \"select\"," + padding + "\"complexity\": \"low\", \"tokens\": 1}\n");
        assertEquals(1, answers.size());
        assertEquals("OK", status(answers.get(0)));
    }

    @Test
    void shouldAnswerALineAtTheCapAndRefuseALineOneByteOver() throws IOException
    {
        final String request = "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 1}";
        final String atCap = request + " ".repeat(RunLoop.MAX_LINE_BYTES - request.length());
        final String blankOver = " ".repeat(2 * RunLoop.MAX_LINE_BYTES);
        final List<String> answers = run(atCap + "\n" + atCap + " \n" + blankOver + "\n" + request + "\n" + atCap + " ");
        assertEquals(4, answers.size(), "one answer per non-blank line, a blank one of 2 MiB included");
        assertEquals("OK", status(answers.get(0)));
        assertEquals("{\"status\": \"INVALID_REQUEST\", \"error\": \"line 2: longer than 1048576 bytes, the most a " +
            "request line may hold; skipped to its end\"}", answers.get(1));
        assertEquals("OK", status(answers.get(2)), "the line after a blank one too long is read whole");
        assertTrue(answers.get(3).startsWith("{\"status\": \"INVALID_REQUEST\", \"error\": \"line 5: longer than"),
            "a last line without a line break is measured too: " + answers.get(3));
    }

    @Test
    void shouldSkipAHugeLineInLinearTimeWithoutKeepingIt() throws IOException
    {
        final byte[] before = "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 1}\n".getBytes(StandardCharsets.UTF_8);
        final byte[] after = "{\"op\": \"set_up\", \"model\": \"a\"}\n".getBytes(StandardCharsets.UTF_8);
        final long hugeBytes = 256L << 20;
        final int[] largestRead = {0};
        // a pipe's worth per read, as stdin gives it; the old loop rescanned its whole buffer after each one and
        // doubled the buffer to hold the line (quadratic time, and 512 MiB for this line)
        final InputStream in = new InputStream()
        {
            private final long total = before.length + hugeBytes + 1 + after.length;
            private long position;

            @Override
            public int read()
            {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(final byte[] b, final int off, final int len)
            {
                largestRead[0] = Math.max(largestRead[0], len);
                if (position == total)
                {
                    return -1;
                }
                final int n = (int)Math.min(Math.min(len, 64 * 1024), total - position);
                for (int i = 0; i < n; i++, position++)
                {
                    b[off + i] = byteAt(position);
                }
                return n;
            }

            private byte byteAt(final long at)
            {
                if (at < before.length)
                {
                    return before[(int)at];
                }
                final long inHuge = at - before.length;
                if (inHuge < hugeBytes)
                {
                    return inHuge == 0 ? (byte)'{' : (byte)'x';
                }
                return inHuge == hugeBytes ? (byte)'\n' : after[(int)(inHuge - hugeBytes - 1)];
            }
        };
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> RunLoop.run(in, out, session));
        final List<String> answers = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
        assertEquals(3, answers.size(), answers.toString());
        assertEquals("OK", status(answers.get(0)));
        assertTrue(answers.get(1).startsWith("{\"status\": \"INVALID_REQUEST\", \"error\": \"line 2: longer than"),
            answers.get(1));
        assertEquals("{\"status\": \"OK\"}", answers.get(2));
        assertTrue(largestRead[0] <= RunLoop.MAX_LINE_BYTES + 1, "never a buffer larger than a line may be: " +
            largestRead[0]);
    }

    @Test
    void shouldQuoteOnlyTheStartOfAHugeValueInAnErrorAnswer()
    {
        final String huge = "v".repeat(500_000);
        final String shown = "\\\"" + "v".repeat(64) + "…\\\"";
        final String[] requests = {
            "{\"op\": \"" + huge + "\"}",
            "{\"op\": \"select\", \"complexity\": \"" + huge + "\", \"tokens\": 1}",
            "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": \"" + huge + "\"}",
            "{\"op\": \"escalate\", \"complexity\": \"low\", \"tokens\": 5, \"model\": \"" + SONNET +
                "\", \"tier\": 1, \"trigger\": \"" + huge + "\"}",
            "{\"op\": \"rate_limited\", \"complexity\": \"low\", \"tokens\": 5, \"model\": \"" + huge +
                "\", \"tier\": 1, \"retry_after_ms\": 10}",
            "{\"op\": \"record\", \"category\": \"docs\", \"complexity\": \"" + huge + "\", \"initial_tier\": 1, " +
                "\"final_tier\": 1, \"model\": \"m\", \"input_tokens\": 1, \"output_tokens\": 1, \"success\": true}",
            "{\"op\": " + huge + "}",
        };
        for (final String request : requests)
        {
            final String answer = session.handle(7, request);
            final String start = answer.substring(0, Math.min(answer.length(), 300));
            assertEquals("INVALID_REQUEST", status(answer), start);
            assertTrue(answer.length() < 300 && answer.contains(shown), start);
        }
        final String number = session.handle(8, "{\"op\": \"select\", \"complexity\": \"low\", \"tokens\": 0." +
            "5".repeat(900) + "}");
        assertTrue(number.length() < 300 && number.contains("got 0.555"), number.substring(0, Math.min(number.length(), 300)));
    }

    private List<String> run(final String input) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunLoop.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, session);
        final String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n"), "every answer ends its line");
        return List.of(text.split("\n"));
    }

    private void assertInvalid(final String problem, final String request)
    {
        final String answer = session.handle(7, request);
        assertEquals("INVALID_REQUEST", status(answer), request);
        assertTrue(answer.contains("\"line 7: " + problem.replace("\"", "\\\"")), answer);
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
