package dev.modelsel.engine.replication;

/**
 * The layout of a replication message (SPEC §6), one Aeron message per UDP datagram, little-endian:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Magic "MSRP" (int)                        |  0
 *  +-------------------------------+---------------+---------------+
 *  |   Protocol Version (short)    |  Type (byte)  | Flags (byte)  |  4
 *  +-------------------------------+---------------+---------------+
 *  |                   Sent At, sender's wall ms (long)            |  8
 *  |                                                               |
 *  +---------------+-----------------------------------------------+
 *  | Cluster Length|  Cluster name (ASCII, 1..64 bytes)          ...  16
 *  +---------------+-----------------------------------------------+
 *  | Host Length   |  Sender's host id (ASCII, 1..32 bytes)      ...
 *  +---------------+-----------------------------------------------+
 *  |  Type COUNTERS only: the Incarnation of the sender's counters  |
 *  |  file (long, never 0)                                          |
 *  +-------------------------------+-------------------------------+
 *  |     Entry Count (short)       |  Entries                    ...
 *  +-------------------------------+-------------------------------+
 *  |          HMAC-SHA256 of every byte before it (32 bytes)       |  length - 32
 *  +---------------------------------------------------------------+
 *
 * Type RECORDS: each entry one model's record (see ReplicatedRecord):
 *  | id length (short) | model id (UTF-8) | down (byte) | flag clock (long) | flag host (byte length, ASCII) |
 *  | epoch clock (long) | epoch host | cooldown until ms (long, MIN_VALUE = none) | cooldown clock (long) |
 *  | cooldown host |
 *
 * Type COUNTERS: each entry one of the sender's own counters records (see CountersDescriptor), absolute values:
 *  | kind (byte: 1 model, 2 category, 3 bucket takes, 5 budget here) | name length (short) | name (UTF-8) |
 *  | 8 counters (long each, none negative) |
 * Kinds 3 and 5 (SPEC §7's limits, issue 14, see OtherHostsTakes for their values) travel in COUNTERS messages of
 * their own, after those of kinds 1 and 2: a receiver of the version before them drops those messages whole (an
 * unknown kind) and still takes the others, so protocol version 1 is kept.
 * </pre>
 * A COUNTERS message may have no entries: it still tells the incarnation (a host's counters file made anew, empty).
 * Only a host's own counters are sent, never those it received (see CounterSlots).
 * Flags bit 0: the message is part of a snapshot (the sender's whole table, sent every snapshot interval).
 * A message is at most {@link #MAX_MESSAGE_LENGTH} bytes: one datagram inside Aeron's default MTU, so a lost
 * datagram loses one message, repaired by the next snapshot. A receiver drops (and counts) any message whose magic,
 * version, cluster, MAC, lengths or values are wrong, before reading its entries as data.
 */
public final class WireDescriptor
{
    /** "MSRP" as a little-endian int. */
    public static final int MAGIC = 0x5052534D;
    /** Bump on any change of this layout: a receiver drops messages of another version. */
    public static final short PROTOCOL_VERSION = 1;

    public static final byte TYPE_RECORDS = 1;
    public static final byte TYPE_COUNTERS = 2;
    public static final byte FLAG_SNAPSHOT = 1;
    public static final byte KIND_MODEL = 1;
    public static final byte KIND_CATEGORY = 2;
    /** SPEC §7 (issue 14): what the sender took from a model's buckets (see OtherHostsTakes). */
    public static final byte KIND_BUCKET_TAKES = 3;
    /** SPEC §7 (issue 14): the sender's own part of a budget's spend, by period (see OtherHostsTakes). */
    public static final byte KIND_BUDGET_HERE = 5;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = MAGIC_OFFSET + 4;
    public static final int TYPE_OFFSET = VERSION_OFFSET + 2;
    public static final int FLAGS_OFFSET = TYPE_OFFSET + 1;
    public static final int SENT_AT_OFFSET = FLAGS_OFFSET + 1;
    public static final int CLUSTER_LENGTH_OFFSET = SENT_AT_OFFSET + 8;

    public static final int MAC_LENGTH = 32;
    public static final int MAX_CLUSTER_LENGTH = 64;
    public static final int MAX_MODEL_ID_BYTES = 512;
    public static final int MAX_MESSAGE_LENGTH = 1_344;
    public static final int COUNTERS_PER_RECORD = 8;

    private WireDescriptor()
    {
    }
}
