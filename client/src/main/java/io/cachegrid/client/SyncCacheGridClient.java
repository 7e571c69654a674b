package io.cachegrid.client;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.http.Method;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Blocking CacheGrid client: each method sends one REST call (with failover, see {@link CacheGridClientBuilder}) and
 * returns its result, or throws a {@link CacheGridException}. Thread-safe; keeps HTTP/1.1 connections alive per host.
 * Values are {@link JsonValue}s; methods taking {@code Object} also accept plain Java values (see {@link JsonValues}).
 * <pre>{@code
 * try (SyncCacheGridClient client = SyncCacheGridClient.builder().hosts("localhost:8080").build()) {
 *     client.set("config:app_name", "MyApp");
 *     Optional<String> appName = client.get("config:app_name", String.class);
 * }
 * }</pre>
 */
public final class SyncCacheGridClient implements AutoCloseable {
    private static final JsonProvider JSON = JsonProvider.provider();

    private final HostPool pool;
    private final FailoverExecutor executor;
    private final AtomicBoolean closed = new AtomicBoolean();

    SyncCacheGridClient(ClientSettings settings) {
        HttpTransport transport = new HttpTransport(settings);
        this.pool = new HostPool(settings.hosts().stream().map(transport::connect).toList(), settings.backoff());
        this.executor = new FailoverExecutor(pool, transport, settings.maxRetries());
    }

    public static CacheGridClientBuilder<SyncCacheGridClient> builder() {
        return new CacheGridClientBuilder<>(SyncCacheGridClient::new);
    }

    /** The value stored under {@code key} (JSON null included), or empty when the key is missing or expired. */
    public Optional<JsonValue> get(String key) {
        JsonObject answer = call(ApiRequest.of(Method.GET, cachePath(key)));
        return answer.getBoolean("exists", false) ? Optional.of(answer.get("value")) : Optional.empty();
    }

    /** The value as {@code type} (see {@link JsonValues#as}); empty when missing or JSON null. */
    public <T> Optional<T> get(String key, Class<T> type) {
        return get(key).map(value -> JsonValues.as(value, type));
    }

    /** Stores a value (a {@link JsonValue} or a plain Java value) without expiry. */
    public boolean set(String key, Object value) {
        return store(key, value, null);
    }

    /** Stores a value that expires after {@code ttl} (positive; millisecond and finer parts are kept). */
    public boolean set(String key, Object value, Duration ttl) {
        return store(key, value, ttlSeconds(ttl));
    }

    /** Stores a value that expires after {@code ttlSeconds} (positive). */
    public boolean set(String key, Object value, long ttlSeconds) {
        return set(key, value, Duration.ofSeconds(ttlSeconds));
    }

    /** Removes a key; true when it existed. */
    public boolean delete(String key) {
        return call(ApiRequest.of(Method.DELETE, cachePath(key))).getBoolean("deleted", false);
    }

    /** True when the key holds a live value (a read: it counts as a hit or a miss in the server's stats). */
    public boolean exists(String key) {
        return call(ApiRequest.of(Method.GET, cachePath(key))).getBoolean("exists", false);
    }

    /** The values of the keys that exist, in the order asked; missing keys are left out. No call for no keys. */
    public Map<String, JsonValue> getMulti(Collection<String> keys) {
        Map<String, JsonValue> found = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        JsonObject body = JSON.createObjectBuilder().add("keys", JSON.createArrayBuilder(keys)).build();
        JsonObject results = field(call(ApiRequest.of(Method.POST, "/cache/batch/get").withBody(body)),
                "results", JsonObject.class);
        for (String key : keys) {
            JsonObject result = results.getJsonObject(key);
            if (result != null && result.getBoolean("exists", false)) {
                found.put(key, result.get("value"));
            }
        }
        return found;
    }

    /** Stores several values (each a {@link JsonValue} or plain Java value) without expiry; returns how many. */
    public int setMulti(Map<String, ?> items) {
        return storeMulti(items, null);
    }

