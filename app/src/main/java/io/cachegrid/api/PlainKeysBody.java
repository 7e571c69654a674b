package io.cachegrid.api;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Why: a batch get body is almost always {@code {"keys":["k1","k2",...]}} with printable ASCII keys. The general
 * reader validates the whole text, then walks it again for the object's members and again for the array's elements,
 * making a slice object per element; this reads that one shape in a single pass, straight into the key strings.
 * <p>
 * It accepts only a strict subset of JSON (one {@code "keys"} member holding a non-empty array of strings of bytes
 * 0x20-0x7E without {@code "} or {@code \}, JSON white space anywhere between tokens), whose meaning is plain; for
 * anything else it answers null and the caller reads the body the general way, so every refusal and its message stay
 * the general reader's.
 */
final class PlainKeysBody {

    private final byte[] body;
    private int pos;

    private PlainKeysBody(byte[] body) {
        this.body = body;
    }

    /**
     * The keys of a body of that one shape, in order with duplicates, or null for any other body and for more than
     * {@code maxKeys} keys (the general reader refuses those with their count).
     */
    static List<String> parse(byte[] body, int maxKeys) {
        return new PlainKeysBody(body).keys(maxKeys);
    }

    private List<String> keys(int maxKeys) {
        if (!token('{') || !token('"') || !skip('k') || !skip('e') || !skip('y') || !skip('s') || !skip('"')
                || !token(':') || !token('[')) {
            return null;
        }
        // a key takes at least 3 bytes of the rest (quotes, a character): room enough, never resized
        PlainKeys keys = new PlainKeys(body, Math.min(maxKeys, (body.length - pos) / 3 + 1));
        do {
            if (!token('"') || !keys.hasRoom()) {
                return null;
            }
            int start = pos;
            String key = stringRest();
            if (key == null) {
                return null;
            }
            keys.add(key, start);
        } while (token(','));
        if (!token(']') || !token('}')) {
            return null;
        }
        whitespace();
        return pos == body.length ? keys : null;
    }

    /** The rest of a plain string after its opening quote, or null. */
    private String stringRest() {
        int start = pos;
        while (pos < body.length) {
            byte b = body[pos];
            if (b == '"') {
                int length = pos - start;
                pos++;
                // ASCII only, so Latin-1 decoding gives the same string as UTF-8, with the cheapest copy
                return length == 0 ? null : new String(body, start, length, StandardCharsets.ISO_8859_1);
            }
            if (b < 0x20 || b > 0x7E || b == '\\') {
                return null;
            }
            pos++;
        }
        return null;
    }

    /** Skips white space, then {@code expected} if it comes next. */
    private boolean token(char expected) {
        whitespace();
        return skip(expected);
    }

    private boolean skip(char expected) {
        if (pos < body.length && body[pos] == expected) {
            pos++;
            return true;
        }
        return false;
    }

    private void whitespace() {
        while (pos < body.length) {
            byte b = body[pos];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return;
            }
            pos++;
        }
    }
}
