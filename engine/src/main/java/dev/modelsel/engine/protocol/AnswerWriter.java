package dev.modelsel.engine.protocol;

import dev.modelsel.engine.Selection;

/**
 * The answer lines of the {@code run} protocol (SPEC §4), appended to a reused builder:
 * {@code {"status": S, "model": id|null, "tier": n|null, "initial_tier": n, "fallback": F|null, "retry_at_ms": n|null}}.
 */
public final class AnswerWriter
{
    private AnswerWriter()
    {
    }

    public static StringBuilder selection(final StringBuilder out, final Selection selection)
    {
        out.append("{\"status\": \"").append(selection.status().name()).append("\", \"model\": ");
        Json.appendString(out, selection.modelId());
        out.append(", \"tier\": ");
        if (selection.tier() == Selection.NO_TIER)
        {
            out.append("null");
        }
        else
        {
            out.append(selection.tier());
        }
        out.append(", \"initial_tier\": ").append(selection.initialTier()).append(", \"fallback\": ");
        if (selection.fallback() == null)
        {
            out.append("null");
        }
        else
        {
            out.append('"').append(selection.fallback().name()).append('"');
        }
        out.append(", \"retry_at_ms\": ");
        if (selection.hasRetryAt())
        {
            out.append(selection.retryAtMs());
        }
        else
        {
            out.append("null");
        }
        return out.append('}');
    }

    public static StringBuilder ok(final StringBuilder out)
    {
        return out.append("{\"status\": \"OK\"}");
    }

    /** A request that could not be served through no fault of its own (a stuck shared table). */
    public static StringBuilder error(final StringBuilder out, final String error)
    {
        out.append("{\"status\": \"ERROR\", \"error\": ");
        return Json.appendString(out, error).append('}');
    }

    public static StringBuilder invalid(final StringBuilder out, final String error)
    {
        out.append("{\"status\": \"INVALID_REQUEST\", \"error\": ");
        return Json.appendString(out, error).append('}');
    }
}
