package dev.modelsel.engine.availability;

import java.nio.file.Path;

/**
 * What goes wrong inside an open shared table, as {@link SharedTableException}s whose messages name the table and
 * the way out, and say only what is true of it: no stack trace of Chronicle's reaches a user.
 * <p>
 * Thread-safe.
 */
final class TableFaults
{
    private static final int CAUSE_CHARS = 160;

    private final Path path;
    private final SequenceFile sequence;

    TableFaults(final Path path, final SequenceFile sequence)
    {
        this.path = path;
        this.sequence = sequence;
    }

    /**
     * A segment whose lock outlived any write: a writer died holding it, or the lock's bytes are damaged. Either way
     * Chronicle's recovery resets it, and only a process that has the table to itself may run that; so this asks the
     * next such opener to, whatever the count of open handles says (a damaged lock leaves it at zero).
     */
    SharedTableException stuck(final String where)
    {
        sequence.wantRecovery();
        return new SharedTableException(path + ": " + where + " has been locked far longer than any write takes: a " +
            "process died while writing it, or the table is damaged. Stop every process that uses this table: the " +
            "next one to open it then recovers it (or modelsel availability reset deletes it)");
    }

    /** Chronicle failed on bytes that modelsel never wrote: the map itself is damaged. */
    SharedTableException damaged(final String what, final RuntimeException cause)
    {
        return new SharedTableException(path + ": damaged: " + what + " failed (" + describe(cause) + "). Once no " +
            "process uses it, modelsel availability reset deletes it (its records are lost; the next process to use it " +
            "makes a new one)");
    }

    /** An exception in one line: Chronicle's messages run to pages, with hex dumps. */
    static String describe(final Throwable cause)
    {
        final String message = cause.getMessage() == null ? "" : cause.getMessage().strip();
        final int lineEnd = message.indexOf('\n');
        final String firstLine = lineEnd < 0 ? message : message.substring(0, lineEnd).strip();
        final String shown = firstLine.length() > CAUSE_CHARS ? firstLine.substring(0, CAUSE_CHARS) + "..." : firstLine;
        return cause.getClass().getSimpleName() + (shown.isEmpty() ? "" : ": " + shown);
    }
}
