package dev.modelsel.engine.availability;

/**
 * The on-disk layout of a shared availability table: two files that every process on the host maps.
 * <pre>
 * PATH        a Chronicle Map file: key = model id (CharSequence, any non-empty id),
 *             value = one entry, fixed size, layout below. Chronicle's own header (self-describing text
 *             naming the key and value classes and the value size) opens the file; {@link MapFileCheck}
 *             and {@link MapStructureCheck} read it before Chronicle does.
 * PATH.seq    the change signal, 4 KiB, mapped with Agrona: layout below.
 * </pre>
 * <b>PATH.seq</b> (little-endian, 4096 bytes):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Magic "MODELSEL" (8 bytes)                   |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Layout Version (int) = 2                  |  8
 *  +---------------------------------------------------------------+
 *  |            Opening Step (int): 0, "CREA" or "RCVR"            |  12
 *  +---------------------------------------------------------------+
 *  |                      Reserved (48 bytes)                      |  16
 *  ...                                                           ...
 *  +---------------------------------------------------------------+
 *  |                   Change Sequence (long)                      |  64: its own cache line
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Reserved (56 bytes)                      |  72
 *  ...                                                           ...
 *  +---------------------------------------------------------------+
 *  |                     Open Handles (long)                       |  128: its own cache line
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Records Inserted (long): generation (16 bits) | count (48)  |  136
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Recovery Wanted (int): 0 or 1                |  144
 *  +---------------------------------------------------------------+
 *  |                      Reserved (108 bytes)                     |  148
 *  ...                                                           ...
 *  +---------------------------------------------------------------+
 *  |            Change Ring: 64 slots of 16 bytes                  |  256
 *  |   slot i: [sequence (long)] [key hash (long)]                 |
 *  ...                                                           ...
 *  +---------------------------------------------------------------+
 *  |                     Reserved to 4096                          |  1280
 *  ...                                                           ...
 * </pre>
 * The change ring remembers which record the last 64 changes touched (change sequence s in slot s mod 64, the
 * model id's {@code String.hashCode()}), so a reader that is behind by a few changes re-reads only those records
 * (see {@link ChangeRing}).
 * Open Handles counts the processes that have the table open: each adds one when it opens and takes one away when
 * it closes. A process killed with the table open stays counted, so the next process to open the table while no
 * other has it open finds the count above zero, suspects a crash, recovers the map (which releases entry locks the
 * dead process held), and sets the count to zero. A table closed cleanly is never recovered, unless a process
 * asked for it: Recovery Wanted is set by one that found a segment locked far longer than any write takes, so that
 * the next process to open the table alone recovers it.
 * <p>
 * Opening Step is written only under the opening lock: "CREA" while the opener creates the map, "RCVR" while it
 * recovers it, 0 once that is done. An opener that finds it set knows the previous holder of the lock died part-way:
 * a map whose creation never finished held nothing and is made again; a recovery that never finished is run again.
 * Both steps run only while no other process has the map open, so a step found while one has (or a value no opener
 * writes) is damage to this file, and is cleared, never acted on: a live map is never deleted for it.
 * Records Inserted counts the entries ever put into the map (none is ever removed), so a listing that finds fewer
 * knows the map's index has lost some. Its top 16 bits are the count's generation, its low 48 the count. Only an
 * opener that has the map to itself starts a count, in a new generation (1 to 65535, then 1 again): 0 when it creates
 * the map, what it kept when it recovers it, and the map's own size when it finds the generation 0, which is how a
 * PATH.seq made beside an existing map (after an {@code rm}) starts: a count of nothing, not a count of 0. Each
 * process counts its inserts only while the generation is the one it opened with (a compare-and-set), so a process
 * still writing a map deleted under it, beside the same PATH.seq, counts nothing into the new map's count. A listing
 * compares only a count of its own generation, and none while the generation is 0.
 * <p>
 * The magic and version are written before the file is published under its name (a temporary file, then a hard
 * link, which never replaces an existing file), so a reader never sees a half-made one.
 * <p>
 * <b>Map entry</b> (Chronicle map value, 37 bytes, written and read field by field by {@link AvailabilityEntry}):
 * <pre>
 *  +--------+-------------------+-------------------+------------+-------------------+-------------------+
 *  | down   | cooldown until ms | changes           | writer pid | changed at ms     | checksum          |
 *  | 0 or 1 | long, MIN = none  | long, writes to   | int        | long, epoch ms    | long, of the key  |
 *  | 1 byte |                   | this entry        |            |                   | and bytes 0..29   |
 *  +--------+-------------------+-------------------+------------+-------------------+-------------------+
 *  0        1                   9                   17           21                  29                  37
 * </pre>
 * The checksum ({@link EntryChecksum}) covers the model id the entry is stored under and every field before it.
 * An entry that fails it is corrupt: it is reported, by model id, and read as a model the table knows nothing about
 * (up, no cooldown); it is never read as data. The next write of that model replaces it.
 * <p>
 * <b>Protocol.</b> A writer updates an entry under its segment's lock, increments the change sequence with an
 * atomic add (a full fence), and notes the change in the ring, before it releases that lock. A reader reads the change sequence with acquire semantics
 * ({@code getLongVolatile}) before it reads entries, and reads entries under Chronicle's read lock. So a reader that
 * sees a sequence value sees every entry write that preceded its increment: a select that starts after a write
 * returned, in any process, sees that write. A write that changes nothing (a cooldown earlier than the one in force)
 * leaves the sequence alone; it took the lock after any earlier writer of that entry had announced its change.
 */
