import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.cachegrid.client.SyncCacheGridClient;

/**
 * Cache-aside, as the seed README's Flask example: look in CacheGrid first, on a miss read the (slow) database and
 * cache the row for an hour. Run: scripts/example.sh CacheAside [host:port]   (default localhost:8080)
 */
public class CacheAside {

    /** Stands in for a database: a fixed map behind a 200 ms delay per lookup. */
    static final class SlowDatabase {
        private final Map<String, Map<String, Object>> users = Map.of(
                "42", Map.of("id", "42", "name", "Alice", "email", "alice@example.com"),
                "43", Map.of("id", "43", "name", "Bob", "email", "bob@example.com"));

        Optional<Map<String, Object>> getUser(String userId) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.ofNullable(users.get(userId));
        }
    }

    /** The handler of GET /users/{user_id} in the Flask example. */
    static final class UserService {
        private final SyncCacheGridClient cache;
        private final SlowDatabase database;

        UserService(SyncCacheGridClient cache, SlowDatabase database) {
            this.cache = cache;
            this.database = database;
        }

        Optional<Map> getUser(String userId) {
            // Try cache first
            Optional<Map> user = cache.get("user:" + userId, Map.class);
            if (user.isPresent()) {
                return user;
            }
            // Fetch from database
            Optional<Map<String, Object>> fromDb = database.getUser(userId);
            // Cache for 1 hour
            fromDb.ifPresent(row -> cache.set("user:" + userId, row, Duration.ofHours(1)));
            return fromDb.map(Map.class::cast);
        }
    }

    public static void main(String[] args) {
        String host = args.length > 0 ? args[0] : "localhost:8080";
        try (SyncCacheGridClient cache = SyncCacheGridClient.builder().hosts(host).build()) {
            cache.delete("user:42");
            UserService service = new UserService(cache, new SlowDatabase());
            for (int request = 1; request <= 3; request++) {
                long start = System.nanoTime();
                Optional<Map> user = service.getUser("42");
                System.out.printf("request %d: %s in %.1f ms%n", request, user.orElse(null),
                        (System.nanoTime() - start) / 1e6);
            }
            System.out.println("unknown user: " + service.getUser("99").orElse(null));
        }
    }
}