    /** Stores several values that expire after {@code ttl}; returns how many were stored. */
    public int setMulti(Map<String, ?> items, Duration ttl) {
        return storeMulti(items, ttlSeconds(ttl));
    }

    /** Removes every key; returns how many there were. */
    public long clear() {
        ApiRequest request = ApiRequest.of(Method.DELETE, "/cache").withQuery(Map.of("confirm", "true"));
        return field(call(request), "items_removed", JsonNumber.class).longValue();
    }

    /** Up to 100 keys. */
    public List<String> keys() {
        return keys("", 100);
    }

    /** Up to {@code limit} (1..1000) keys that contain {@code pattern} (a substring; empty matches all). */
    public List<String> keys(String pattern, int limit) {
        Map<String, String> query = new LinkedHashMap<>();
        if (!pattern.isEmpty()) {
            query.put("pattern", pattern);
        }
        query.put("limit", Integer.toString(limit));
        List<String> keys = new ArrayList<>();
        JsonObject answer = call(ApiRequest.of(Method.GET, "/admin/keys").withQuery(query));
        for (JsonValue key : field(answer, "keys", JsonArray.class)) {
            keys.add(((JsonString) key).getString());
        }
        return keys;
    }

    /** The server's statistics ({@code hits, misses, sets, current_size, hit_ratio, ...}). */
    public JsonObject stats() {
        return call(ApiRequest.of(Method.GET, "/stats"));
    }

    /** The server's health ({@code status:"healthy", uptime_seconds, ...}); an unhealthy server answers 503. */
    public JsonObject health() {
        return call(ApiRequest.of(Method.GET, "/health"));
    }

    /** Closes the kept-alive connections; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pool.hosts().forEach(host -> host.client().closeResource());
        }
    }

    private boolean store(String key, Object value, String ttl) {
        ApiRequest request = ApiRequest.of(Method.PUT, cachePath(key)).withBody(JsonValues.toJson(value));
        if (ttl != null) {
            request = request.withQuery(Map.of("ttl", ttl));
        }
        return call(request).getBoolean("success", false);
    }

    private int storeMulti(Map<String, ?> items, String ttl) {
        if (items.isEmpty()) {
            return 0;
        }
        JsonObjectBuilder body = JSON.createObjectBuilder().add("items", JsonValues.toJson(items));
        if (ttl != null) {
            body.add("ttl", JSON.createValue(new BigDecimal(ttl)));
        }
        JsonObject answer = call(ApiRequest.of(Method.POST, "/cache/batch/set").withBody(body.build()));
        return field(answer, "items_set", JsonNumber.class).intValue();
    }

    private JsonObject call(ApiRequest request) {
        if (closed.get()) {
            throw new IllegalStateException("client is closed");
        }
        return executor.execute(request);
    }

    /** A field the REST contract promises in an answer; its absence is a protocol error, not a retryable one. */
    private static <T extends JsonValue> T field(JsonObject answer, String name, Class<T> type) {
        JsonValue value = answer.get(name);
        if (!type.isInstance(value)) {
            throw new CacheGridException("server answer lacks a JSON " + type.getSimpleName() + " \"" + name + "\": "
                    + answer, null, 200, null);
        }
        return type.cast(value);
    }

    private static String cachePath(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must be 1..250 characters");
        }
        // "." and ".." would be dot segments, which HTTP clients and servers normalise away: send them encoded.
        String segment = key.equals(".") || key.equals("..") ? key.replace(".", "%2E") : ApiRequest.segment(key);
        return "/cache/" + segment;
    }

    /** TTL as the decimal seconds the server takes ("3600", "1.5"). */
    private static String ttlSeconds(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be a positive duration, was " + ttl);
        }
        return BigDecimal.valueOf(ttl.toNanos(), 9).stripTrailingZeros().toPlainString();
    }
}
