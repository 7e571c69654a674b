package io.cachegrid.client;

import java.util.Optional;

import jakarta.json.JsonObject;

/**
 * A 2xx answer: its JSON body and its {@code ETag} header's entity tag without quotes (the entry's version), when
 * the server sent one.
 */
record ApiAnswer(JsonObject body, Optional<String> version) {

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
