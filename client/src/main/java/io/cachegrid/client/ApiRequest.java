package io.cachegrid.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.helidon.http.Method;
import jakarta.json.JsonValue;

/**
 * One REST call, independent of the host it is sent to.
 *
 * @param method HTTP method
 * @param path   path with every segment already URL-encoded
 * @param query  query parameters, not encoded (the transport encodes them with {@link #segment})
 * @param body   JSON body, or {@code null} for none
 */
record ApiRequest(Method method, String path, Map<String, String> query, JsonValue body) {

    static ApiRequest of(Method method, String path) {
        return new ApiRequest(method, path, Map.of(), null);
    }

    /** Keeps the parameters in the caller's order (Map.copyOf would not), so a request's URL is always the same. */
    ApiRequest withQuery(Map<String, String> query) {
        return new ApiRequest(method, path, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(query)),
                body);
    }

    ApiRequest withBody(JsonValue body) {
        return new ApiRequest(method, path, query, body);
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
