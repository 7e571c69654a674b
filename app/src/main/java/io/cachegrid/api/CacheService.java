package io.cachegrid.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.EntryTooLargeException;
import io.cachegrid.engine.Stored;
import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.JsonWriter;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Single-key operations: {@code GET|PUT|DELETE /cache/{key}}, {@code POST /cache}, {@code DELETE /cache} and the
 * counters {@code POST /cache/{key}/incr|decr}. Keys are read from the raw path, so any character (including
 * {@code /}, {@code ?}, {@code #}, {@code %}) works when percent-encoded.
 * <p>
 * Every answer that shows or writes a key's value carries its version as {@code ETag}; the conditional headers
 * ({@link Preconditions}) turn a write into compare-and-set or set-if-absent, decided by the engine under the key's
 * lock ({@link Writes}).
 */
public final class CacheService implements HttpService {

    /** Header of a member's copy of a write: the version it was stored at on the key's primary. */
    public static final String REPLICA_VERSION_HEADER = "X-CacheGrid-Replica-Version";
    /** The header that marks a request as a member's (see the cluster package). */
    public static final String INTERNAL_HEADER = "X-CacheGrid-Internal";

    private static final HeaderName REPLICA_VERSION = HeaderNames.create(REPLICA_VERSION_HEADER);
    private static final HeaderName INTERNAL = HeaderNames.create(INTERNAL_HEADER);
    private static final String KEY_PREFIX = "/cache/";

    private final RequestReader reader;
    private final Tags tags;
    private final Writes writes;
    private final ResponseBudget responses;

    public CacheService(CacheEngine engine, ApiLimits limits) {
        this.reader = new RequestReader(limits);
        this.tags = new Tags(limits);
        this.writes = new Writes(engine);
        this.responses = limits.responses();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any("/", this::emptyKey)
                .post("/", this::postItem)
                .delete("/", this::clear)
                .any("/", MethodNotAllowed.allow("POST, DELETE"))
                // a counter is a sub-resource of its key; "{+key}" spans slashes, the key is read from the raw path
                .post("/{+key}/incr", counter(Counter.INCR, this::incr))
                .post("/{+key}/decr", counter(Counter.DECR, this::decr))
                .any("/{+key}/incr", counter(Counter.INCR, MethodNotAllowed.allow("POST")))
                .any("/{+key}/decr", counter(Counter.DECR, MethodNotAllowed.allow("POST")))
                // "/*" is a prefix match: cheaper per request than a {+key} pattern, and the key is read from the
                // raw path anyway (RequestReader.keyFromPath)
                .get("/*", this::get)
                .put("/*", this::put)
                .delete("/*", this::delete)
                .any("/*", MethodNotAllowed.allow("GET, PUT, DELETE"));
    }

    /** The counter routes: {@code /cache/{key}/incr} and {@code /decr}, the suffix written literally. */
    public enum Counter {
        INCR("/incr"), DECR("/decr");

        private final String suffix;

        Counter(String suffix) {
            this.suffix = suffix;
        }

        /**
         * Whether a raw path names this counter of a non-empty key. Routes match the decoded path, so
         * {@code /cache/a%2Fincr} (the key {@code a/incr}) matches the pattern too; it is a plain key, not a counter.
         */
        public boolean names(String rawPath) {
            return rawPath.startsWith(KEY_PREFIX) && rawPath.endsWith(suffix)
                    && rawPath.length() > KEY_PREFIX.length() + suffix.length();
        }

        /** The operation as users name it: {@code incr} or {@code decr}. */
        String operation() {
            return suffix.substring(1);
        }

        /** The still-encoded key of a path this counter {@link #names}. */
        public String encodedKey(String rawPath) {
            return rawPath.substring(KEY_PREFIX.length(), rawPath.length() - suffix.length());
        }

        /** The counter a raw path names, if any. */
        public static Optional<Counter> of(String rawPath) {
            for (Counter counter : values()) {
                if (counter.names(rawPath)) {
                    return Optional.of(counter);
                }
            }
            return Optional.empty();
        }
    }

    private static Handler counter(Counter counter, Handler handler) {
        return (req, res) -> {
            if (counter.names(RequestReader.rawPath(req))) {
                handler.handle(req, res);
            } else {
                res.next();
            }
        };
    }

    /** {@code /cache/} with a method that takes a key names the empty key: a 400, not the whole-cache routes. */
    private void emptyKey(ServerRequest req, ServerResponse res) {
        if (req.prologue().method() != Method.POST && RequestReader.rawPath(req).equals(KEY_PREFIX)) {
            reader.checkKey("");
        }
        res.next();
    }

    private void get(ServerRequest req, ServerResponse res) {
        String key = reader.keyFromPath(req, KEY_PREFIX);
        Preconditions conditions = Preconditions.of(req.headers());
        Stored stored = writes.engine().getStored(key); // counts a hit or a miss, as a plain read
        if (stored == null) {
            if (conditions.ifMatch() != null) {
                throw Preconditions.failed(key, "does not exist");
            }
            Json.send(res, new JsonWriter(96 + 3 * key.length()).beginObject().name("key").value(key)
                    .name("value").nullValue().name("exists").value(false).name("hit").value(false).endObject());
            return;
        }
        long version = stored.version();
        if (conditions.ifMatch() != null && !conditions.ifMatch().matchesStrongly(version)) {
            throw Preconditions.failed(key, "has another version (" + Preconditions.etag(version) + ")");
        }
        res.header(Preconditions.etagHeader(version));
        if (conditions.ifNoneMatch() != null && conditions.ifNoneMatch().matchesWeakly(version)) {
            res.status(Status.NOT_MODIFIED_304).send(); // the client's copy is current: no body
            return;
        }
        // the stored bytes, not a copy: written straight to the socket. The buffer fits the envelope of an ASCII key
        // ({"key":"…","value":…,"exists":true,"hit":true} is 44 bytes besides them); other keys and tags grow it
        JsonWriter out = new JsonWriter(48 + key.length()
                + (stored.value().length() >= JsonWriter.MIN_SPLICE_BYTES ? 0 : stored.value().length()))
                .beginObject().name("key").value(key).name("value");
        Json.storedValue(out, stored.value()).name("exists").value(true).name("hit").value(true);
        if (!stored.tags().isEmpty()) {
            out.name("tags").beginArray();
            stored.tags().forEach(out::value);
            out.endArray();
        }
        Json.send(res, out.endObject(), responses, () -> "the value of \"" + key + "\"");
    }

    private void put(ServerRequest req, ServerResponse res) {
        String key = reader.keyFromPath(req, KEY_PREFIX);
        long ttlNanos = reader.ttlFromQuery(req);
        List<String> tagged = tags.fromQuery(req.query().first("tags").asOptional());
        Preconditions conditions = Preconditions.of(req.headers());
        JsonSlice value = reader.jsonBody(req, reader.limits().maxValueBytes());
        OptionalLong replicaVersion = replicaVersion(req);
        if (replicaVersion.isPresent()) {
            // a copy from the key's primary: stored at the primary's version, and only over an older copy
            long held = writes.putReplica(key, value.bytes(), ttlNanos, tagged, replicaVersion.getAsLong());
            res.header(Preconditions.etagHeader(held));
            Json.send(res, new JsonWriter().beginObject().name("success").value(true).name("key").value(key)
                    .name("version").value(Long.toUnsignedString(held)).endObject());
            return;
        }
        store(res, key, value.bytes(), ttlNanos, tagged, conditions);
    }

    /**
     * The version of a replicated copy: {@value #REPLICA_VERSION_HEADER}, honoured only on a request that is also
     * marked as a member's ({@value #INTERNAL_HEADER}; with access control on, only an admin credential may send
     * that), so a client cannot pin versions.
     */
    static OptionalLong replicaVersion(ServerRequest req) {
        Optional<String> version = req.headers().first(REPLICA_VERSION);
        if (version.isEmpty() || !req.headers().contains(INTERNAL)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(version.get().strip()));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid " + REPLICA_VERSION_HEADER, "expected an unsigned 64-bit version");
        }
    }

    private void postItem(ServerRequest req, ServerResponse res) {
        Preconditions conditions = Preconditions.of(req.headers());
        Map<String, JsonSlice> body = reader.jsonObjectBody(req, reader.limits().maxSingleItemBody()).members();
        JsonSlice key = body.get("key");
        if (key == null || key.kind() != JsonSlice.Kind.STRING) {
            throw ApiException.badRequest("invalid body", "expected {\"key\": string, \"value\": any JSON, "
                    + "\"ttl\": seconds (optional), \"tags\": [string] (optional)}; \"key\" is missing or not a string");
        }
        JsonSlice value = body.get("value");
        if (value == null) {
            throw ApiException.badRequest("invalid body", "\"value\" is missing");
        }
        byte[] bytes = value.bytes();
        if (bytes.length > reader.limits().maxValueBytes()) {
            throw ApiException.tooLarge("value is " + bytes.length + " bytes; the limit is "
                    + reader.limits().maxValueBytes());
        }
        store(res, reader.checkKey(key.asString()), bytes, reader.ttlFromJson(body.get("ttl")),
                tags.fromJson(body.get("tags"), "tags"), conditions);
    }

    private void store(ServerResponse res, String key, byte[] value, long ttlNanos, List<String> tagged,
                       Preconditions conditions) {
        long version;
        try {
            version = writes.put(key, value, ttlNanos, tagged, conditions);
        } catch (EntryTooLargeException e) {
            throw ApiException.tooLarge("the entry needs " + e.weight() + " bytes of cache memory; one entry may use"
                    + " at most " + e.limit() + " bytes (raise CACHEGRID_MAX_MEMORY_MB)");
        }
        res.header(Preconditions.etagHeader(version));
        JsonWriter out = new JsonWriter().beginObject().name("success").value(true).name("key").value(key).name("ttl");
        Json.send(res, Json.ttl(out, ttlNanos).name("version").value(Long.toString(version))
                .name("timestamp").value(Json.timestamp()).endObject());
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String key = reader.keyFromPath(req, KEY_PREFIX);
        OptionalLong replicaVersion = replicaVersion(req);
        // a copy of the primary's delete carries its version: applied over older copies only, leaving a tombstone
        boolean deleted = replicaVersion.isPresent()
                ? writes.deleteReplica(key, replicaVersion.getAsLong())
                : writes.delete(key, Preconditions.of(req.headers()));
        Json.send(res, new JsonWriter().beginObject().name("success").value(true).name("deleted").value(deleted)
                .name("key").value(key).name("timestamp").value(Json.timestamp()).endObject());
    }

    private void incr(ServerRequest req, ServerResponse res) {
        count(req, res, Counter.INCR, 1);
    }

    private void decr(ServerRequest req, ServerResponse res) {
        count(req, res, Counter.DECR, -1);
    }

    private void count(ServerRequest req, ServerResponse res, Counter counter, int sign) {
        String raw = RequestReader.rawPath(req);
        String key = reader.keyFromEncoded(counter.encodedKey(raw));
        Preconditions.of(req.headers()).requireNone(counter.operation());
        long by = reader.longParam(req, "by", 1);
        long ttlNanos = reader.ttlFromQuery(req);
        if (sign < 0 && by == Long.MIN_VALUE) {
            throw Writes.overflow(key, counter.operation() + " by " + by);
        }
        Writes.Counted counted = writes.increment(key, sign * by, ttlNanos, counter.operation() + " by " + by);
        res.header(Preconditions.etagHeader(counted.version()));
        Json.send(res, new JsonWriter().beginObject().name("success").value(true).name("key").value(key)
                .name("value").value(counted.value()).name("version").value(Long.toString(counted.version()))
                .name("timestamp").value(Json.timestamp()).endObject());
    }

    private void clear(ServerRequest req, ServerResponse res) {
        if (!"true".equalsIgnoreCase(req.query().first("confirm").orElse(""))) {
            throw ApiException.badRequest("confirmation required",
                    "clearing removes every key; repeat with ?confirm=true");
        }
        // in a cluster the member that received the clear chose one version (the epoch) and sent it to all members
        // (with the member header): each removes the entries older than it and refuses older copies from then on
        OptionalLong epoch = replicaVersion(req);
        if (epoch.isPresent() && epoch.getAsLong() == 0) {
            throw ApiException.badRequest("invalid " + REPLICA_VERSION_HEADER, "a version is never 0");
        }
        long removed = epoch.isPresent() ? writes.engine().clear(epoch.getAsLong()) : writes.engine().clear();
        Json.send(res, Status.OK_200, new JsonWriter().beginObject().name("success").value(true)
                .name("items_removed").value(removed).name("timestamp").value(Json.timestamp()).endObject());
    }
}
