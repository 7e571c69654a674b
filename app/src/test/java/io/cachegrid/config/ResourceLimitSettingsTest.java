package io.cachegrid.config;

import java.time.Duration;
import java.util.Map;

import io.cachegrid.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listener's limits: defaults from application.yaml, overrides, and one line naming a bad value. */
class ResourceLimitSettingsTest {

    private static CacheGridSettings resolve(Map<String, String> env) {
        return CacheGridSettings.resolve(Main.defaults(), env, Map.of());
    }

    @Test
    void defaults() {
        CacheGridSettings s = resolve(Map.of());
        assertEquals(10_000, s.maxConnections());
        assertEquals(Duration.ofSeconds(60), s.idleTimeout());
        assertEquals(Duration.ofSeconds(30), s.readTimeout());
        assertEquals(Duration.ofSeconds(120), s.requestTimeout());
    }

    @Test
    void overrides() {
        CacheGridSettings s = resolve(Map.of("CACHEGRID_MAX_CONNECTIONS", "500",
                "CACHEGRID_IDLE_TIMEOUT_SECONDS", "2.5", "CACHEGRID_READ_TIMEOUT_SECONDS", "0.5",
                "CACHEGRID_REQUEST_TIMEOUT_SECONDS", "7"));
        assertEquals(500, s.maxConnections());
        assertEquals(Duration.ofMillis(2500), s.idleTimeout());
        assertEquals(Duration.ofMillis(500), s.readTimeout());
        assertEquals(Duration.ofSeconds(7), s.requestTimeout());
    }

    @ParameterizedTest
    @CsvSource({"CACHEGRID_MAX_CONNECTIONS, 0", "CACHEGRID_MAX_CONNECTIONS, many", "CACHEGRID_MAX_CONNECTIONS, 2000000",
            "CACHEGRID_IDLE_TIMEOUT_SECONDS, 0", "CACHEGRID_IDLE_TIMEOUT_SECONDS, -1", "CACHEGRID_IDLE_TIMEOUT_SECONDS, 1e9",
            "CACHEGRID_READ_TIMEOUT_SECONDS, 0", "CACHEGRID_READ_TIMEOUT_SECONDS, soon",
            "CACHEGRID_REQUEST_TIMEOUT_SECONDS, 0", "CACHEGRID_REQUEST_TIMEOUT_SECONDS, later"})
    void badValuesAreRefusedNamingTheVariable(String variable, String value) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> resolve(Map.of(variable, value)));
        assertTrue(e.getMessage().contains(variable) && e.getMessage().contains(value), e.getMessage());
    }
}
