package io.cachegrid.api;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.cachegrid.engine.ValueView;
import io.cachegrid.json.JsonWriter;

/**
 * Writes the {@code "results"} object of a batch get answer straight into one array of its exact size: for each
 * distinct key {@code "key":{"value":V,"exists":true,"hit":true}} (a miss: {@code null}, false, false), the same
 * bytes {@link JsonWriter} writes, with the fixed parts copied as constants instead of written name by name.
 * <p>
 * Only for the common answer: keys of printable ASCII needing no escape (written as they are) and values short and
 * stored uncompressed (copied in). Anything else (an escaped key, a value large enough to be spliced in by reference
 * or compressed) returns null and the caller writes the answer with {@link JsonWriter}, which handles every case.
 */
final class BatchGetResults {

    private static final byte[] HIT_OPEN = ascii("\":{\"value\":");
    private static final byte[] HIT_CLOSE = ascii(",\"exists\":true,\"hit\":true}");
    private static final byte[] MISS = ascii("null,\"exists\":false,\"hit\":false}");

    private BatchGetResults() {
    }

    /**
     * The results object of the keys at the positions where they first occur ({@code first[i] == i}), each with its
     * value in {@code values[i]} (null: a miss), or null when one of them needs the general writer.
     */
    static byte[] write(List<String> keys, int[] first, ValueView[] values) {
        long size = 2; // the braces
        int members = 0;
        for (int i = 0; i < first.length; i++) {
            if (first[i] != i) {
                continue;
            }
            members++;
            ValueView value = values[i];
            long valueBytes;
            if (value == null) {
                valueBytes = MISS.length;
            } else if (value.compressed() || value.length() >= JsonWriter.MIN_SPLICE_BYTES) {
                return null;
            } else {
                valueBytes = value.length() + HIT_CLOSE.length;
            }
            size += 1 + keys.get(i).length() + HIT_OPEN.length + valueBytes + 1; // quote, key, ..., comma
        }
        if (size > Integer.MAX_VALUE - 8) {
            return null;
        }
        byte[] out = new byte[(int) size - (members > 0 ? 1 : 0)]; // no comma after the last member
        int at = 0;
        out[at++] = '{';
        for (int i = 0; i < first.length; i++) {
            if (first[i] != i) {
                continue;
            }
            if (at > 1) {
                out[at++] = ',';
            }
            out[at++] = '"';
            at = keys instanceof PlainKeys plain ? plain.copyKey(i, out, at) : plainKey(keys.get(i), out, at);
            if (at < 0) {
                return null;
            }
            at = put(HIT_OPEN, out, at);
            ValueView value = values[i];
            if (value == null) {
                at = put(MISS, out, at);
            } else {
                System.arraycopy(value.array(), value.offset(), out, at, value.length());
                at = put(HIT_CLOSE, out, at + value.length());
            }
        }
        out[at] = '}';
        return out;
    }

    /** Copies a key that JSON takes as it is (printable ASCII, no quote, no backslash); -1 for any other key. */
    private static int plainKey(String key, byte[] out, int at) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                return -1;
            }
            out[at++] = (byte) c;
        }
        return at;
    }

    private static int put(byte[] part, byte[] out, int at) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
