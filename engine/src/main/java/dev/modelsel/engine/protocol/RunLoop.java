package dev.modelsel.engine.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Streams a {@link RunSession} over byte streams: every non-blank input line gets exactly one answer line, in
 * order. Output is flushed whenever the input has nothing more buffered, before the loop could block on a read:
 * an interactive caller gets each answer as its line arrives, and a piped file is answered in large writes.
 */
public final class RunLoop
{
    private static final int INITIAL_BUFFER = 64 * 1024;

    private RunLoop()
    {
    }

    /** Runs until the input ends; the output is flushed, not closed. */
    public static void run(final InputStream in, final OutputStream out, final RunSession session) throws IOException
    {
        byte[] buffer = new byte[INITIAL_BUFFER];
        int start = 0;
        int end = 0;
        long lineNumber = 0;
        while (true)
        {
            int newline = indexOf(buffer, start, end, (byte)'\n');
            while (newline >= 0)
            {
                serve(session, ++lineNumber, buffer, start, newline, out);
                start = newline + 1;
                newline = indexOf(buffer, start, end, (byte)'\n');
            }
            if (start > 0)
            {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.length)
            {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            out.flush();
            final int read = in.read(buffer, end, buffer.length - end);
            if (read < 0)
            {
                if (end > 0)
                {
                    serve(session, ++lineNumber, buffer, 0, end, out);
                }
                out.flush();
                return;
            }
            end += read;
        }
    }

    private static void serve(
        final RunSession session, final long lineNumber, final byte[] buffer, final int start, final int end,
        final OutputStream out) throws IOException
    {
        int last = end;
        while (last > start && (buffer[last - 1] == '\r'))
        {
            last--;
        }
        if (isBlank(buffer, start, last))
        {
            return;
        }
        final CharSequence answer = session.handle(lineNumber, buffer, start, last - start);
        out.write(answer.toString().getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    private static boolean isBlank(final byte[] buffer, final int start, final int end)
    {
        for (int i = start; i < end; i++)
        {
            final byte b = buffer[i];
            if (b != ' ' && b != '\t' && b != '\r')
            {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(final byte[] buffer, final int from, final int to, final byte value)
    {
        for (int i = from; i < to; i++)
        {
            if (buffer[i] == value)
            {
                return i;
            }
        }
        return -1;
    }
}
