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
    private static final Handler KEY_METHODS = MethodNotAllowed.allow("GET, PUT, DELETE");
    private static final Handler COUNTER_METHODS = MethodNotAllowed.allow("POST");

    private final RequestReader reader;
    private final Tags tags;
    private final Writes writes;
    private final ResponseBudget responses;
    private final WriteReplication replication;

    public CacheService(CacheEngine engine, ApiLimits limits) {
        this(engine, limits, WriteReplication.NONE);
    }

    /** A service whose writes are confirmed by {@code replication} (the cluster's other owners) before each answer. */
    public CacheService(CacheEngine engine, ApiLimits limits, WriteReplication replication) {
        this.reader = new RequestReader(limits);
        this.tags = new Tags(limits);
        this.writes = new Writes(engine);
        this.responses = limits.responses();
        this.replication = replication;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any("/", this::emptyKey)
                .post("/", this::postItem)
                .delete("/", this::clear)
                .any("/", MethodNotAllowed.allow("POST, DELETE"))
                // a counter is a sub-resource of its key; "{+key}" spans slashes, the key is read from the raw path.
                // Only POST tries these patterns (routes check the method first): a regex per counter request, not
                // per request to a key. Other methods on a counter get their 405 from the key routes below
                .post("/{+key}/incr", counter(Counter.INCR))
                .post("/{+key}/decr", counter(Counter.DECR))
                // "/*" is a prefix match: cheaper per request than a {+key} pattern, and the key is read from the
                // raw path anyway (RequestReader.keyFromPath)
                .get("/*", keyOrCounter(this::get))
                .put("/*", keyOrCounter(this::put))
                .delete("/*", keyOrCounter(this::delete))
                .any("/*", (req, res) -> (Counter.named(RequestReader.rawPath(req)) == null ? KEY_METHODS
                        : COUNTER_METHODS).handle(req, res));
    }

    /**
     * GET and PUT of a key once more, for the top-level routing, where {@code CacheGridServer} adds them just before
     * this service: Helidon then answers them without entering the service (a nested route crawler, its parameter
     * map and prefix matches: ~0.4 KB per request). Every other request, and any path these handlers do not own (no
     * key, a counter), goes on to the service, which answers it as before.
     */
    public void keyRoutes(HttpRules rules) {
        rules.get(KEY_PREFIX + "*", topLevel(this::get))
                .put(KEY_PREFIX + "*", topLevel(this::put));
    }

    private static Handler topLevel(Handler keyHandler) {
        return (req, res) -> {
            String raw = RequestReader.rawPath(req);
            if (raw.length() > KEY_PREFIX.length() && raw.startsWith(KEY_PREFIX) && Counter.named(raw) == null) {
                keyHandler.handle(req, res);
            } else {
                res.next();
            }
        };
    }

    /** POST on a counter's path; the pattern also matches {@code /cache/a%2Fincr}, a plain key (see Counter). */
    private Handler counter(Counter counter) {
        return (req, res) -> {
            if (counter.names(RequestReader.rawPath(req))) {
                count(req, res, counter);
            } else {
                res.next();
            }
        };
    }

    /** A key's handler, or the 405 of a counter's path asked with another method than POST. */
    private static Handler keyOrCounter(Handler keyHandler) {
        return (req, res) -> (Counter.named(RequestReader.rawPath(req)) == null ? keyHandler : COUNTER_METHODS)
                .handle(req, res);
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
            return Optional.ofNullable(named(rawPath));
        }

        /** The counter a raw path names, or null. */
        static Counter named(String rawPath) {
            if (INCR.names(rawPath)) {
                return INCR;
            }
            return DECR.names(rawPath) ? DECR : null;
        }
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
            Json.sendAnswer(res, Json.answer(96 + 3 * key.length()).beginObject().name("key").value(key)
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
        JsonWriter out = Json.answer(48 + key.length()
                + (stored.value().length() >= JsonWriter.MIN_SPLICE_BYTES ? 0 : stored.value().length()))
                .beginObject().name("key").value(key).name("value");
        Json.storedValue(out, stored.value()).name("exists").value(true).name("hit").value(true);
        if (!stored.tags().isEmpty()) {
            out.name("tags").beginArray();
            stored.tags().forEach(out::value);
            out.endArray();
        }
        Json.sendAnswer(res, out.endObject(), responses, () -> "the value of \"" + key + "\"");
    }

    private void put(ServerRequest req, ServerResponse res) {
        String key = reader.keyFromPath(req, KEY_PREFIX);
        long ttlNanos = reader.ttlFromQuery(req);
        List<String> tagged = tags.fromQuery(req.query().contains("tags") ? req.query().first("tags").asOptional()
                                                                       : Optional.empty());
        Preconditions conditions = Preconditions.of(req.headers());
        JsonSlice value = reader.jsonBody(req, reader.limits().maxValueBytes());
        OptionalLong replicaVersion = replicaVersion(req);
        if (replicaVersion.isPresent()) {
            // a copy from the key's primary: stored at the primary's version, and only over an older copy
            replicaStored(res, key, writes.putReplica(key, value.bytes(), ttlNanos, tagged,
                    replicaVersion.getAsLong()));
            return;
        }
        store(req, res, key, value.bytes(), ttlNanos, tagged, conditions);
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
        // one check, shared with the cluster's router (PostedItem), so both refuse exactly the same bodies
        PostedItem item = PostedItem.check(reader.jsonObjectBody(req, reader.limits().maxSingleItemBody()).members(),
                reader.limits());
        String checkedKey = item.key();
        byte[] bytes = item.value();
        long ttlNanos = item.ttlNanos();
        List<String> tagged = item.tags();
        OptionalLong replicaVersion = replicaVersion(req);
        if (replicaVersion.isPresent()) {
            // a member's copy sent as JSON, so that any key (a lone surrogate too) arrives exactly as stored
            replicaStored(res, checkedKey, writes.putReplica(checkedKey, bytes, ttlNanos, tagged,
                    replicaVersion.getAsLong()));
            return;
        }
        store(req, res, checkedKey, bytes, ttlNanos, tagged, conditions);
    }

    private static void replicaStored(ServerResponse res, String key, long held) {
        res.header(Preconditions.etagHeader(held));
        Json.send(res, new JsonWriter().beginObject().name("success").value(true).name("key").value(key)
                .name("version").value(Long.toUnsignedString(held)).endObject());
    }

    /**
     * Confirms an applied write with the other copies ({@link WriteReplication}); a clustered node's answer says how
     * many in {@link WriteReplication#COPIES_HEADER} (a single node's answer is as it always was).
     */
    private int replicated(ServerRequest req, ServerResponse res, String key) {
        int copies = replication.afterWrite(req, key);
        if (replication.reportsCopies()) {
            res.header(WriteReplication.COPIES_HEADER, String.valueOf(copies));
        }
        return copies;
    }

    /** The {@code "copies"} field of a clustered node's write answer. */
    private JsonWriter copies(JsonWriter out, int copies) {
        return replication.reportsCopies() ? out.name("copies").value(copies) : out;
    }

    private void store(ServerRequest req, ServerResponse res, String key, byte[] value, long ttlNanos,
                       List<String> tagged, Preconditions conditions) {
        long version;
        try {
            version = writes.put(key, value, ttlNanos, tagged, conditions);
        } catch (EntryTooLargeException e) {
            throw ApiException.tooLarge("the entry needs " + e.weight() + " bytes of cache memory; one entry may use"
                    + " at most " + e.limit() + " bytes (raise CACHEGRID_MAX_MEMORY_MB)");
        }
        int copies = replicated(req, res, key);
        res.header(Preconditions.etagHeader(version));
        JsonWriter out = Json.answer(96 + 3 * key.length()).beginObject().name("success").value(true)
                .name("key").value(key).name("ttl");
        Json.sendAnswer(res, copies(Json.timestamp(Json.ttl(out, ttlNanos).name("version").valueAsString(version)
                .name("timestamp")), copies).endObject());
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String key = reader.keyFromPath(req, KEY_PREFIX);
        OptionalLong replicaVersion = replicaVersion(req);
        // a copy of the primary's delete carries its version: applied over older copies only, leaving a tombstone
        if (replicaVersion.isPresent()) {
            boolean deleted = writes.deleteReplica(key, replicaVersion.getAsLong());
            Json.send(res, new JsonWriter().beginObject().name("success").value(true).name("deleted").value(deleted)
                    .name("key").value(key).name("timestamp").value(Json.timestamp()).endObject());
            return;
        }
        boolean deleted = writes.delete(key, Preconditions.of(req.headers()));
        int copies = replicated(req, res, key);
        Json.send(res, copies(new JsonWriter().beginObject().name("success").value(true).name("deleted").value(deleted)
                .name("key").value(key).name("timestamp").value(Json.timestamp()), copies).endObject());
    }

    private void count(ServerRequest req, ServerResponse res, Counter counter) {
        int sign = counter == Counter.INCR ? 1 : -1;
        String raw = RequestReader.rawPath(req);
        String key = reader.keyFromEncoded(counter.encodedKey(raw));
        Preconditions.of(req.headers()).requireNone(counter.operation());
        long by = reader.longParam(req, "by", 1);
        long ttlNanos = reader.ttlFromQuery(req);
        if (sign < 0 && by == Long.MIN_VALUE) {
            throw Writes.overflow(key, counter.operation() + " by " + by);
        }
        Writes.Counted counted = writes.increment(key, sign * by, ttlNanos, counter.operation() + " by " + by);
        int copies = replicated(req, res, key);
        res.header(Preconditions.etagHeader(counted.version()));
        Json.send(res, copies(new JsonWriter().beginObject().name("success").value(true).name("key").value(key)
                .name("value").value(counted.value()).name("version").value(Long.toString(counted.version()))
                .name("timestamp").value(Json.timestamp()), copies).endObject());
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
        Json.send(res, Status.OK_200, cleared(removed));
    }

    /**
     * The answer to a clear that removed {@code removed} entries (in a cluster the router clears this node's own at
     * the epoch, {@code engine.clear(epoch)}, and answers its part with this).
     */
    public static JsonWriter cleared(long removed) {
        return new JsonWriter().beginObject().name("success").value(true)
                .name("items_removed").value(removed).name("timestamp").value(Json.timestamp()).endObject();
    }
}
