package dev.modelsel.engine.replication;

/** Where the replicator's lines go: stderr with a timestamp from the command, a list in tests. */
@FunctionalInterface
interface ReplicationLog
{
    void line(String line);
}
