import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cachegrid.client.CacheGridClient;
import io.cachegrid.client.SyncCacheGridClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The seed README's Python examples ("Async Client Usage", "Synchronous Client Usage") in Java.
 * Run: scripts/example.sh BasicUsage [host:port]   (default localhost:8080)
 */
public class BasicUsage {
    public static void main(String[] args) {
        String host = args.length > 0 ? args[0] : "localhost:8080";

        // Initialize client (async: every call returns a CompletableFuture)
        try (CacheGridClient client = CacheGridClient.builder().hosts(host).build()) {
            // Basic operations
            client.set("user:123", Map.of("name", "Alice", "age", 30)).join();
            Optional<JsonValue> user = client.get("user:123").join();
            System.out.println("User: " + user.orElse(null));

            // TTL operations
            client.set("session:abc", Map.of("token", "xyz"), Duration.ofSeconds(3600)).join();

            // Batch operations
            client.setMulti(Map.of(
                    "product:1", Map.of("name", "Widget", "price", 19.99),
                    "product:2", Map.of("name", "Gadget", "price", 29.99))).join();

            Map<String, JsonValue> products = client.getMulti(List.of("product:1", "product:2")).join();
            System.out.println("Products: " + products);

            // Administrative operations
            JsonObject stats = client.stats().join();
            System.out.println("Cache size: " + stats.get("current_size"));
        }

        // For non-async applications
        try (SyncCacheGridClient client = SyncCacheGridClient.builder().hosts(host).build()) {
            client.set("config:app_name", "MyApp");
            String appName = client.get("config:app_name", String.class).orElse(null);
            System.out.println("App name: " + appName);
        }
    }
}
