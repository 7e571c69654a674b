package io.cachegrid.security;

import java.util.Map;

import io.cachegrid.Main;
import io.cachegrid.config.CacheGridSettings;
import io.cachegrid.config.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token settings: parsing, roles, refusals that never show a secret. */
class AuthSettingsTest {

    private static final String SECRET = "Sup3rSecretTokenValue";

    @Test
    void offByDefault() {
        assertFalse(resolve(Map.of()).security().authEnabled());
        assertEquals(SecuritySettings.off().toString(), resolve(Map.of()).security().toString());
    }

    @Test
    void pairsAndTheSingleAdminToken() {
        AuthTokens tokens = resolve(Map.of("CACHEGRID_AUTH_TOKENS", AuthClient.TOKENS)).security().tokens();
        assertEquals(Role.READ, tokens.roleOf(AuthClient.READ).orElseThrow());
        assertEquals(Role.WRITE, tokens.roleOf(AuthClient.WRITE).orElseThrow());
        assertEquals(Role.ADMIN, tokens.roleOf(AuthClient.ADMIN).orElseThrow());
        assertTrue(tokens.roleOf(AuthClient.ADMIN + "x").isEmpty());
        assertTrue(tokens.roleOf("").isEmpty());
        AuthTokens single = resolve(Map.of("CACHEGRID_AUTH_TOKEN", SECRET)).security().tokens();
        assertEquals(Role.ADMIN, single.roleOf(SECRET).orElseThrow());
        assertEquals("Bearer " + SECRET, single.peerAuthorization().orElseThrow());
        assertFalse(single.toString().contains(SECRET));
        assertFalse(resolve(Map.of("CACHEGRID_AUTH_TOKEN", SECRET)).toString().contains(SECRET));
    }

    @Test
    void refusalsNameTheVariableButNeverTheValue() {
        for (String bad : new String[] {"reader:" + SECRET, SECRET, "read:short", "read:" + SECRET + " with space",
                "read:" + SECRET + ",write:" + SECRET, "public:" + SECRET}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> resolve(Map.of("CACHEGRID_AUTH_TOKENS", bad)));
            assertTrue(e.getMessage().startsWith("Invalid CACHEGRID_AUTH_TOKENS (value not shown)"), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET) || e.getMessage().contains("short"), e.getMessage());
        }
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> resolve(Map.of("CACHEGRID_AUTH_TOKEN", "tiny")));
        assertTrue(e.getMessage().startsWith("Invalid CACHEGRID_AUTH_TOKEN "), e.getMessage());
    }

    @Test
    void aClusterWithAuthNeedsAnAdminTokenForItsMembers() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> resolve(Map.of(
                "CACHEGRID_PEERS", "127.0.0.1:7001", "CACHEGRID_AUTH_TOKENS", "read:" + SECRET)));
        assertTrue(e.getMessage().contains("admin"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET));
    }

    @Test
    void theFailureLimitIsARange() {
        assertEquals(30, resolve(Map.of()).security().failuresPerMinute());
        assertThrows(ConfigurationException.class, () -> resolve(Map.of("CACHEGRID_AUTH_FAILURE_LIMIT", "0")));
    }

    @Test
    void bearerHeaderParsing() {
        assertEquals("abc", AuthFilter.bearerToken("Bearer abc").orElseThrow());
        assertEquals("abc", AuthFilter.bearerToken("BEARER  abc ").orElseThrow());
        assertTrue(AuthFilter.bearerToken("Basic abc").isEmpty());
        assertTrue(AuthFilter.bearerToken("Bearer").isEmpty());
    }

    private static CacheGridSettings resolve(Map<String, String> env) {
        return CacheGridSettings.resolve(Main.defaults(), env, Map.of());
    }
}
