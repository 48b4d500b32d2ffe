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
            countersIgnored + " not kept"));
    }
}
