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

    @Override
    public String toString()
    {
        return "sent " + messagesSent + " messages (" + bytesSent + " bytes, " + localChangesSent +
            " local changes, " + snapshots + " snapshots), received " + messagesReceived + ", dropped " +
            messagesDropped + ", merged " + remoteChangesMerged + " remote changes" +
            (recordsTooLong == 0 ? "" : ", " + recordsTooLong + " records with ids too long to send");
    }
}