public final class SharedTableDescriptor
{
    /** The file beside the map that holds the change sequence. */
    public static final String SEQUENCE_FILE_SUFFIX = ".seq";

    /** "MODELSEL" as a little-endian long. */
    public static final long MAGIC = 0x4C45534C45444F4DL;
    /** Bump when either layout changes; a table of another version is refused, never rewritten. */
    public static final int LAYOUT_VERSION = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = MAGIC_OFFSET + 8;
    public static final int OPENING_STEP_OFFSET = LAYOUT_VERSION_OFFSET + 4;
    public static final int CHANGE_SEQUENCE_OFFSET = 64;
    public static final int OPEN_HANDLES_OFFSET = 128;
    public static final int RECORDS_INSERTED_OFFSET = OPEN_HANDLES_OFFSET + 8;
    public static final int RECOVERY_WANTED_OFFSET = RECORDS_INSERTED_OFFSET + 8;
    /** Records Inserted: the count in its low bits, its generation above them. */
    public static final int RECORDS_INSERTED_COUNT_BITS = 48;
    public static final long RECORDS_INSERTED_COUNT_MASK = (1L << RECORDS_INSERTED_COUNT_BITS) - 1;
    public static final int RECORDS_INSERTED_MAX_GENERATION = (1 << (Long.SIZE - RECORDS_INSERTED_COUNT_BITS)) - 1;
    public static final int CHANGE_RING_OFFSET = 256;
    public static final int SEQUENCE_FILE_LENGTH = 4096;

    public static final int ENTRY_DOWN_OFFSET = 0;
    public static final int ENTRY_COOLDOWN_UNTIL_MS_OFFSET = ENTRY_DOWN_OFFSET + 1;
    public static final int ENTRY_CHANGES_OFFSET = ENTRY_COOLDOWN_UNTIL_MS_OFFSET + 8;
    public static final int ENTRY_WRITER_PID_OFFSET = ENTRY_CHANGES_OFFSET + 8;
    public static final int ENTRY_CHANGED_AT_MS_OFFSET = ENTRY_WRITER_PID_OFFSET + 4;
    public static final int ENTRY_CHECKSUM_OFFSET = ENTRY_CHANGED_AT_MS_OFFSET + 8;
    public static final int ENTRY_LENGTH = ENTRY_CHECKSUM_OFFSET + 8;

    /** Opening Step values: tags rather than 1 and 2, so that a damaged byte is not taken for a step. */
    public static final int OPENING_STEP_NONE = 0;
    /** "CREA", little-endian. */
    public static final int OPENING_STEP_CREATING = 0x41455243;
    /** "RCVR", little-endian. */
    public static final int OPENING_STEP_RECOVERING = 0x52564352;

    /** Entries the map is sized for: far more model ids than any host's catalogs hold. */
    public static final long MAP_ENTRIES = 65_536;
    /** Model ids average well under this many bytes ("anthropic/claude-3-5-sonnet-20241022" is 36). */
    public static final int MAP_AVERAGE_KEY_BYTES = 48;

    private SharedTableDescriptor()
    {
    }
}
