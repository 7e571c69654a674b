package io.cachegrid.api;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.KeyPage;
import io.cachegrid.engine.Stored;
import io.cachegrid.engine.ValueView;
import io.cachegrid.json.JsonWriter;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Operator views that leave the statistics alone: {@code GET /admin/keys} lists keys by substring and
 * {@code GET /admin/entry/{key}} shows one entry with its remaining ttl and tags (the console's key browser). Both
 * answer for this node's engine; in a cluster the router sends them to the members that hold the keys unless
 * {@code ?local=true} asks for this node's own view.
 */
public final class AdminService implements HttpService {

    private static final String ENTRY_PREFIX = "/admin/entry/";
    private static final int MAX_LIMIT = 1000;
    private static final int DEFAULT_LIMIT = 100;
    /** {@code ?local=true}: in a cluster, what this node holds (copies included) rather than the cluster's answer. */
    private static final String LOCAL = "local";

    private final CacheEngine engine;
    private final RequestReader reader;
    private final ResponseBudget responses;

    public AdminService(CacheEngine engine, ApiLimits limits) {
        this.engine = engine;
        this.reader = new RequestReader(limits);
        this.responses = limits.responses();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/keys", this::keys)
                .any("/keys", MethodNotAllowed.allow("GET"))
                .get("/entry/*", this::entry)
                .any("/entry/*", MethodNotAllowed.allow("GET"));
    }

    private void keys(ServerRequest req, ServerResponse res) {
        RequestReader.booleanParam(req, LOCAL); // checked; this node's keys either way (the cluster routes the rest)
        String pattern = req.query().first("pattern").orElse("");
        int limit = reader.intParam(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Json.send(res, keyPage(engine, pattern, limit));
    }

    /**
     * This node's answer to {@code GET /admin/keys?local=true&pattern&limit} (limit already within bounds). The
     * service sends it; in a cluster the router merges it, as this node's own page, with the other members'.
     */
    public static JsonWriter keyPage(CacheEngine engine, String pattern, int limit) {
        // "*" alone reads as "everything", as users of glob-style key listings expect
        KeyPage page = engine.keys("*".equals(pattern) ? "" : pattern, limit);
        JsonWriter out = new JsonWriter(256 + 32 * page.keys().size()).beginObject().name("keys").beginArray();
        page.keys().forEach(out::value);
        return out.endArray().name("total_found").value(page.totalFound())
                .name("returned").value(page.keys().size()).name("pattern").value(pattern)
                .name("timestamp").value(Json.timestamp()).endObject();
    }

    private void entry(ServerRequest req, ServerResponse res) {
        RequestReader.booleanParam(req, LOCAL);
        String key = reader.keyFromPath(req, ENTRY_PREFIX);
        Stored stored = engine.peekStored(key); // no copy: written from the stored bytes, within the budget
        boolean exists = stored != null;
        ValueView value = exists ? stored.value() : null;
        long ttlNanos = exists ? stored.ttlRemainingNanos() : -2;
        JsonWriter out = new JsonWriter(128 + 3 * key.length()).beginObject().name("key").value(key).name("value");
        Json.storedValue(out, value).name("exists").value(exists).name("ttl_remaining_seconds");
        if (exists && ttlNanos >= 0) {
            out.value(ttlNanos / 1e9);
        } else {
            out.nullValue();
        }
        out.name("size_bytes").value(exists ? value.length() : 0);
        if (exists) {
            out.name("version").value(Long.toUnsignedString(stored.version())); // read repair keeps it
        }
        if (exists && !stored.tags().isEmpty()) {
            out.name("tags").beginArray();
            stored.tags().forEach(out::value);
            out.endArray();
        }
        out.endObject();
        Json.send(res, out, responses, () -> "the entry \"" + key + "\"");
    }
}
