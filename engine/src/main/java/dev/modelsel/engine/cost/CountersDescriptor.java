package dev.modelsel.engine.cost;

/**
 * The layout of the shared phase counters file, in the manner of Aeron's CnC counters: a header, then fixed-size
 * records, each a name and its counters, every counter a long added with an atomic add. Records are claimed by
 * whichever process first records a name, without a lock: a compare-and-set on the record's state.
 * <pre>
 * Header (4096 bytes, little-endian)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Magic "MSELCNTR" (8 bytes)                   |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Layout Version (int)                      |  8
 *  +---------------------------------------------------------------+
 *  |                     Record Length (int) = 512                 |  12
 *  +---------------------------------------------------------------+
 *  |                     Record Count (int) = 4096                 |  16
 *  +---------------------------------------------------------------+
 *  |                     Reserved (int)                            |  20
 *  +---------------------------------------------------------------+
 *  |  Incarnation (long): the wall ms it was made at << 20,        |  24
 *  |  plus 20 random bits below; never 0 once set                  |
 *  +---------------------------------------------------------------+
 *  |  Slot: Source Incarnation (long), the incarnation of the other |  32
 *  |  host's own file whose counters this slot holds; 0 otherwise   |
 *  +---------------------------------------------------------------+
 *  |  Slot: Retired Incarnation (long), the one it replaced (told  |  40
 *  |  only: every lower one is ignored)                            |
 *  +---------------------------------------------------------------+
 *  |  Slot: Last Heard (long), this host's wall ms of the last      |  48
 *  |  counters message applied                                      |
 *  +---------------------------------------------------------------+
 *  |  Host Length (int): 0 none, else the bytes of the host id      |  56
 *  +---------------------------------------------------------------+
 *  |  Host Id (ASCII, up to 32 bytes): a slot's host; in a host's   |  60
 *  |  own file, the id its replicator sends it as                   |
 *  +---------------------------------------------------------------+
 *  |                     Reserved (int)                            |  92
 *  +---------------------------------------------------------------+
 *  |  Limits Replicated (long): 0, or the wall ms a replicator      |  96
 *  |  first sent this host's own file; from then every process      |
 *  |  also counts its own takes of SPEC §7's limits (issue 14)      |
 *  +---------------------------------------------------------------+
 *  |                     Reserved to 4096                          |  104
 *
 * Record i, at 4096 + i * 512
 *  +---------------------------------------------------------------+
 *  |  State (long): 0 free, pid << 8 | 1 being claimed, 2 ready,   |  0
 *  |  3 abandoned (never ready, never claimed again)               |
 *  +-------------------------------+-------------------------------+
 *  |  Kind (int): 1 model, 2 category, |  Name Length (int, bytes)  |  8
 *  |  3 a model's rate buckets, 4 a    |                            |
 *  |  budget's spend (SPEC §7), 5 this |                            |
 *  |  host's own spend of a budget     |                            |
 *  +-------------------------------+-------------------------------+
 *  |  Name Hash (long, FNV-1a of the kind and the name's UTF-8)     |  16
 *  +---------------------------------------------------------------+
 *  |  Name (UTF-8, at most 232 bytes; a longer name is kept as its  |  24
 *  |  first 216 bytes, "~" and 15 hex digits of its hash)          |
 *  ...                                                           ...
 *  +---------------------------------------------------------------+
 *  |  Counters: 8 longs, from byte 256 (a cache line of their own) |  256
 *  |   model:    attempts, failures, escalations, input tokens,    |
 *  |             output tokens, spend (micro-dollars), priced by   |
 *  |             defaults, output unpriced                         |
 *  |   category: phases, escalations                               |
 *  |   buckets:  rpm drawn, rpm last, tpm drawn, tpm last          |
 *  |             (RateBucket), requests and tokens taken by this   |
 *  |             host's processes (counted once Limits Replicated  |
 *  |             is set), then two zeros                           |
 *  |   budget:   the spend of its last eight periods (BudgetSpend) |
 *  |   budget here: the same, of this host's outcomes alone        |
 *  |             (written once Limits Replicated is set)           |
 *  +---------------------------------------------------------------+
 *  |  Reserved to 512                                              |  320
 * </pre>
 * <b>Claiming.</b> A name's record is searched from {@code hash mod count} onwards. A free record is claimed with
 * a compare-and-set of its state from 0 to {@code pid << 8 | 1}; the claimer writes kind, length, hash and name,
 * then sets the state to ready with a compare-and-set from its own claiming state. A process that finds a record
 * being claimed waits for it to be ready before comparing names; after a while (its claimer died, or stalls) it
 * abandons it, a compare-and-set from that claiming state to 3, and searches on. The two compare-and-sets decide
 * between them whether the record becomes the name's or is abandoned: a claimer that finds its record abandoned
 * searches on too, and finds the record the name got further on (SharedPhaseCounters says why a name then has one
 * record). An abandoned record is never ready and never claimed again. Readers skip records that are not ready.
 * <p>
 * <b>Across hosts</b> (issue 13, docs/costs.md). The incarnation is written when the file is made, so a file deleted
 * and made again (to count afresh) is told from the one before; in a file made before the field existed it is 0
 * until a replicator sets one with a compare-and-set. Incarnations are ordered, the wall clock's milliseconds in the
 * high bits: a later file's is higher, so that a slot can refuse every older one, a replayed message included, not
 * only the one it replaced; the random low bits keep two files made in one millisecond apart. A <i>slot</i> is a
 * file of this layout in which a replicator keeps another host's counters ({@code CounterSlots}): source and retired
 * incarnations, last heard and host id are set there; in a host's own file only the host id may be, by its
 * replicator. These fields sit in what was reserved (zero) in layout 1, which they leave unchanged.
 */
