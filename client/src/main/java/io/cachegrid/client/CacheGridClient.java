package io.cachegrid.client;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Asynchronous CacheGrid client: every method returns a {@link CompletableFuture} at once and runs the blocking call
 * of a {@link SyncCacheGridClient} on a virtual thread of its own. A failed call completes the future exceptionally
 * with a {@link CacheGridException}. See {@link SyncCacheGridClient} for what each operation does.
 * <pre>{@code
 * try (CacheGridClient client = CacheGridClient.builder().hosts("localhost:8080").build()) {
 *     client.set("user:123", Map.of("name", "Alice", "age", 30)).join();
 *     Optional<JsonValue> user = client.get("user:123").join();
 * }
 * }</pre>
 */
public final class CacheGridClient implements AutoCloseable {
    private final SyncCacheGridClient sync;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private CacheGridClient(ClientSettings settings) {
        this.sync = new SyncCacheGridClient(settings);
    }

    public static CacheGridClientBuilder<CacheGridClient> builder() {
        return new CacheGridClientBuilder<>(CacheGridClient::new);
    }

    public CompletableFuture<Optional<JsonValue>> get(String key) {
        return async(() -> sync.get(key));
    }

    public <T> CompletableFuture<Optional<T>> get(String key, Class<T> type) {
        return async(() -> sync.get(key, type));
    }

    public CompletableFuture<Boolean> set(String key, Object value) {
        return async(() -> sync.set(key, value));
    }

    public CompletableFuture<Boolean> set(String key, Object value, Duration ttl) {
        return async(() -> sync.set(key, value, ttl));
    }

    public CompletableFuture<Boolean> set(String key, Object value, long ttlSeconds) {
        return async(() -> sync.set(key, value, ttlSeconds));
    }

    public CompletableFuture<Boolean> set(String key, Object value, Duration ttl, String... tags) {
        String[] copy = tags.clone();
        return async(() -> sync.set(key, value, ttl, copy));
    }

    public CompletableFuture<Boolean> setIfAbsent(String key, Object value) {
        return async(() -> sync.setIfAbsent(key, value));
    }

    public CompletableFuture<Boolean> setIfAbsent(String key, Object value, Duration ttl) {
        return async(() -> sync.setIfAbsent(key, value, ttl));
    }

    public CompletableFuture<Optional<Versioned>> getWithVersion(String key) {
        return async(() -> sync.getWithVersion(key));
    }

    public CompletableFuture<Boolean> compareAndSet(String key, Object value, String version) {
        return async(() -> sync.compareAndSet(key, value, version));
    }

    public CompletableFuture<Boolean> compareAndSet(String key, Object value, String version, Duration ttl) {
        return async(() -> sync.compareAndSet(key, value, version, ttl));
    }

    public CompletableFuture<Long> incr(String key) {
        return async(() -> sync.incr(key));
    }

    public CompletableFuture<Long> incr(String key, long by) {
        return async(() -> sync.incr(key, by));
    }

    public CompletableFuture<Long> incr(String key, long by, Duration ttlIfCreated) {
        return async(() -> sync.incr(key, by, ttlIfCreated));
    }

    public CompletableFuture<Long> decr(String key) {
        return async(() -> sync.decr(key));
    }

    public CompletableFuture<Long> decr(String key, long by) {
        return async(() -> sync.decr(key, by));
    }

    public CompletableFuture<Long> decr(String key, long by, Duration ttlIfCreated) {
        return async(() -> sync.decr(key, by, ttlIfCreated));
    }

    public CompletableFuture<Long> invalidateTag(String tag) {
        return async(() -> sync.invalidateTag(tag));
    }

    public CompletableFuture<List<String>> keysWithTag(String tag) {
        return async(() -> sync.keysWithTag(tag));
    }

    public CompletableFuture<Boolean> delete(String key) {
        return async(() -> sync.delete(key));
    }

    public CompletableFuture<Boolean> exists(String key) {
        return async(() -> sync.exists(key));
    }

    public CompletableFuture<Map<String, JsonValue>> getMulti(Collection<String> keys) {
        List<String> copy = List.copyOf(keys);
        return async(() -> sync.getMulti(copy));
    }

    public CompletableFuture<Integer> setMulti(Map<String, ?> items) {
        Map<String, ?> copy = new LinkedHashMap<>(items);
        return async(() -> sync.setMulti(copy));
    }

    public CompletableFuture<Integer> setMulti(Map<String, ?> items, Duration ttl) {
        Map<String, ?> copy = new LinkedHashMap<>(items);
        return async(() -> sync.setMulti(copy, ttl));
    }

    public CompletableFuture<Long> clear() {
        return async(sync::clear);
    }

    public CompletableFuture<List<String>> keys() {
        return async(() -> sync.keys());
    }

    public CompletableFuture<List<String>> keys(String pattern, int limit) {
        return async(() -> sync.keys(pattern, limit));
    }

    public CompletableFuture<JsonObject> stats() {
        return async(sync::stats);
    }

    public CompletableFuture<JsonObject> health() {
        return async(sync::health);
    }

    /** Waits for calls in flight, then closes the connections. */
    @Override
    public void close() {
        threads.close();
        sync.close();
    }

    private <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, threads);
    }
}
