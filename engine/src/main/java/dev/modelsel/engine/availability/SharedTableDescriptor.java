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
 *  |                     Layout Version (int) = 3                  |  8
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
 *  |                      Reserved (44 bytes)                      |  148
 *  ...                                                           ...
 *  +---------------------------------------------------------------+
 *  |          Host Clock (long): hybrid clock, ms << 16 | n        |  192: its own cache line
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Reserved (56 bytes)                      |  200
 *  ...                                                           ...
 *  +---------------------------------------------------------------+
 *  |            Change Ring: 64 slots of 16 bytes                  |  256
 *  |   slot i: [sequence (long)] [key hash (long)]                 |
 *  ...                                                           ...
 *  +---------------------------------------------------------------+
 *  |          Host Id Generation (long): slot in use = g & 1       |  1280
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          Host Id, slot 0 (32 bytes ASCII, zero-padded)        |  1288
 *  ...                                                           ...
 *  +---------------------------------------------------------------+
 *  |          Host Id, slot 1 (32 bytes ASCII, zero-padded)        |  1320
 *  ...                                                           ...
 *  +---------------------------------------------------------------+
 *  |                     Reserved to 4096                          |  1352
 *  ...                                                           ...
 * </pre>
 * The change ring remembers which record the last 64 changes touched (change sequence s in slot s mod 64, the
 * model id's {@code String.hashCode()}), so a reader that is behind by a few changes re-reads only those records
 * (see {@link ChangeRing}).
 * <p>
 * Host Clock is the host's hybrid logical clock (SPEC §6, {@code HybridClock}): every local write, under its entry's
 * segment lock, moves it with a compare-and-set to {@code tick(clock, wall ms)} and stamps the entry with the result;
 * a merge of a record received from another host moves it to at least that record's greatest clock. One word for
 * every process on the host, so that no two writes on the host get the same clock value and none goes backwards.
 * Host Id is the id every local write stamps beside that clock: the creator of the file writes this host's name
 * ({@code HostId.ofThisHost()}), and {@code modelsel replicate} sets its configured {@code host_id}. A new id is
 * written into the slot not in use and published by incrementing the generation, under the opening lock (one
 * setter at a time); a reader reads the generation, the slot, and the generation again, and retries when it moved.
 * A setter killed part-way leaves the id in use untouched. Versions written under an earlier id stay as they are,
 * valid versions of that id: the clock never goes back, so the host's later writes still order after them.
 * <p>
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
 * <b>Map entry</b> (Chronicle map value, 157 bytes, written and read field by field by {@link AvailabilityEntry}):
 * <pre>
 *  +--------+-------------------+-------------------+------------+-------------------+
 *  | down   | cooldown until ms | changes           | writer pid | changed at ms     |   local: not replicated,
 *  | 0 or 1 | long, MIN = none  | long, writes to   | int        | long, epoch ms    |   but for down and the
 *  | 1 byte |                   | this entry        |            |                   |   deadline
 *  +--------+-------------------+-------------------+------------+-------------------+
 *  0        1                   9                   17           21                  29
 *  +-------------------+-----------------------------------------------------------+
 *  | flag clock        | flag host: 32 bytes ASCII, zero-padded                    |   the version of the write
 *  | long, hybrid      | ("" with clock 0: never written)                          |   that set down
 *  +-------------------+-----------------------------------------------------------+
 *  29                  37                                                          69
 *  +-------------------+-----------------------------------------------------------+
 *  | epoch clock       | epoch host                                                |   the set_up that began the
 *  +-------------------+-----------------------------------------------------------+   cooldown's epoch
 *  69                  77                                                          109
 *  +-------------------+-----------------------------------------------------------+
 *  | cooldown clock    | cooldown host                                             |   the write that set the
 *  +-------------------+-----------------------------------------------------------+   deadline (or the epoch)
 *  109                 117                                                         149
 *  +-------------------+
 *  | checksum          |   of the key and bytes 0..149
 *  +-------------------+
 *  149                 157
 * </pre>
 * The entry is SPEC §6's record ({@code ReplicatedRecord}): the flag is {@code down} with its version, the cooldown
 * is the epoch, the deadline and the version that set the deadline; changes, writer pid and changed at say what
 * happened on this host only. The checksum ({@link EntryChecksum}) covers the model id the entry is stored under
 * and every field before it. An entry that fails it is corrupt: it is reported, by model id, and read as a model
 * the table knows nothing about (up, no cooldown, every version zero); it is never read as data. The next write of
 * that model, local or merged, replaces it.
 * <p>
 * <b>Protocol.</b> A writer updates an entry under its segment's lock, increments the change sequence with an
 * atomic add (a full fence), and notes the change in the ring, before it releases that lock. A reader reads the change sequence with acquire semantics
 * ({@code getLongVolatile}) before it reads entries, and reads entries under Chronicle's read lock. So a reader that
 * sees a sequence value sees every entry write that preceded its increment: a select that starts after a write
 * returned, in any process, sees that write. A write that changes nothing (a cooldown no later than the one in force,
 * clearing down on a model that is up, a merge of nothing new) leaves the sequence alone; it took the lock after any
 * earlier writer of that entry had announced its change. With versions, {@code set_down} of a model already down and
 * {@code set_up} of one already up are changes (a new version, which must reach the other hosts), and announced.
 */
public final class SharedTableDescriptor
{
    /** The file beside the map that holds the change sequence. */
    public static final String SEQUENCE_FILE_SUFFIX = ".seq";

    /** "MODELSEL" as a little-endian long. */
    public static final long MAGIC = 0x4C45534C45444F4DL;
    /**
     * Bump when either layout changes; a table of another version is refused, never rewritten. 1: entries of 29 bytes;
     * 2: 37, with a checksum; 3: 157, with SPEC §6's versions, and PATH.seq with the host's clock and id.
     */
    public static final int LAYOUT_VERSION = 3;

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
    public static final int HOST_CLOCK_OFFSET = 192;
    public static final int CHANGE_RING_OFFSET = 256;
    public static final int HOST_ID_GENERATION_OFFSET = 1280;
    public static final int HOST_ID_SLOT_0_OFFSET = HOST_ID_GENERATION_OFFSET + 8;
    public static final int HOST_ID_SLOT_LENGTH = 32;
    public static final int SEQUENCE_FILE_LENGTH = 4096;

    /** A host id in an entry: {@code HostId.MAX_LENGTH} ASCII bytes, zero-padded. */
    public static final int ENTRY_HOST_LENGTH = 32;
    public static final int ENTRY_DOWN_OFFSET = 0;
    public static final int ENTRY_COOLDOWN_UNTIL_MS_OFFSET = ENTRY_DOWN_OFFSET + 1;
    public static final int ENTRY_CHANGES_OFFSET = ENTRY_COOLDOWN_UNTIL_MS_OFFSET + 8;
    public static final int ENTRY_WRITER_PID_OFFSET = ENTRY_CHANGES_OFFSET + 8;
    public static final int ENTRY_CHANGED_AT_MS_OFFSET = ENTRY_WRITER_PID_OFFSET + 4;
    public static final int ENTRY_FLAG_CLOCK_OFFSET = ENTRY_CHANGED_AT_MS_OFFSET + 8;
    public static final int ENTRY_FLAG_HOST_OFFSET = ENTRY_FLAG_CLOCK_OFFSET + 8;
    public static final int ENTRY_EPOCH_CLOCK_OFFSET = ENTRY_FLAG_HOST_OFFSET + ENTRY_HOST_LENGTH;
    public static final int ENTRY_EPOCH_HOST_OFFSET = ENTRY_EPOCH_CLOCK_OFFSET + 8;
    public static final int ENTRY_COOLDOWN_CLOCK_OFFSET = ENTRY_EPOCH_HOST_OFFSET + ENTRY_HOST_LENGTH;
    public static final int ENTRY_COOLDOWN_HOST_OFFSET = ENTRY_COOLDOWN_CLOCK_OFFSET + 8;
    public static final int ENTRY_CHECKSUM_OFFSET = ENTRY_COOLDOWN_HOST_OFFSET + ENTRY_HOST_LENGTH;
    public static final int ENTRY_LENGTH = ENTRY_CHECKSUM_OFFSET + 8;

    /** The entry sizes of older layouts, by layout version (index 0 unused): a map of one is refused as older. */
    static final int[] OLDER_ENTRY_LENGTHS = {0, 29, 37};

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