public final class CountersDescriptor
{
    /** "MSELCNTR" as a little-endian long. */
    public static final long MAGIC = 0x52544E434C45534DL;
    public static final int LAYOUT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 8;
    public static final int RECORD_LENGTH_OFFSET = 12;
    public static final int RECORD_COUNT_OFFSET = 16;
    public static final int INCARNATION_OFFSET = 24;
    public static final int SOURCE_INCARNATION_OFFSET = INCARNATION_OFFSET + 8;
    public static final int RETIRED_INCARNATION_OFFSET = SOURCE_INCARNATION_OFFSET + 8;
    public static final int LAST_HEARD_OFFSET = RETIRED_INCARNATION_OFFSET + 8;
    public static final int HOST_LENGTH_OFFSET = LAST_HEARD_OFFSET + 8;
    public static final int HOST_OFFSET = HOST_LENGTH_OFFSET + 4;
    public static final int MAX_HOST_BYTES = 32;
    /** See the header's diagram: set by a replicator, read by every process that takes from the limits. */
    public static final int LIMITS_REPLICATED_OFFSET = 96;
    public static final int HEADER_LENGTH = 4096;

    /** An incarnation not set yet (a file made before the field existed), or none (a host's own file's source). */
    public static final long NO_INCARNATION = 0;
    /**
     * The random low bits of an incarnation, below the wall ms it was made at: 43 bits of ms keep incarnations
     * positive, and so ordered as plain longs, until the year 2248.
     */
    public static final int INCARNATION_RANDOM_BITS = 20;

    public static final int RECORD_LENGTH = 512;
    public static final int RECORD_COUNT = 4096;
    public static final int FILE_LENGTH = HEADER_LENGTH + RECORD_LENGTH * RECORD_COUNT;

    public static final int STATE_OFFSET = 0;
    public static final int KIND_OFFSET = 8;
    public static final int NAME_LENGTH_OFFSET = 12;
    public static final int NAME_HASH_OFFSET = 16;
    public static final int NAME_OFFSET = 24;
    public static final int MAX_NAME_BYTES = 232;
    public static final int COUNTERS_OFFSET = 256;
    public static final int COUNTERS_PER_RECORD = 8;

    public static final long STATE_FREE = 0;
    public static final long STATE_CLAIMING = 1;
    public static final long STATE_READY = 2;
    /**
     * A claim that a prober waited on too long and gave up on: terminal, so the stalled claimer's late writes land in
     * a record no one reads, and its own compare-and-set to ready fails (see {@code SharedPhaseCounters}).
     */
    public static final long STATE_ABANDONED = 3;

    public static final int KIND_MODEL = 1;
    public static final int KIND_CATEGORY = 2;
    /**
     * SPEC §7 limits share the file (issue 14): a model's rpm and tpm buckets ({@code RateBucket}) in the first four
     * counters of a record of this kind, named by the model id. Not counters: never summed, sent or shown as such.
     */
    public static final int KIND_BUCKETS = 3;
    /** A budget's spend in its last eight periods ({@code BudgetSpend}), the eight counters, named by the budget. */
    public static final int KIND_BUDGET = 4;
    /**
     * This host's own part of a budget's spend, as {@link #KIND_BUDGET}, under the same name: what the host's
     * replicator sends the others (issue 14), who add it to theirs. Written only while {@link
     * #LIMITS_REPLICATED_OFFSET} is set.
     */
    public static final int KIND_BUDGET_HERE = 5;
    /** The highest kind a record may have. */
    public static final int LAST_KIND = KIND_BUDGET_HERE;

    public static final int ATTEMPTS = 0;
    public static final int FAILURES = 1;
    public static final int ESCALATIONS = 2;
    public static final int INPUT_TOKENS = 3;
    public static final int OUTPUT_TOKENS = 4;
    public static final int SPEND_MICROS = 5;
    public static final int PRICED_BY_DEFAULTS = 6;
    public static final int OUTPUT_UNPRICED = 7;

    public static final int PHASES = 0;
    public static final int CATEGORY_ESCALATIONS = 1;

    private CountersDescriptor()
    {
    }

    public static int recordOffset(final int record)
    {
        return HEADER_LENGTH + record * RECORD_LENGTH;
    }

    public static int counterOffset(final int record, final int counter)
    {
        return recordOffset(record) + COUNTERS_OFFSET + counter * Long.BYTES;
    }
}
