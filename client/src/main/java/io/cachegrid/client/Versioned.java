package io.cachegrid.client;

import java.util.Objects;

import jakarta.json.JsonValue;

/**
 * A cached value with the version the server holds it at (the decimal entity tag of its {@code ETag}). Pass the
 * version to {@code compareAndSet} to replace the value only if nobody wrote the key since it was read.
 *
 * @param value   the value (JSON null included)
 * @param version the entry's version, an opaque decimal string
 */
public record Versioned(JsonValue value, String version) {
    public Versioned {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(version, "version");
    }

    /** The value as {@code type} (see {@link JsonValues#as}); {@code null} for JSON null. */
    public <T> T value(Class<T> type) {
        return JsonValues.as(value, type);
    }
}
