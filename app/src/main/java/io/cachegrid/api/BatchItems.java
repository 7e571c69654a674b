package io.cachegrid.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.json.JsonSlice;
import io.helidon.webserver.http.ServerRequest;

/**
 * Why: a batch set is checked whole before anything is stored, and in a cluster it is checked by the member that
 * splits it as well as by the services that store its parts. The two must agree exactly, or a batch the splitter
 * let through is refused by an owner after other owners stored their parts (a cluster once answered 413 "nothing
 * was stored" after storing 21 of 30 items: the splitter weighed items without the ttl and tags the service adds).
 * So both call this one check: shape, item count, keys, ttl, tags and each entry's weight as the engine will
 * account it ({@link CacheEngine#weigh(String, byte[], long, List)}).
 *
 * @param items    the items in the order sent: key to the value's JSON text
 * @param ttlNanos the batch's ttl in nanoseconds, 0 for none
 * @param tagged   each item's tags (the batch's common tags plus its own {@code item_tags})
 */
public record BatchItems(Map<String, JsonSlice> items, long ttlNanos, Map<String, List<String>> tagged) {

    public BatchItems {
        items = Collections.unmodifiableMap(new LinkedHashMap<>(items));
        tagged = Map.copyOf(tagged);
    }

    /**
     * A whole {@code POST /cache/batch/set} request as the service would read it: Content-Type, size, JSON, then
     * {@link #check}. For the cluster's splitter, which has read the body already.
     *
     * @throws ApiException what the service would answer, before anything is stored
     */
    public static BatchItems fromRequest(ServerRequest req, byte[] body, ApiLimits limits, long maxEntryWeight) {
        return check(RequestReader.objectMembers(req, body, limits.maxRequestBytes()), limits, maxEntryWeight);
    }

    /**
     * Checks the fields of a batch set body.
     *
     * @param body           the body's fields: {@code items}, {@code ttl}, {@code tags}, {@code item_tags}
     * @param maxEntryWeight the largest entry the engine holds ({@link CacheEngine#maxEntryWeight()})
     * @throws ApiException naming the first thing wrong (400, or 413 for an item too large)
     */
    public static BatchItems check(Map<String, JsonSlice> body, ApiLimits limits, long maxEntryWeight) {
        RequestReader reader = new RequestReader(limits);
        JsonSlice items = body.get("items");
        if (items == null || items.kind() != JsonSlice.Kind.OBJECT) {
            throw ApiException.badRequest("invalid body", "expected {\"items\": {key: value, ...}, \"ttl\": seconds "
                    + "(optional), \"tags\": [tag, ...] (optional), \"item_tags\": {key: [tag, ...]} (optional)}; "
                    + "\"items\" is missing or not an object");
        }
        long ttlNanos = reader.ttlFromJson(body.get("ttl"));
        Map<String, JsonSlice> members = items.members();
        int count = members.size();
        if (count == 0 || count > limits.maxBatchSize()) {
            throw ApiException.badRequest("invalid batch", "items must hold 1 to " + limits.maxBatchSize()
                    + " entries, got " + count + " (CACHEGRID_MAX_BATCH_SIZE)");
        }
        Map<String, List<String>> tagged = new Tags(limits).forBatch(body, members.keySet());
        for (Map.Entry<String, JsonSlice> item : members.entrySet()) {
            String key = reader.checkKey(item.getKey());
            byte[] value = item.getValue().bytes();
            long weight = CacheEngine.weigh(key, value, ttlNanos, tagged.get(key));
            if (value.length > limits.maxValueBytes() || weight > maxEntryWeight) {
                throw ApiException.tooLarge("the value of \"" + key + "\" is " + value.length + " bytes; the limit is "
                        + Math.min(limits.maxValueBytes(), maxEntryWeight) + "; nothing was stored");
            }
        }
        return new BatchItems(members, ttlNanos, tagged);
    }
}
