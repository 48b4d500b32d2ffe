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

    /**
     * The JVM's word for a fault in a mapped file's memory: a page the mapping reaches is gone (one of the table's files
     * was cut short in place under this process) or cannot be allocated (its file system is full, and the map had grown
     * into pages not yet allocated). Java sees it only where the fault was in a read, or in compiled code: a
     * compare-and-set from the interpreter kills the JVM instead (docs/shared-table.md).
     */
    SharedTableException fault(final String what, final InternalError cause)
    {
        return new SharedTableException(path + ": " + what + " faulted (" + describe(cause) + "): one of the " +
            "table's files was truncated under this process (delete that file: the next process to use the table makes " +
            "it again, and a map keeps its records when only its .seq file went), or its file system is full (free " +
            "space there, or move the table: --table, -Dmodelsel.availability.table)");
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
