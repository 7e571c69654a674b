package io.cachegrid.cluster;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.cachegrid.api.ApiException;
import io.cachegrid.api.ApiLimits;
import io.cachegrid.api.CheckedEntry;
import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.Condition;
import io.cachegrid.engine.EntryTooLargeException;
import io.cachegrid.engine.KeyVersion;
import io.cachegrid.engine.Stored;
import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.JsonWriter;

/**
 * Why: copies of entries travel between members in several places (rebalancing pushes, anti-entropy pushes and
 * pulls, read repair), and each must carry the same things (value, remaining ttl, tags, version; or, for a delete,
 * the tombstone's version and what is left of its grace period), be checked like a client's write (a member's
 * request is not trusted more than the limits: no empty or over-long key, no absurd ttl, no value over the limit)
 * and be stored the same way: only over an older copy, decided under the key's lock ({@code Condition.newer},
 * {@code deleteVersioned}), never "store if absent", which would let an old copy undo a delete or a clear.
 * <p>
 * Format: {@code {"items":[{"key", "value", "ttl": seconds|null, "tags": [...] (optional), "version": "<unsigned>"}
 * | {"key", "tombstone": true, "grace": seconds, "version"}...]}}.
 */
final class PushItems {

    /** Most entries per request. */
    static final int MAX_BATCH_ITEMS = 500;
    /** Most value bytes per request, unless one entry alone is larger (it is then sent on its own). */
    static final long MAX_BATCH_BYTES = 4L << 20;
    /** The longest ttl a client may set (as RequestReader allows): ten years. */
    static final double MAX_TTL_SECONDS = 10 * 365 * 24 * 3600.0;

    private PushItems() {
    }

    /** The value bytes per request for members with these limits: well below their request body limit. */
    static long batchBytes(ApiLimits limits) {
        return Math.min(MAX_BATCH_BYTES, limits.maxRequestBytes() / 2);
    }

    /** One request being filled. */
    static final class Batch {
        private final JsonWriter out = new JsonWriter(4096).beginObject().name("items").beginArray();
        private final long maxBytes;
        private int count;
        private long bytes;

        /** @param maxBytes when the batch is {@link #full()}: {@link #batchBytes} */
        Batch(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        /** A live entry as read in one go. */
        void add(String key, Stored stored) {
            out.beginObject().name("key").value(key).name("value")
                    .rawValueShared(stored.value().array(), stored.value().offset(), stored.value().length())
                    .name("ttl");
            if (stored.ttlRemainingNanos() > 0) {
                out.value(stored.ttlRemainingNanos() / 1e9);
            } else {
                out.nullValue();
            }
            if (!stored.tags().isEmpty()) {
                out.name("tags").beginArray();
                stored.tags().forEach(out::value);
                out.endArray();
            }
            out.name("version").value(Long.toUnsignedString(stored.version())).endObject();
            count++;
            bytes += key.length() + stored.value().length();
        }

        /** A tombstone, with what is left of its grace period. */
        void addTombstone(String key, long version, long remainingNanos) {
            out.beginObject().name("key").value(key).name("tombstone").value(true)
                    .name("grace").value(Math.max(remainingNanos, 1) / 1e9)
                    .name("version").value(Long.toUnsignedString(version)).endObject();
            count++;
            bytes += key.length() + 64;
        }

        /** Adds what this engine holds for the key now (live or tombstone); false when it holds neither. */
        boolean addCurrent(CacheEngine engine, String key) {
            Stored stored = engine.peekStored(key);
            if (stored != null) {
                add(key, stored);
                return true;
            }
            KeyVersion state = engine.versionOf(key);
            if (state != null && state.tombstone()) {
                addTombstone(key, state.version(), state.remainingNanos());
                return true;
            }
            return false;
        }

        int size() {
            return count;
        }

        long bytes() {
            return bytes;
        }

        boolean full() {
            return count >= MAX_BATCH_ITEMS || bytes >= maxBytes;
        }

        byte[] body() {
            return out.endArray().endObject().toByteArray();
        }

        /** The request closed with one more member after the items, e.g. {@code "answered": n}. */
        JsonWriter bodyWith(String name, long number) {
            return out.endArray().name(name).value(number).endObject();
        }
    }

