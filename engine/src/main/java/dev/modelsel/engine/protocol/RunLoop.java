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
        forEachLine(in, new Lines()
        {
            @Override
            public void line(final long number, final byte[] buffer, final int offset, final int length)
                throws IOException
            {
                write(session.handle(number, buffer, offset, length), out);
            }

            @Override
            public void tooLong(final long number) throws IOException
            {
                write(session.tooLong(number, MAX_LINE_BYTES), out);
            }

            @Override
            public void beforeRead() throws IOException
            {
                out.flush();
            }
        });
        out.flush();
    }

    /**
     * What {@link #forEachLine} gives its lines to. A line is {@code buffer[offset, offset + length)}, valid until the
     * call returns.
     */
    interface Lines
    {
        /** A non-blank line, its trailing {@code \r} removed, as raw bytes: undecoded, so not UTF-8 is seen as such. */
        void line(long number, byte[] buffer, int offset, int length) throws IOException;

        /** A non-blank line of more than {@link #MAX_LINE_BYTES}, read to its end and dropped, never kept. */
        void tooLong(long number) throws IOException;

        /** Called before each read that may block: the moment to flush. */
        default void beforeRead() throws IOException
        {
        }
    }

    /**
     * The one framing of JSON-lines input ({@code run}'s requests and {@code analyze}'s histories): lines end at
     * {@code \n} only (a lone {@code \r} is part of its line), {@code \r} before the {@code \n} is dropped, a last
     * line without a line break counts, blank lines (spaces, tabs) are numbered but not given, and a line longer than
     * {@link #MAX_LINE_BYTES} is given as {@link Lines#tooLong}.
     */
    static void forEachLine(final InputStream in, final Lines lines) throws IOException
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
                serve(lines, ++lineNumber, buffer, start, newline);
                start = newline + 1;
                scanned = start;
            }
            if (start > 0)
            {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            scanned = end;
            if (end > MAX_LINE_BYTES)
            {
                lines.beforeRead();
                end = skipLongLine(in, lines, ++lineNumber, buffer, end);
                if (end < 0)
                {
                    return;
                }
                scanned = 0;
                continue;
            }
            if (end == buffer.length)
            {
                buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_LINE_BYTES + 1));
            }
            lines.beforeRead();
            final int read = in.read(buffer, end, buffer.length - end);
            if (read < 0)
            {
                if (end > 0)
                {
                    serve(lines, ++lineNumber, buffer, 0, end);
                }
                return;
            }
            end += read;
        }
    }

    /**
     * Reads and drops the rest of a line that holds more than {@link #MAX_LINE_BYTES} in {@code buffer[0, length)},
     * and gives it when it ends (unless it was blank, which is not given however long).
     *
     * @return how many bytes after its line break are now at the start of {@code buffer}, or -1 at the input's end.
     */
    private static int skipLongLine(
        final InputStream in, final Lines lines, final long lineNumber, final byte[] buffer, final int length)
        throws IOException
    {
        boolean blank = isBlank(buffer, 0, length);
        while (true)
        {
            final int read = in.read(buffer, 0, buffer.length);
            if (read < 0)
            {
                tooLong(lines, lineNumber, blank);
                return -1;
            }
            final int newline = indexOf(buffer, 0, read, (byte)'\n');
            final int lineEnd = newline < 0 ? read : newline;
            blank = blank && isBlank(buffer, 0, lineEnd);
            if (newline >= 0)
            {
                tooLong(lines, lineNumber, blank);
                final int rest = read - newline - 1;
                System.arraycopy(buffer, newline + 1, buffer, 0, rest);
                return rest;
            }
        }
    }

    private static void tooLong(final Lines lines, final long lineNumber, final boolean blank) throws IOException
    {
        if (!blank)
        {
            lines.tooLong(lineNumber);
        }
    }

    private static void serve(final Lines lines, final long lineNumber, final byte[] buffer, final int start,
        final int end) throws IOException
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
        lines.line(lineNumber, buffer, start, last - start);
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
