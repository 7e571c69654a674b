package io.cachegrid.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every operation of the blocking client against a real server. Keys carry a per-test prefix: the server is shared. */
class SyncClientOperationsTest {
    private static SyncCacheGridClient client;

    @BeforeAll
    static void connect() {
        client = SyncCacheGridClient.builder().hosts(SharedServer.get().address()).build();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void setGetDeleteAndExists() {
        assertTrue(client.set("sync:user:123", Map.of("name", "Alice", "age", 30)));
        JsonObject user = client.get("sync:user:123").orElseThrow().asJsonObject();
        assertEquals("Alice", user.getString("name"));
        assertEquals(30, user.getInt("age"));
        assertTrue(client.exists("sync:user:123"));
        assertTrue(client.delete("sync:user:123"));
        assertFalse(client.delete("sync:user:123"));
        assertFalse(client.exists("sync:user:123"));
        assertEquals(Optional.empty(), client.get("sync:user:123"));
    }

    @Test
    void everyJsonTypeRoundTrips() {
        client.set("sync:string", "MyApp");
        client.set("sync:number", 19.99);
        client.set("sync:list", List.of(1, "two", false));
        client.set("sync:null", null);
        assertEquals(Optional.of("MyApp"), client.get("sync:string", String.class));
        assertEquals(Optional.of(19.99), client.get("sync:number", Double.class));
        assertEquals(Optional.of(List.of(1L, "two", false)), client.get("sync:list", List.class));
        assertEquals(Optional.of(JsonValue.NULL), client.get("sync:null"), "a stored null is not a miss");
        assertEquals(Optional.empty(), client.get("sync:null", String.class));
    }

    @Test
    void keysWithReservedAndUnicodeCharacters() {
        String key = "sync:a/b c?d&e=f%g+h#i ünïcødé 🚀";
        client.set(key, "odd");
        assertEquals(Optional.of("odd"), client.get(key, String.class));
        assertTrue(client.keys("sync:a/b c?d", 10).contains(key));
        assertTrue(client.delete(key));
        for (String dots : new String[] {".", ".."}) {
            client.set(dots, dots);
            assertEquals(Optional.of(dots), client.get(dots, String.class));
            assertTrue(client.delete(dots));
        }
    }

    @Test
    void ttlExpires() throws InterruptedException {
        client.set("sync:session:abc", Map.of("token", "xyz"), Duration.ofMillis(300));
        client.set("sync:session:long", "stays", 3600);
        assertTrue(client.exists("sync:session:abc"));
        Thread.sleep(700);
        assertFalse(client.exists("sync:session:abc"));
        assertTrue(client.exists("sync:session:long"));
    }

    @Test
    void batchSetAndGet() {
        Map<String, Object> products = new LinkedHashMap<>();
        products.put("sync:product:1", Map.of("name", "Widget", "price", 19.99));
        products.put("sync:product:2", Map.of("name", "Gadget", "price", 29.99));
        assertEquals(2, client.setMulti(products));
        Map<String, JsonValue> found = client.getMulti(List.of("sync:product:1", "sync:product:missing",
                "sync:product:2"));
        assertEquals(List.of("sync:product:1", "sync:product:2"), List.copyOf(found.keySet()));
        assertEquals("Gadget", found.get("sync:product:2").asJsonObject().getString("name"));
        assertEquals(Map.of(), client.getMulti(List.of()));
        assertEquals(1, client.setMulti(Map.of("sync:product:3", "short-lived"), Duration.ofSeconds(60)));
    }

    @Test
    void keysStatsAndHealth() {
        for (int i = 0; i < 5; i++) {
            client.set("sync:keys:" + i, i);
        }
        assertEquals(5, client.keys("sync:keys:", 100).size());
        assertEquals(2, client.keys("sync:keys:", 2).size());
        assertFalse(client.keys().isEmpty());
        JsonObject stats = client.stats();
        assertTrue(stats.getJsonNumber("current_size").longValue() >= 5);
        assertTrue(stats.containsKey("hit_ratio"));
        assertEquals("healthy", client.health().getString("status"));
    }

    @Test
    void invalidInputIsABadRequest() {
        var e = assertThrows(CacheGridBadRequestException.class, () -> client.set("k".repeat(251), 1));
        assertEquals(400, e.status());
        assertFalse(e.error().isEmpty());
        assertThrows(CacheGridBadRequestException.class, () -> client.keys("", 0));
    }

    @Test
    void clearRemovesEverything() {
        // Safe on the shared server: test classes and methods run one at a time and each sets up its own keys.
        client.setMulti(Map.of("sync:clear:a", 1, "sync:clear:b", 2));
        assertTrue(client.clear() >= 2);
        assertEquals(List.of(), client.keys());
        assertEquals(0, client.stats().getInt("current_size"));
    }
}
