package dev.modelsel.engine.jvm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chronicle must not phone home: its analytics are off the class path, and disabled besides. */
class NoNetworkTest
{
    @Test
    void shouldNotHaveChronicleAnalyticsOnTheClassPath()
    {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("net.openhft.chronicle.analytics.Analytics"));
    }

    @Test
    void shouldStartEveryTestJvmWithAnalyticsDisabled()
    {
        assertEquals("true", System.getProperty("chronicle.analytics.disable"));
    }

    @Test
    void shouldListTheParentPomsFlagsAndFindNoneMissingHere()
    {
        assertTrue(JvmFlags.all().contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), JvmFlags.all().toString());
        assertTrue(JvmFlags.all().contains("-Dchronicle.analytics.disable=true"));
        assertEquals(List.of(), JvmFlags.missing(), "Surefire starts tests with the parent POM's flags");
    }
}
