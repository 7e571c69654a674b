package io.cachegrid.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.cachegrid.json.JsonSlice;

/**
 * Reads and checks the tags a write carries: {@code ?tags=a,b} in a query, {@code "tags": ["a", "b"]} in a body.
 * A tag is non-empty, holds no comma (the query's separator), has at most {@code CACHEGRID_MAX_TAG_LENGTH}
 * characters and at most {@link #MAX_TAG_BYTES} bytes of UTF-8 (the engine stores its length in one byte); a key
 * carries at most {@code CACHEGRID_MAX_TAGS_PER_KEY} of them. A tag named twice counts once. Every refusal is a 400
 * naming the limit, raised before anything is stored.
 */
public final class Tags {

    /** The engine keeps a tag's UTF-8 length in one byte. */
    static final int MAX_TAG_BYTES = 255;

    private final ApiLimits limits;

    public Tags(ApiLimits limits) {
        this.limits = limits;
    }

    /** The {@code tags} query parameter (comma-separated), or no tags when it is absent or empty. */
    public List<String> fromQuery(Optional<String> text) {
        if (text.isEmpty() || text.get().isEmpty()) {
            return List.of();
        }
        return checked(List.of(text.get().split(",", -1)));
    }

    /** A {@code tags} body field: absent or null means no tags, else an array of strings. */
    public List<String> fromJson(JsonSlice tags, String field) {
        if (tags == null || tags.kind() == JsonSlice.Kind.NULL) {
            return List.of();
        }
        if (tags.kind() != JsonSlice.Kind.ARRAY) {
            throw ApiException.badRequest("invalid tags", "\"" + field + "\" must be a list of strings, e.g. "
                    + "[\"user:42\", \"page\"], got " + tags);
        }
        List<String> names = new ArrayList<>();
        for (JsonSlice element : tags.elements()) {
            if (element.kind() != JsonSlice.Kind.STRING) {
                throw ApiException.badRequest("invalid tags", "every tag in \"" + field + "\" must be a string, got "
                        + element);
            }
            names.add(element.asString());
        }
        return checked(names);
    }

    /** Whether a JSON value is a list of non-empty strings without commas (limits not checked). */
    public static boolean plainList(JsonSlice tags) {
        if (tags.kind() != JsonSlice.Kind.ARRAY) {
            return false;
        }
        for (JsonSlice element : tags.elements()) {
            if (element.kind() != JsonSlice.Kind.STRING || element.asString().isEmpty()
                    || element.asString().indexOf(',') >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The tags without repeats, in the order given, after checking each and their number. */
    public List<String> checked(List<String> tags) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String tag : tags) {
            distinct.add(checkTag(tag));
        }
        if (distinct.size() > limits.maxTagsPerKey()) {
            throw ApiException.badRequest("too many tags", "a key may carry at most " + limits.maxTagsPerKey()
                    + " tags, got " + distinct.size() + " (CACHEGRID_MAX_TAGS_PER_KEY)");
        }
        return List.copyOf(distinct);
    }

    /** One tag, as a path names it ({@code /tags/{tag}}) or a write carries it. */
    public String checkTag(String tag) {
        if (tag.isEmpty()) {
            throw ApiException.badRequest("invalid tag", "a tag must not be empty (check for a doubled or trailing "
                    + "comma in ?tags=)");
        }
        if (tag.indexOf(',') >= 0) {
            throw ApiException.badRequest("invalid tag", "a tag must not contain a comma, got \"" + tag + "\"");
        }
        int length = tag.codePointCount(0, tag.length());
        if (length > limits.maxTagLength()) {
            throw ApiException.badRequest("invalid tag", "a tag may have at most " + limits.maxTagLength()
                    + " characters, got " + length + " (CACHEGRID_MAX_TAG_LENGTH)");
        }
        int bytes = encodedLength(tag);
        if (bytes > MAX_TAG_BYTES) {
            throw ApiException.badRequest("invalid tag", "a tag may use at most " + MAX_TAG_BYTES
                    + " bytes of UTF-8, got " + bytes);
        }
        return tag;
    }

    /** UTF-8 bytes of a tag as the engine stores it: a lone surrogate takes three bytes, as a key's does. */
    private static int encodedLength(String tag) {
        int bytes = 0;
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < tag.length()
                    && Character.isLowSurrogate(tag.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Each item's tags: {@code "tags"} (every item) followed by its own {@code "item_tags"} entry, repeats dropped,
     * checked against the limits. An {@code item_tags} entry for a key the batch does not set is refused.
     */
    public Map<String, List<String>> forBatch(Map<String, JsonSlice> body, Set<String> items) {
        List<String> common = fromJson(body.get("tags"), "tags");
        JsonSlice perItem = body.get("item_tags");
        Map<String, JsonSlice> own = Map.of();
        if (perItem != null && perItem.kind() != JsonSlice.Kind.NULL) {
            if (perItem.kind() != JsonSlice.Kind.OBJECT) {
                throw ApiException.badRequest("invalid tags", "\"item_tags\" must be an object {key: [tag, ...]}, got "
                        + perItem);
            }
            own = perItem.members();
            for (String key : own.keySet()) {
                if (!items.contains(key)) {
                    throw ApiException.badRequest("invalid tags", "\"item_tags\" names \"" + key + "\", which is not "
                            + "in \"items\"");
                }
            }
        }
        Map<String, List<String>> result = new HashMap<>();
        for (String key : items) {
            JsonSlice extra = own.get(key);
            if (extra == null) {
                result.put(key, common);
            } else {
                List<String> all = new ArrayList<>(common);
                all.addAll(fromJson(extra, "item_tags." + key));
                result.put(key, checked(all));
            }
        }
        return result;
    }
}
