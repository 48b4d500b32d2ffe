package dev.modelsel.engine.replication;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostIdTest
{
    @Test
    void shouldTakeNamesAHostFileCanCarry()
    {
        assertNull(HostId.problem("worker-a"));
        assertNull(HostId.problem("ip-10-0-12-123.ec2.internal"));
        assertNull(HostId.problem("a".repeat(HostId.MAX_LENGTH)));
    }

    @Test
    void shouldRefuseEverythingElse()
    {
        for (final String bad : new String[] {null, "", ".", "..", "a b", "a/b", "é", "a".repeat(HostId.MAX_LENGTH + 1)})
        {
            assertNotNull(HostId.problem(bad), String.valueOf(bad));
        }
    }

    @Test
    void shouldDefaultToAValidIdFromTheHostName()
    {
        assertNull(HostId.problem(HostId.ofThisHost()));
        assertTrue(HostId.ofThisHost().length() <= HostId.MAX_LENGTH);
    }
}
