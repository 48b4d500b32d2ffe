package dev.modelsel.engine.cli;

import dev.modelsel.engine.availability.SharedAvailabilityTable;

/**
 * Starts loading Chronicle Map on the second core when the command line will open the shared table, so that the
 * table's first open overlaps with parsing and catalog loading instead of following them.
 */
final class TablePreload
{
    private TablePreload()
    {
    }

    /**
     * Decides from the raw arguments, before picocli: a guess that is wrong costs only the other core's time. Not for
     * help, nor for {@code reset}, which deletes the table without opening it.
     */
    static void startIfWanted(final String[] args)
    {
        boolean opensTable = args.length > 0 && (args[0].equals("availability") || args[0].equals("probe"));
        for (final String arg : args)
        {
            if (arg.equals("--availability") || arg.startsWith("--availability="))
            {
                opensTable = true;
            }
            else if (arg.equals("reset") || arg.equals("-h") || arg.equals("--help") || arg.equals("help"))
            {
                return;
            }
        }
        if (opensTable)
        {
            SharedAvailabilityTable.preload();
        }
    }
}
