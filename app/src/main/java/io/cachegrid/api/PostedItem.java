package io.cachegrid.api;

import java.util.List;
import java.util.Map;

import io.cachegrid.json.JsonSlice;
import io.helidon.webserver.http.ServerRequest;

/**
 * Why: {@code POST /cache} carries its key in the body, so in a cluster the member that receives it reads the body
 * to find the key's owner before the owner's service reads it again. Both must take and refuse exactly the same
 * bodies, with the same answers, so both call this one check (a bad body is answered where it arrives, and never
 * sent anywhere).
 *
 * @param key      the key, checked
 * @param value    the value's JSON text
 * @param ttlNanos the ttl in nanoseconds, 0 for none
 * @param tags     the tags, checked
 */
public record PostedItem(String key, byte[] value, long ttlNanos, List<String> tags) {

    public PostedItem {
        tags = List.copyOf(tags);
    }

    /**
     * A whole {@code POST /cache} request as the service reads it (Content-Type, size, JSON object, then
     * {@link #check}), for the cluster's router, which has read the body already.
     *
     * @throws ApiException the service's answer to a body it refuses
     */
    public static PostedItem fromRequest(ServerRequest req, byte[] body, ApiLimits limits) {
        return check(RequestReader.objectMembers(req, body, limits.maxSingleItemBody()), limits);
    }

    /** Checks the fields of a {@code POST /cache} body: key, value, ttl, tags. */
    public static PostedItem check(Map<String, JsonSlice> body, ApiLimits limits) {
        RequestReader reader = new RequestReader(limits);
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
        if (bytes.length > limits.maxValueBytes()) {
            throw ApiException.tooLarge("value is " + bytes.length + " bytes; the limit is " + limits.maxValueBytes());
        }
        String checkedKey = reader.checkKey(key.asString());
        return new PostedItem(checkedKey, bytes, reader.ttlFromJson(body.get("ttl")),
                new Tags(limits).fromJson(body.get("tags"), "tags"));
    }
}
