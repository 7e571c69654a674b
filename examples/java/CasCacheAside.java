import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.cachegrid.client.SyncCacheGridClient;
import io.cachegrid.client.Versioned;

/**
 * Cache-aside with compare-and-set. Reads: look in CacheGrid first; on a miss load the (slow) database row and cache it
 * with setIfAbsent, so a slow loader never overwrites a value someone wrote meanwhile. Updates of the cached row
 * (here: a visit counter inside a cached profile) read it with its version and write it back with compareAndSet, which
 * the server refuses if anyone wrote the key in between; a refused update reads again and retries, so no update is
 * lost and none counts twice, without locks. A plain get + set would lose updates under the same load.
 * Run: scripts/example.sh CasCacheAside [host:port]   (default localhost:8080)
 */
public class CasCacheAside {
    private static final Duration CACHE_FOR = Duration.ofHours(1);

    /** Stands in for a database: a fixed map behind a 200 ms delay per lookup. */
    static final class SlowDatabase {
        private final AtomicInteger reads = new AtomicInteger();

        Optional<Map<String, Object>> getUser(String userId) {
            reads.incrementAndGet();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "42".equals(userId) ? Optional.of(Map.of("id", "42", "name", "Alice", "visits", 0)) : Optional.empty();
        }
    }

    static final class Profiles {
        private final SyncCacheGridClient cache;
        private final SlowDatabase database;
        final AtomicInteger conflicts = new AtomicInteger();

        Profiles(SyncCacheGridClient cache, SlowDatabase database) {
            this.cache = cache;
            this.database = database;
        }

        /** The cached profile with its version; loaded from the database on a miss. */
        Optional<Versioned> get(String userId) {
            String key = "profile:" + userId;
            Optional<Versioned> cached = cache.getWithVersion(key);
            if (cached.isPresent()) {
                return cached;
            }
            Optional<Map<String, Object>> row = database.getUser(userId);
            if (row.isEmpty()) {
                return Optional.empty();
            }
            // Whoever loads first fills the cache; a later loader keeps the value that is there (it may be newer).
            cache.setIfAbsent(key, row.get(), CACHE_FOR);
            return cache.getWithVersion(key);
        }

        /** Applies {@code change} to the cached profile; retries when another writer got there first. */
        Map<String, Object> update(String userId, UnaryOperator<Map<String, Object>> change) {
            while (true) {
                Versioned current = get(userId).orElseThrow();
                @SuppressWarnings("unchecked")
                Map<String, Object> updated = change.apply(new LinkedHashMap<>(current.value(Map.class)));
                if (cache.compareAndSet("profile:" + userId, updated, current.version(), CACHE_FOR)) {
                    return updated;
                }
                conflicts.incrementAndGet();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String host = args.length > 0 ? args[0] : "localhost:8080";
        try (SyncCacheGridClient cache = SyncCacheGridClient.builder().hosts(host).build()) {
            cache.delete("profile:42");
            SlowDatabase database = new SlowDatabase();
            Profiles profiles = new Profiles(cache, database);

            // 4 request handlers record 25 visits each, all at once, starting with an empty cache.
            List<Future<?>> handlers = new ArrayList<>();
            try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
                for (int t = 0; t < 4; t++) {
                    handlers.add(threads.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            profiles.update("42", p -> {
                                p.put("visits", ((Number) p.get("visits")).longValue() + 1);
                                return p;
                            });
                        }
                    }));
                }
                for (Future<?> handler : handlers) {
                    handler.get();
                }
            }
            Versioned profile = profiles.get("42").orElseThrow();
            System.out.println("profile: " + profile.value() + " at version " + profile.version());
            System.out.println("visits recorded: " + profile.value().asJsonObject().getInt("visits") + " of 100"
                    + " (" + profiles.conflicts.get() + " conflicting updates retried, "
                    + database.reads.get() + " database read(s))");
            System.out.println("unknown user: " + profiles.get("99").map(Versioned::value).orElse(null));
        }
    }
}
