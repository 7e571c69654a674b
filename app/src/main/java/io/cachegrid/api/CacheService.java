package io.cachegrid.api;

import java.util.Map;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.EntryTooLargeException;
import io.cachegrid.engine.ValueView;
import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.JsonWriter;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Single-key operations: {@code GET|PUT|DELETE /cache/{key}}, {@code POST /cache} and {@code DELETE /cache}.
 * Keys are read from the raw path, so any character (including {@code /}, {@code ?}, {@code #}, {@code %}) works
 * when percent-encoded.
 */
public final class CacheService implements HttpService {

    private static final String KEY_PREFIX = "/cache/";

    private final CacheEngine engine;
    private final RequestReader reader;
    private final ResponseBudget responses;

    public CacheService(CacheEngine engine, ApiLimits limits) {
        this.engine = engine;
        this.reader = new RequestReader(limits);
        this.responses = limits.responses();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any("/", this::emptyKey)
                .post("/", this::postItem)
                .delete("/", this::clear)
                .any("/", MethodNotAllowed.allow("POST, DELETE"))
                // "/*" is a prefix match: cheaper per request than a {+key} pattern, and the key is read from the
                // raw path anyway (RequestReader.keyFromPath)
                .get("/*", this::get)
                .put("/*", this::put)
                .delete("/*", this::delete)
                .any("/*", MethodNotAllowed.allow("GET, PUT, DELETE"));
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
        ValueView value = engine.getView(key); // the stored bytes, not a copy: written straight to the socket
        JsonWriter out = new JsonWriter(96 + 3 * key.length()
                + (value == null || value.length() >= JsonWriter.MIN_SPLICE_BYTES ? 0 : value.length()))
                .beginObject().name("key").value(key).name("value");
        Json.storedValue(out, value).name("exists").value(value != null).name("hit").value(value != null).endObject();
        Json.send(res, out, responses, () -> "the value of \"" + key + "\"");
    }

    private void put(ServerRequest req, ServerResponse res) {
        String key = reader.keyFromPath(req, KEY_PREFIX);
        long ttlNanos = reader.ttlFromQuery(req);
        JsonSlice value = reader.jsonBody(req, reader.limits().maxValueBytes());
        store(res, key, value.bytes(), ttlNanos);
    }

    private void postItem(ServerRequest req, ServerResponse res) {
        Map<String, JsonSlice> body = reader.jsonObjectBody(req, reader.limits().maxSingleItemBody()).members();
        JsonSlice key = body.get("key");
        if (key == null || key.kind() != JsonSlice.Kind.STRING) {
            throw ApiException.badRequest("invalid body", "expected {\"key\": string, \"value\": any JSON, "
                    + "\"ttl\": seconds (optional)}; \"key\" is missing or not a string");
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
        store(res, reader.checkKey(key.asString()), bytes, reader.ttlFromJson(body.get("ttl")));
    }

    private void store(ServerResponse res, String key, byte[] value, long ttlNanos) {
        try {
            engine.put(key, value, ttlNanos);
        } catch (EntryTooLargeException e) {
            throw ApiException.tooLarge("the entry needs " + e.weight() + " bytes of cache memory; one entry may use"
                    + " at most " + e.limit() + " bytes (raise CACHEGRID_MAX_MEMORY_MB)");
        }
        JsonWriter out = new JsonWriter().beginObject().name("success").value(true).name("key").value(key).name("ttl");
        Json.send(res, Json.ttl(out, ttlNanos).name("timestamp").value(Json.timestamp()).endObject());
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String key = reader.keyFromPath(req, KEY_PREFIX);
        boolean deleted = engine.delete(key);
        Json.send(res, new JsonWriter().beginObject().name("success").value(true).name("deleted").value(deleted)
                .name("key").value(key).name("timestamp").value(Json.timestamp()).endObject());
    }

    private void clear(ServerRequest req, ServerResponse res) {
        if (!"true".equalsIgnoreCase(req.query().first("confirm").orElse(""))) {
            throw ApiException.badRequest("confirmation required",
                    "clearing removes every key; repeat with ?confirm=true");
        }
        long removed = engine.clear();
        Json.send(res, Status.OK_200, new JsonWriter().beginObject().name("success").value(true)
                .name("items_removed").value(removed).name("timestamp").value(Json.timestamp()).endObject());
    }
}
