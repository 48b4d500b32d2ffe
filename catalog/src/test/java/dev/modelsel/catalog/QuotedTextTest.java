package dev.modelsel.catalog;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuotedTextTest
{
    @Test
    void shouldQuoteShortTextWhole()
    {
        assertEquals("\"gpt-4o\"", QuotedText.of("gpt-4o"));
        assertEquals("\"" + "a".repeat(64) + "\"", QuotedText.of("a".repeat(64)));
    }

    @Test
    void shouldCutLongTextToItsStartAndAnEllipsis()
    {
        assertEquals("\"" + "a".repeat(64) + "…\"", QuotedText.of("a".repeat(65)));
        assertEquals("\"" + "b".repeat(64) + "…\"", QuotedText.of("b".repeat(1_000_000)));
    }

    @Test
    void shouldNotSplitACharacterOutsideTheBasicPlane()
    {
        final String text = "a".repeat(63) + "\uD83D\uDE00" + "z";
        assertEquals("a".repeat(63) + "…", QuotedText.excerpt(text));
    }
}
