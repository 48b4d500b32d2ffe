package dev.modelsel.engine.replication;

/** What a replicator has done since it started, for its periodic summary and for tests. Not thread-safe. */
final class ReplicationStats
{
    long messagesSent;
    long bytesSent;
    long messagesReceived;
    long messagesDropped;
    long localChangesSent;
    long remoteChangesMerged;
    long snapshots;
    long recordsTooLong;
    /** Own counters records sent. */
    long countersSent;
    /** Other hosts' counters records that raised something in their slots. */
    long remoteCountersRaised;
    long countersSlotsReplaced;
    /** Other hosts' counters records not kept: a retired incarnation, a slot that cannot be made, a full slot. */
    long countersIgnored;
    /** Offers to a peer not made: none connected yet, back pressure that did not clear, a publication closed. */
    long notSentUnconnected;
    long notSentBackPressured;
    long notSentClosed;

    @Override
    public String toString()
    {
        return "sent " + messagesSent + " messages (" + bytesSent + " bytes, " + localChangesSent +
            " local changes, " + snapshots + " snapshots), received " + messagesReceived + ", dropped " +
            messagesDropped + ", merged " + remoteChangesMerged + " remote changes" +
            (recordsTooLong == 0 ? "" : ", " + recordsTooLong + " records with ids too long to send") +
            (countersSent + remoteCountersRaised + countersIgnored == 0 ? "" : "; counters: sent " + countersSent +
            " records, took " + remoteCountersRaised + " from other hosts" + (countersSlotsReplaced == 0 ? "" :
            ", " + countersSlotsReplaced + " slots made anew") + (countersIgnored == 0 ? "" : ", " +
            countersIgnored + " not kept")) + (notSentBackPressured + notSentClosed == 0 ? "" : "; not sent to a " +
            "peer: " + notSentBackPressured + " back-pressured, " + notSentClosed + " on a closed publication (the " +
            "next snapshot repairs them)") + (notSentUnconnected == 0 ? "" : "; " + notSentUnconnected +
            " offers found no peer connected");
    }
}
