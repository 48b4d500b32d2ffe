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
 * <p>
 * A line longer than {@link #MAX_LINE_BYTES} is answered {@code INVALID_REQUEST} and the rest of it is read and
 * dropped without being kept, so memory stays bounded and time linear in the input, whatever its lines.
 */
public final class RunLoop
{
    /**
     * The most bytes a request line may hold before its {@code \n}: far above any real request (a few hundred
     * bytes), and small enough that one line cannot strain the heap.
     */
    public static final int MAX_LINE_BYTES = 1 << 20;

    private static final int INITIAL_BUFFER = 64 * 1024;

    private RunLoop()
    {
    }

    /**
     * Runs until the input ends; the output is flushed, not closed. Whatever ends the run early (the input failing, a
     * bug), the answers to the lines already served are flushed first.
     */
    public static void run(final InputStream in, final OutputStream out, final RunSession session) throws IOException
    {
        try
        {
            serveAll(in, out, session);
        }
        catch (final IOException | RuntimeException | Error failed)
        {
            try
            {
                out.flush();
            }
            catch (final IOException alsoFailed)
            {
                failed.addSuppressed(alsoFailed);
            }
            throw failed;
        }
    }

    private static void serveAll(final InputStream in, final OutputStream out, final RunSession session)
        throws IOException
    {
        byte[] buffer = new byte[INITIAL_BUFFER];
        int start = 0;
        int end = 0;
        int scanned = 0; // [start, scanned) holds no line break: each byte is looked at once, not once per read
        long lineNumber = 0;
        while (true)
        {
            int newline;
            while ((newline = indexOf(buffer, scanned, end, (byte)'\n')) >= 0)
            {
                serve(session, ++lineNumber, buffer, start, newline, out);
                start = newline + 1;
                scanned = start;
            }
            scanned = end;
            if (start > 0)
            {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                scanned = end;
                start = 0;
            }
            if (end > MAX_LINE_BYTES)
            {
                out.flush();
                end = skipLongLine(in, session, ++lineNumber, buffer, end, out);
                if (end < 0)
                {
                    out.flush();
                    return;
                }
                scanned = 0;
                continue;
            }
            if (end == buffer.length)
            {
                buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_LINE_BYTES + 1));
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

    /**
     * Reads and drops the rest of a line that holds more than {@link #MAX_LINE_BYTES} in {@code buffer[0, length)},
     * and answers it when it ends (unless it was blank, which gets no answer however long).
     *
     * @return how many bytes after its line break are now at the start of {@code buffer}, or -1 at the input's end.
     */
    private static int skipLongLine(
        final InputStream in, final RunSession session, final long lineNumber, final byte[] buffer, final int length,
        final OutputStream out) throws IOException
    {
        boolean blank = isBlank(buffer, 0, length);
        while (true)
        {
            final int read = in.read(buffer, 0, buffer.length);
            if (read < 0)
            {
                answerTooLong(session, lineNumber, blank, out);
                return -1;
            }
            final int newline = indexOf(buffer, 0, read, (byte)'\n');
            final int lineEnd = newline < 0 ? read : newline;
            blank = blank && isBlank(buffer, 0, lineEnd);
            if (newline >= 0)
            {
                answerTooLong(session, lineNumber, blank, out);
                final int rest = read - newline - 1;
                System.arraycopy(buffer, newline + 1, buffer, 0, rest);
                return rest;
            }
        }
    }

    private static void answerTooLong(
        final RunSession session, final long lineNumber, final boolean blank, final OutputStream out) throws IOException
    {
        if (!blank)
        {
            write(session.tooLong(lineNumber, MAX_LINE_BYTES), out);
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
        write(session.handle(lineNumber, buffer, start, last - start), out);
    }

    private static void write(final CharSequence answer, final OutputStream out) throws IOException
    {
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
