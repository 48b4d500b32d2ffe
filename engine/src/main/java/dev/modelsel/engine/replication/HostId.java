package dev.modelsel.engine.replication;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A host's name in its cluster (SPEC §6): the last part of every version it writes, so it orders writes made at the
 * same clock value, and {@code availability show} prints it. Up to {@link #MAX_LENGTH} ASCII letters, digits,
 * {@code .}, {@code _} and {@code -}: it is stored in fixed-size fields of the table and of every message.
 * Host ids compare as strings (their bytes, ASCII).
 */
public final class HostId
{
    public static final int MAX_LENGTH = 32;
    /** The host id of no write at all: below every real one. */
    public static final String NONE = "";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    private HostId()
    {
    }

    /** @return null when {@code id} is a valid host id, else why not. */
    public static String problem(final String id)
    {
        if (id == null || id.isEmpty())
        {
            return "a host id must not be empty";
        }
        if (!VALID.matcher(id).matches())
        {
            return "a host id is 1 to " + MAX_LENGTH + " ASCII letters, digits, '.', '_' or '-'";
        }
        if (id.equals(".") || id.equals(".."))
        {
            return "a host id cannot be \"" + id + "\": it names other hosts' files (COUNTERS.hosts/HOST-ID)";
        }
        return null;
    }

    /**
     * This host's default id: its host name, cut to what a host id may hold (characters outside the set become
     * {@code -}, the first {@value #MAX_LENGTH} kept); {@code localhost} when the name cannot be had.
     */
    public static String ofThisHost()
    {
        String name;
        try
        {
            name = InetAddress.getLocalHost().getHostName();
        }
        catch (final UnknownHostException ex)
        {
            name = "localhost";
        }
        final StringBuilder id = new StringBuilder(MAX_LENGTH);
        for (int i = 0; i < name.length() && id.length() < MAX_LENGTH; i++)
        {
            final char c = name.charAt(i);
            id.append(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-') ? c : '-');
        }
        return id.length() == 0 ? "localhost" : id.toString().toLowerCase(Locale.ROOT);
    }

    /** Orders host ids as SPEC §6 does: by their bytes. */
    public static int compare(final String a, final String b)
    {
        return a.compareTo(b); // ASCII only: char order is byte order
    }

    static byte[] bytes(final String id)
    {
        return id.getBytes(StandardCharsets.US_ASCII);
    }
}
