package io.cachegrid.api;

import java.util.Collection;
import java.util.List;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.ValueView;
import io.cachegrid.json.JsonWriter;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Multi-key operations: {@code POST /cache/batch/get} and {@code POST /cache/batch/set}. A batch is checked whole
 * before the engine is touched, so a refused batch changes nothing.
 */
public final class BatchService implements HttpService {

    private final CacheEngine engine;
    private final RequestReader reader;
    private final ResponseBudget responses;

    public BatchService(CacheEngine engine, ApiLimits limits) {
        this.engine = engine;
        this.reader = new RequestReader(limits);
        this.responses = limits.responses();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/get", literalPathOnly(this::batchGet))
                .any("/get", literalPathOnly(MethodNotAllowed.allow("POST")))
                .post("/set", literalPathOnly(this::batchSet))
                .any("/set", literalPathOnly(MethodNotAllowed.allow("POST")));
    }

    /**
     * Why: routes match the decoded path, so {@code /cache/batch%2Fget} (the key {@code batch/get}, percent-encoded
     * as the contract asks) would land here. A batch route serves only a path written without %-escapes; an escaped
     * one goes on to the next route ({@link CacheService}, which reads the key from the raw path).
     */
    private static Handler literalPathOnly(Handler handler) {
        return (req, res) -> {
            if (req.path().absolute().rawPath().indexOf('%') >= 0) {
                res.next();
            } else {
                handler.handle(req, res);
            }
        };
    }

    private void batchGet(ServerRequest req, ServerResponse res) {
        // one check, shared with the cluster's splitter (BatchKeys)
        List<String> keys = BatchKeys.fromBody(req, reader.jsonBodyBytes(req, reader.limits().maxRequestBytes()),
                reader.limits());
        GetAnswer answer = getAnswer(engine, keys);
        Json.send(res, answer.json(), responses, () -> "the answer to this batch (" + answer.keys() + " keys, "
                + answer.found() + " found)");
    }

    /**
     * The answer to a batch get of {@code keys} (already checked by {@link BatchKeys}) from this node's engine.
     * The service sends it; in a cluster the router uses it for this node's own part of a batch, so that part is
     * answered in-process, by the same code, rather than over HTTP to itself.
     *
     * @param json  the answer
     * @param keys  the distinct keys in it
     * @param found how many of them exist
     */
    public record GetAnswer(JsonWriter json, int keys, long found) {
    }

    /** See {@link GetAnswer}. */
    public static GetAnswer getAnswer(CacheEngine engine, List<String> keys) {
        // one hit or miss per requested key, duplicates included; a repeated key is answered once, where it first
        // occurs, with its last lookup
        int[] first = FirstOccurrences.of(keys);
        ValueView[] values = new ValueView[keys.size()];   // views of the stored bytes, no copies
        int distinct = 0;
        for (int i = 0; i < values.length; i++) {
            values[first[i]] = engine.getView(keys.get(i));
            distinct += first[i] == i ? 1 : 0;
        }
        long foundKeys = 0;
        for (int i = 0; i < values.length; i++) {
            foundKeys += first[i] == i && values[i] != null ? 1 : 0;
        }
        byte[] results = BatchGetResults.write(keys, first, values);
        int inBuffer = results == null ? 64 * distinct
                : results.length < JsonWriter.MIN_SPLICE_BYTES ? results.length : 0;
        JsonWriter out = new JsonWriter(128 + inBuffer).beginObject().name("success").value(true).name("results");
        if (results != null) {
            out.rawValueShared(results, 0, results.length);   // spliced in by reference when large
        } else {
            writeResults(out, keys, first, values);
        }
        out.name("requested_keys").value(keys.size()).name("found_keys").value(foundKeys)
                .name("timestamp").value(Json.timestamp()).endObject();
        return new GetAnswer(out, distinct, foundKeys);
    }

    /** The results object by the general writer: any key, and values spliced in by reference or compressed. */
    private static void writeResults(JsonWriter out, List<String> keys, int[] first, ValueView[] values) {
        out.beginObject();
        for (int i = 0; i < values.length; i++) {
            if (first[i] != i) {
                continue;
            }
            ValueView value = values[i];
            Json.storedValue(out.name(keys.get(i)).beginObject().name("value"), value);
            out.name("exists").value(value != null).name("hit").value(value != null).endObject();
        }
        out.endObject();
    }

    private void batchSet(ServerRequest req, ServerResponse res) {
        // one check, shared with the cluster's splitter (BatchItems), so both refuse exactly the same batches
        BatchItems batch = BatchItems.check(reader.jsonObjectBody(req, reader.limits().maxRequestBytes()).members(),
                reader.limits(), engine.maxEntryWeight());
        Json.send(res, setAnswer(engine, batch, batch.items().keySet()));
    }

    /**
     * Stores the items named by {@code keys} of a checked batch in this node's engine and returns the answer
     * ({@code items_requested} and {@code items_set} count them). The service stores the whole batch; in a cluster
     * the router stores this node's own part with it, in-process, rather than over HTTP to itself.
     */
    public static JsonWriter setAnswer(CacheEngine engine, BatchItems batch, Collection<String> keys) {
        for (String key : keys) {
            engine.put(key, batch.items().get(key).bytes(), batch.ttlNanos(), batch.tagged().get(key));
        }
        JsonWriter out = new JsonWriter().beginObject().name("success").value(true)
                .name("items_requested").value(keys.size()).name("items_set").value(keys.size())
                .name("ttl");
        return Json.ttl(out, batch.ttlNanos()).name("timestamp").value(Json.timestamp()).endObject();
    }
}
