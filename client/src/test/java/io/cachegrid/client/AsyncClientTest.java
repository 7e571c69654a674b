package io.cachegrid.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The async client against a real server: the same operations as futures, and many calls in flight at once. */
class AsyncClientTest {
    private static CacheGridClient client;

    @BeforeAll
    static void connect() {
        client = CacheGridClient.builder().hosts(SharedServer.get().address()).timeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void everyOperationAsAFuture() {
        assertTrue(client.set("async:user:123", Map.of("name", "Alice", "age", 30)).join());
        assertEquals("Alice", client.get("async:user:123").join().orElseThrow().asJsonObject().getString("name"));
        assertTrue(client.set("async:session:abc", Map.of("token", "xyz"), Duration.ofSeconds(3600)).join());
        assertTrue(client.set("async:ttl:seconds", "v", 60).join());
        assertEquals(2, client.setMulti(Map.of("async:product:1", Map.of("name", "Widget", "price", 19.99),
                "async:product:2", Map.of("name", "Gadget", "price", 29.99))).join());
        assertEquals(1, client.setMulti(Map.of("async:product:3", 3), Duration.ofSeconds(60)).join());
        Map<String, JsonValue> products = client.getMulti(List.of("async:product:1", "async:product:2")).join();
        assertEquals(2, products.size());
        assertEquals(Optional.of(3), client.get("async:product:3", Integer.class).join());
        assertTrue(client.exists("async:product:1").join());
        assertTrue(client.delete("async:product:1").join());
        assertEquals(List.of("async:product:2", "async:product:3"),
                client.keys("async:product:", 10).join().stream().sorted().toList());
        assertFalse(client.keys().join().isEmpty());
        assertTrue(client.stats().join().getJsonNumber("current_size").longValue() >= 4);
        assertEquals("healthy", client.health().join().getString("status"));
        assertTrue(client.clear().join() >= 4);
    }

    @Test
    void manyCallsInFlight() {
        List<CompletableFuture<Boolean>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            writes.add(client.set("async:many:" + i, i));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        List<CompletableFuture<Optional<Integer>>> reads = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            reads.add(client.get("async:many:" + i, Integer.class));
        }
        for (int i = 0; i < 200; i++) {
            assertEquals(Optional.of(i), reads.get(i).join());
        }
    }

    @Test
    void badRequestFailsTheFuture() {
        var e = assertThrows(CompletionException.class, () -> client.set("k".repeat(251), 1).join());
        assertInstanceOf(CacheGridBadRequestException.class, e.getCause());
    }
}