    /** How many copies were stored, and how many were not (this node held that version or a newer one). */
    record Applied(long stored, long present) {
    }

    /** A push item that breaks the format or the limits; the whole request is refused. */
    static final class InvalidItem extends RuntimeException {
        InvalidItem(String message) {
            super(message, null, false, false);
        }
    }

    /** One checked item: a live copy (value non-null) or a tombstone. */
    private record Item(String key, byte[] value, long ttlNanos, List<String> tags, long version, long graceNanos) {
    }

    /**
     * Checks every item of a push body, then stores each over an older copy only; nothing is stored when any item
     * is invalid.
     *
     * @throws InvalidItem for a malformed body or an item over the limits
     */
    static Applied apply(CacheEngine engine, ApiLimits limits, byte[] body) {
        return apply(engine, limits, body, key -> { });
    }

    /** {@link #apply(CacheEngine, ApiLimits, byte[])}, telling {@code stored} the key of every item it stored. */
    static Applied apply(CacheEngine engine, ApiLimits limits, byte[] body, Consumer<String> storedKey) {
        List<Item> items = parse(body, limits);
        long stored = 0;
        long present = 0;
        for (Item item : items) {
            if (store(engine, item)) {
                stored++;
                storedKey.accept(item.key());
            } else {
                present++;
            }
        }
        return new Applied(stored, present);
    }

    private static boolean store(CacheEngine engine, Item item) {
        if (item.value() == null) {
            return engine.deleteVersioned(item.key(), item.version(), item.graceNanos()).applied();
        }
        try {
            return engine.putIf(item.key(), item.value(), item.ttlNanos(), item.tags(), Condition.newer(item.version()))
                    .applied();
        } catch (EntryTooLargeException e) {
            return false; // cannot be held here; counts as handled so the sender does not retry forever
        }
    }

    private static List<Item> parse(byte[] body, ApiLimits limits) {
        try {
            JsonSlice items = JsonSlice.parse(body).members().get("items");
            if (items == null) {
                throw new InvalidItem("expected {\"items\": [...]}");
            }
            List<Item> checked = new ArrayList<>();
            for (JsonSlice element : items.elements()) {
                checked.add(item(element.members(), limits));
            }
            return checked;
        } catch (InvalidItem | ApiException e) {
            throw e;
        } catch (RuntimeException e) { // malformed JSON, a field of the wrong kind or missing
            throw new InvalidItem("malformed push: " + e.getMessage());
        }
    }

    private static Item item(Map<String, JsonSlice> fields, ApiLimits limits) {
        String key = fields.get("key").asString();
        int length = key.codePointCount(0, key.length());
        if (key.isEmpty() || length > limits.maxKeyLength()) {
            throw new InvalidItem("key of " + length + " characters; accepted: 1 to " + limits.maxKeyLength());
        }
        long version = Long.parseUnsignedLong(fields.get("version").asString());
        if (version == 0) {
            throw new InvalidItem("version 0 of \"" + key + "\"");
        }
        JsonSlice tombstone = fields.get("tombstone");
        if (tombstone != null && tombstone.kind() == JsonSlice.Kind.TRUE) {
            return new Item(key, null, 0, List.of(), version, seconds(fields.get("grace"), "grace", key));
        }
        // a live copy is checked with the rules of a client's write, in one place (CheckedEntry: 400, or 413 for a
        // value over the limit)
        CheckedEntry entry = CheckedEntry.of(fields.get("key"), fields.get("value"), fields.get("ttl"),
                fields.get("tags"), limits);
        return new Item(entry.key(), entry.value(), entry.ttlNanos(), entry.tags(), version, 0);
    }

    /** A number of seconds > 0 and at most ten years, as nanoseconds (at least 1). */
    private static long seconds(JsonSlice number, String name, String key) {
        BigDecimal seconds = number.asNumber();
        if (seconds.signum() <= 0 || seconds.compareTo(BigDecimal.valueOf(MAX_TTL_SECONDS)) > 0) {
            throw new InvalidItem(name + " of \"" + key + "\" is " + seconds + "; accepted: seconds > 0 and at most "
                                  + (long) MAX_TTL_SECONDS);
        }
        return Math.max(1, seconds.multiply(BigDecimal.valueOf(1_000_000_000L)).longValue());
    }
}
