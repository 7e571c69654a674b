package io.cachegrid.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.http.Method;
import jakarta.json.JsonValue;

/**
 * One REST call, independent of the host it is sent to.
 *
 * @param method     HTTP method
 * @param path       path with every segment already URL-encoded
 * @param query      query parameters, not encoded (the transport encodes them with {@link #segment})
 * @param headers    extra request headers (If-Match, If-None-Match), sent as they are
 * @param body       JSON body, or {@code null} for none
 * @param idempotent whether repeating the call after its answer was lost is safe; {@link FailoverExecutor} repeats
 *                   a non-idempotent call only when it certainly never reached a server
 * @param routingKey the key whose owners should get the call (see {@link Placement}), or {@code null} for any host
 */
record ApiRequest(Method method, String path, Map<String, String> query, Map<String, String> headers, JsonValue body,
                  boolean idempotent, String routingKey) {

    static ApiRequest of(Method method, String path) {
        return new ApiRequest(method, path, Map.of(), Map.of(), null, true, null);
    }

    /** Sends the call to the key's owners first when the cluster's ring is known. */
    ApiRequest routedBy(String key) {
        return new ApiRequest(method, path, query, headers, body, idempotent, key);
    }

    /** Keeps the parameters in the caller's order (Map.copyOf would not), so a request's URL is always the same. */
    ApiRequest withQuery(Map<String, String> query) {
        return new ApiRequest(method, path, Collections.unmodifiableMap(new LinkedHashMap<>(query)), headers, body,
                idempotent, routingKey);
    }

    ApiRequest withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiRequest(method, path, query, Collections.unmodifiableMap(more), body, idempotent,
                routingKey);
    }

    ApiRequest withBody(JsonValue body) {
        return new ApiRequest(method, path, query, headers, body, idempotent, routingKey);
    }

    /** Marks a call whose repetition is not safe: an increment, or a conditional write whose answer decides. */
    ApiRequest notIdempotent() {
        return new ApiRequest(method, path, query, headers, body, false, routingKey);
    }

    /** Encodes a path segment or query value: every reserved character, '/' and space included, becomes %XX. */
    static String segment(String raw) {
        return URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return method.text() + " " + path;
    }
}
