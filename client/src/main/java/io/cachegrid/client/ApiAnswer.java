package io.cachegrid.client;

import java.util.Optional;
import java.util.OptionalLong;

import jakarta.json.JsonObject;

/**
 * A 2xx answer: its JSON body and its {@code ETag} header's entity tag without quotes (the entry's version), when
 * the server sent one.
 */
record ApiAnswer(JsonObject body, Optional<String> version, OptionalLong viewId) {

    ApiAnswer(JsonObject body, Optional<String> version) {
        this(body, version, OptionalLong.empty());
    }

    /** The cluster view id a clustered server names in {@code X-CacheGrid-View}; empty from a single server. */
    static OptionalLong viewFromHeader(String header) {
        if (header == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** {@code "123"} or {@code W/"123"} -> {@code 123}; anything else as it is. */
    static Optional<String> versionFromEtag(String etag) {
        if (etag == null || etag.isBlank()) {
            return Optional.empty();
        }
        String tag = etag.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        return Optional.of(tag);
    }
}
