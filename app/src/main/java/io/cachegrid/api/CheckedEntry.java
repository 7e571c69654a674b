package io.cachegrid.api;

import java.util.List;

import io.cachegrid.json.JsonSlice;

/**
 * Why: entries also arrive by routes only members call (a rebalancing push, a handoff copy), and those must obey the
 * same rules as a client's write: a member's request can be forged or buggy, and the engine trusts what it is given
 * (an empty key, a 5,000-character key, a ttl of 1e300 or a value over the limit were once stored through
 * {@code POST /cluster/push}). This is the one check of a single entry given as JSON fields, with the services'
 * own rules and error answers ({@link RequestReader}, {@link Tags}).
 *
 * @param key      the key, 1 to {@code CACHEGRID_MAX_KEY_LENGTH} characters
 * @param value    the value's JSON text, at most {@code CACHEGRID_MAX_VALUE_BYTES}
 * @param ttlNanos the remaining ttl in nanoseconds, 0 for none
 * @param tags     the entry's tags, within the tag limits
 */
public record CheckedEntry(String key, byte[] value, long ttlNanos, List<String> tags) {

    public CheckedEntry {
        tags = List.copyOf(tags);
    }

    /**
     * Checks one entry's fields.
     *
     * @param key   a JSON string
     * @param value any JSON value (required)
     * @param ttl   seconds &gt; 0 and at most ten years, or null / absent for none
     * @param tags  a list of tag strings, or null / absent for none
     * @throws ApiException 400 (or 413 for a value over the limit) naming what is wrong
     */
    public static CheckedEntry of(JsonSlice key, JsonSlice value, JsonSlice ttl, JsonSlice tags, ApiLimits limits) {
        RequestReader reader = new RequestReader(limits);
        if (key == null || key.kind() != JsonSlice.Kind.STRING) {
            throw ApiException.badRequest("invalid key", "\"key\" is missing or not a string");
        }
        String checkedKey = reader.checkKey(key.asString());
        if (value == null) {
            throw ApiException.badRequest("invalid body", "\"value\" of \"" + checkedKey + "\" is missing");
        }
        byte[] bytes = value.bytes();
        if (bytes.length > limits.maxValueBytes()) {
            throw ApiException.tooLarge("the value of \"" + checkedKey + "\" is " + bytes.length + " bytes; the limit is "
                    + limits.maxValueBytes());
        }
        return new CheckedEntry(checkedKey, bytes, reader.ttlFromJson(ttl), new Tags(limits).fromJson(tags, "tags"));
    }
}
