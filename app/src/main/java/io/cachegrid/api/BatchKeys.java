package io.cachegrid.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cachegrid.json.JsonSlice;
import io.helidon.webserver.http.ServerRequest;

/**
 * Why: the keys of a batch get are read by the service and, in a cluster, first by the member that splits the batch
 * by owner; both must accept and refuse the same bodies with the same answers, so both call this one check.
 */
public final class BatchKeys {

    private BatchKeys() {
    }

    /**
     * A whole {@code POST /cache/batch/get} request as the service reads it (Content-Type, size, JSON object, then
     * {@link #check}), for the cluster's splitter, which has read the body already.
     *
     * @throws ApiException the service's answer to a body it refuses
     */
    public static List<String> fromRequest(ServerRequest req, byte[] body, ApiLimits limits) {
        RequestReader.checkContentType(req);
        return fromBody(req, body, limits);
    }

    /**
     * The checked keys of a body whose Content-Type was checked already: the common shape read in one pass
     * ({@link PlainKeysBody}), any other body the general way, with the same answers.
     */
    static List<String> fromBody(ServerRequest req, byte[] body, ApiLimits limits) {
        List<String> plain = body.length <= limits.maxRequestBytes()
                ? PlainKeysBody.parse(body, limits.maxBatchSize()) : null;
        if (plain != null) {
            return checkKeys(plain, limits);
        }
        return check(RequestReader.objectMembers(req, body, limits.maxRequestBytes()), limits);
    }

    /** The checked keys of a {@code {"keys": [...]}} body, in order, duplicates kept. */
    public static List<String> check(Map<String, JsonSlice> body, ApiLimits limits) {
        JsonSlice keys = body.get("keys");
        if (keys == null || keys.kind() != JsonSlice.Kind.ARRAY) {
            throw ApiException.badRequest("invalid body", "expected {\"keys\": [\"key\", ...]}; \"keys\" is missing "
                    + "or not a list");
        }
        List<JsonSlice> elements = keys.elements();
        checkCount(elements.size(), limits);
        RequestReader reader = new RequestReader(limits);
        List<String> result = new ArrayList<>(elements.size());
        for (JsonSlice element : elements) {
            if (element.kind() != JsonSlice.Kind.STRING) {
                throw ApiException.badRequest("invalid body", "every key must be a string, got " + element);
            }
            result.add(reader.checkKey(element.asString()));
        }
        return result;
    }

    private static List<String> checkKeys(List<String> keys, ApiLimits limits) {
        checkCount(keys.size(), limits);
        RequestReader reader = new RequestReader(limits);
        for (String key : keys) {
            reader.checkKey(key);
        }
        return keys;
    }

    private static void checkCount(int count, ApiLimits limits) {
        if (count == 0 || count > limits.maxBatchSize()) {
            throw ApiException.badRequest("invalid batch", "keys must hold 1 to " + limits.maxBatchSize()
                    + " entries, got " + count + " (CACHEGRID_MAX_BATCH_SIZE)");
        }
    }
}
