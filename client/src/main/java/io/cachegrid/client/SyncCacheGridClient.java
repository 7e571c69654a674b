package io.cachegrid.client;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
 * Conditional writes ({@link #setIfAbsent}, {@link #compareAndSet}) return false when the server refuses them (412);
 * increments and conditional writes are never repeated on another host once they may have reached a server.
 * <pre>{@code
 * try (SyncCacheGridClient client = SyncCacheGridClient.builder().hosts("localhost:8080").build()) {
 *     client.set("config:app_name", "MyApp");
 *     Optional<String> appName = client.get("config:app_name", String.class);
 * }
 * }</pre>
 */
public final class SyncCacheGridClient implements AutoCloseable {
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final int PRECONDITION_FAILED = 412;
    /** Keys per call of {@link #keysWithTag}: the server's largest page. */
    private static final int TAG_PAGE = 1000;

    private final HostPool pool;
    private final FailoverExecutor executor;
    private final Placement placement;
    private final AtomicBoolean closed = new AtomicBoolean();

    SyncCacheGridClient(ClientSettings settings) {
        HttpTransport transport = new HttpTransport(settings);
        this.pool = new HostPool(settings.hosts().stream().map(transport::connect).toList(), settings.backoff(),
                transport::connect);
        this.placement = new Placement(settings.clusterRouting());
        this.executor = new FailoverExecutor(pool, transport, settings.maxRetries(), placement);
        placement.fetchWith(() -> call(ApiRequest.of(Method.GET, "/cluster")));
    }

    /** Where this client sends keys (for tests). */
    Placement placement() {
        return placement;
    }

    public static CacheGridClientBuilder<SyncCacheGridClient> builder() {
        return new CacheGridClientBuilder<>(SyncCacheGridClient::new);
    }

    /** The value stored under {@code key} (JSON null included), or empty when the key is missing or expired. */
    public Optional<JsonValue> get(String key) {
        JsonObject answer = call(ApiRequest.of(Method.GET, cachePath(key)).routedBy(key));
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

    /**
     * Stores a value with tags (each non-empty, without commas; the server caps how many and how long), replacing
     * the key's old tags. {@code ttl} may be {@code null} for no expiry. Tagged keys can be listed with
     * {@link #keysWithTag} and removed together with {@link #invalidateTag}.
     */
    public boolean set(String key, Object value, Duration ttl, String... tags) {
        ApiRequest request = ApiRequest.of(Method.PUT, cachePath(key)).routedBy(key).withBody(JsonValues.toJson(value));
        Map<String, String> query = new LinkedHashMap<>();
        if (ttl != null) {
            query.put("ttl", ttlSeconds(ttl));
        }
        if (tags.length > 0) {
            query.put("tags", tagList(tags));
        }
        return call(request.withQuery(query)).getBoolean("success", false);
    }

    /**
     * Stores a value only if the key holds none ({@code If-None-Match: *}): true when this call stored it, false
     * when the key already had a value (the server answered 412). Of several racing callers exactly one wins.
     */
    public boolean setIfAbsent(String key, Object value) {
        return conditionalStore(key, value, null, "If-None-Match", "*");
    }

    /** As {@link #setIfAbsent(String, Object)}, the value expiring after {@code ttl}. */
    public boolean setIfAbsent(String key, Object value, Duration ttl) {
        return conditionalStore(key, value, ttlSeconds(ttl), "If-None-Match", "*");
    }

    /**
     * The value and the version it is stored at (from the answer's {@code ETag}), or empty when the key is missing
     * or expired. Pass the version to {@link #compareAndSet} to write only if nobody wrote the key in between.
     */
    public Optional<Versioned> getWithVersion(String key) {
        ApiAnswer answer = executeCall(ApiRequest.of(Method.GET, cachePath(key)).routedBy(key));
        if (!answer.body().getBoolean("exists", false)) {
            return Optional.empty();
        }
        String version = answer.version().orElseThrow(() -> new CacheGridException(
                "server answer to GET " + key + " lacks an ETag (a server before version-aware writes?)", null, 200,
                null));
        return Optional.of(new Versioned(answer.body().get("value"), version));
    }

    /**
     * Replaces the value only if the key is still at {@code version} ({@code If-Match}): true when this call wrote
     * it, false when the key was written or removed since (412). Read with {@link #getWithVersion}, compute, try
     * again on false.
     */
    public boolean compareAndSet(String key, Object value, String version) {
        return conditionalStore(key, value, null, "If-Match", entityTag(version));
    }

    /** As {@link #compareAndSet(String, Object, String)}, the new value expiring after {@code ttl}. */
    public boolean compareAndSet(String key, Object value, String version, Duration ttl) {
        return conditionalStore(key, value, ttlSeconds(ttl), "If-Match", entityTag(version));
    }

    /** Adds 1 to the integer stored under {@code key} (a missing key counts as 0); returns the new value. */
    public long incr(String key) {
        return increment(key, "incr", 1, null);
    }

    /**
     * Adds {@code by} to the integer stored under {@code key} atomically on the server (a missing key is created at
     * 0 first, without expiry); returns the new value. A value that is not a JSON integer gives a
     * {@link CacheGridBadRequestException} with status 409, a result outside the 64-bit range one with status 400
     * (nothing changes then). Never repeated after a lost answer: a repeat would add twice.
     */
    public long incr(String key, long by) {
        return increment(key, "incr", by, null);
    }

    /** As {@link #incr(String, long)}; a key created by this call expires after {@code ttlIfCreated}. */
    public long incr(String key, long by, Duration ttlIfCreated) {
        return increment(key, "incr", by, ttlSeconds(ttlIfCreated));
    }

    /** Subtracts 1 (see {@link #incr(String, long)}); returns the new value. */
    public long decr(String key) {
        return increment(key, "decr", 1, null);
    }

    /** Subtracts {@code by} (see {@link #incr(String, long)}); returns the new value. */
    public long decr(String key, long by) {
        return increment(key, "decr", by, null);
    }

    /** As {@link #decr(String, long)}; a key created by this call expires after {@code ttlIfCreated}. */
    public long decr(String key, long by, Duration ttlIfCreated) {
        return increment(key, "decr", by, ttlSeconds(ttlIfCreated));
    }

    /** Removes every key carrying {@code tag}; returns how many were removed. */
    public long invalidateTag(String tag) {
        return field(call(ApiRequest.of(Method.DELETE, tagPath(tag))), "items_removed", JsonNumber.class)
                .longValue();
    }

    /** Every live key carrying {@code tag} (read page by page, 1,000 keys per call). */
    public List<String> keysWithTag(String tag) {
        List<String> keys = new ArrayList<>();
        while (true) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("offset", Integer.toString(keys.size()));
            query.put("limit", Integer.toString(TAG_PAGE));
            JsonObject page = call(ApiRequest.of(Method.GET, tagPath(tag)).withQuery(query));
            JsonArray found = field(page, "keys", JsonArray.class);
            for (JsonValue key : found) {
                keys.add(((JsonString) key).getString());
            }
            long total = field(page, "total", JsonNumber.class).longValue();
            if (found.isEmpty() || keys.size() >= total) {
                return keys;
            }
        }
    }

    /** Removes a key; true when it existed. */
    public boolean delete(String key) {
        return call(ApiRequest.of(Method.DELETE, cachePath(key)).routedBy(key)).getBoolean("deleted", false);
    }

    /** True when the key holds a live value (a read: it counts as a hit or a miss in the server's stats). */
    public boolean exists(String key) {
        return call(ApiRequest.of(Method.GET, cachePath(key)).routedBy(key)).getBoolean("exists", false);
    }

    /** The values of the keys that exist, in the order asked; missing keys are left out. No call for no keys. */
    public Map<String, JsonValue> getMulti(Collection<String> keys) {
        Map<String, JsonValue> found = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        Map<String, JsonObject> results = new HashMap<>();
        for (JsonObject part : BatchParts.send(placement, keys, (anyKey, partKeys) -> {
            JsonObject body = JSON.createObjectBuilder().add("keys", JSON.createArrayBuilder(partKeys)).build();
            return field(call(ApiRequest.of(Method.POST, "/cache/batch/get").withBody(body).routedBy(anyKey)),
                    "results", JsonObject.class);
        })) {
            part.forEach((key, result) -> results.put(key, result.asJsonObject()));
        }
        for (String key : keys) {
            JsonObject result = results.get(key);
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
            pool.allHosts().forEach(host -> host.client().closeResource());
        }
    }

    private boolean store(String key, Object value, String ttl) {
        ApiRequest request = ApiRequest.of(Method.PUT, cachePath(key)).routedBy(key).withBody(JsonValues.toJson(value));
        if (ttl != null) {
            request = request.withQuery(Map.of("ttl", ttl));
        }
        return call(request).getBoolean("success", false);
    }

    private int storeMulti(Map<String, ?> items, String ttl) {
        if (items.isEmpty()) {
            return 0;
        }
        int stored = 0;
        for (JsonObject answer : BatchParts.send(placement, items.keySet(), (anyKey, partKeys) -> {
            Map<String, Object> part = new LinkedHashMap<>();
            partKeys.forEach(key -> part.put(key, items.get(key)));
            JsonObjectBuilder body = JSON.createObjectBuilder().add("items", JsonValues.toJson(part));
            if (ttl != null) {
                body.add("ttl", JSON.createValue(new BigDecimal(ttl)));
            }
            return call(ApiRequest.of(Method.POST, "/cache/batch/set").withBody(body.build()).routedBy(anyKey));
        })) {
            stored += field(answer, "items_set", JsonNumber.class).intValue();
        }
        return stored;
    }

    private boolean conditionalStore(String key, Object value, String ttl, String header, String condition) {
        ApiRequest request = ApiRequest.of(Method.PUT, cachePath(key)).routedBy(key).withBody(JsonValues.toJson(value))
                .withHeader(header, condition).notIdempotent();
        if (ttl != null) {
            request = request.withQuery(Map.of("ttl", ttl));
        }
        try {
            return call(request).getBoolean("success", false);
        } catch (CacheGridBadRequestException e) {
            if (e.status() == PRECONDITION_FAILED) {
                return false;
            }
            throw e;
        }
    }

    private long increment(String key, String operation, long by, String ttl) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("by", Long.toString(by));
        if (ttl != null) {
            query.put("ttl", ttl);
        }
        ApiRequest request = ApiRequest.of(Method.POST, cachePath(key) + "/" + operation).routedBy(key).withQuery(query)
                .notIdempotent();
        JsonNumber value = field(call(request), "value", JsonNumber.class);
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            throw new CacheGridException("server answered a non-64-bit value " + value + " to " + request, null,
                    200, e);
        }
    }

    private JsonObject call(ApiRequest request) {
        return executeCall(request).body();
    }

    private ApiAnswer executeCall(ApiRequest request) {
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
        return "/cache/" + pathSegment(key);
    }

    private static String tagPath(String tag) {
        return "/tags/" + pathSegment(checkTag(tag));
    }

    private static String pathSegment(String raw) {
        // "." and ".." would be dot segments, which HTTP clients and servers normalise away: send them encoded.
        return raw.equals(".") || raw.equals("..") ? raw.replace(".", "%2E") : ApiRequest.segment(raw);
    }

    /** Tags travel comma-separated ({@code ?tags=a,b}): one holding a comma or nothing cannot be sent. */
    private static String checkTag(String tag) {
        if (tag == null || tag.isEmpty() || tag.indexOf(',') >= 0) {
            throw new IllegalArgumentException("a tag is non-empty and has no comma, was " + tag);
        }
        return tag;
    }

    private static String tagList(String... tags) {
        StringBuilder list = new StringBuilder();
        for (String tag : tags) {
            list.append(list.isEmpty() ? "" : ",").append(checkTag(tag));
        }
        return list.toString();
    }

    /** A version as an entity tag for If-Match: the decimal in double quotes. */
    private static String entityTag(String version) {
        if (version == null || version.isEmpty() || version.indexOf('"') >= 0) {
            throw new IllegalArgumentException("version must be one returned by getWithVersion, was " + version);
        }
        return "\"" + version + "\"";
    }

    /** TTL as the decimal seconds the server takes ("3600", "1.5"). */
    private static String ttlSeconds(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be a positive duration, was " + ttl);
        }
        return BigDecimal.valueOf(ttl.toNanos(), 9).stripTrailingZeros().toPlainString();
    }
}
