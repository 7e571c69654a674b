package io.cachegrid.json;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated JSON value seen as a range of the UTF-8 bytes it arrived in.
 * <p>
 * CacheGrid promises that a GET returns exactly the JSON text a PUT stored, so values are never parsed into a tree
 * and written out again: {@link #parse(byte[])} checks the whole text against RFC 8259 (grammar, UTF-8, nesting
 * depth) once, and every value inside it can then be taken as its original bytes ({@link #bytes()}). Only the small
 * envelope fields a handler needs (a key, a ttl, a list of keys) are decoded.
 */
public final class JsonSlice {

    /** Deeper nesting is refused, so a hostile body cannot exhaust the stack. */
    public static final int MAX_DEPTH = 512;

    /** What a slice holds, read from its first byte. */
    public enum Kind { OBJECT, ARRAY, STRING, NUMBER, TRUE, FALSE, NULL }

    private final byte[] source;
    private final int start;
    private final int end;

    private JsonSlice(byte[] source, int start, int end) {
        this.source = source;
        this.start = start;
        this.end = end;
    }

    /**
     * Validates {@code text} as exactly one JSON value, optionally surrounded by white space.
     *
     * @param text UTF-8 bytes
     * @return the value, without the surrounding white space
     * @throws MalformedJsonException when the text is not one well-formed JSON value
     */
    public static JsonSlice parse(byte[] text) {
        JsonValidator validator = new JsonValidator(text);
        int valueStart = validator.skipWhitespace(0);
        if (valueStart == text.length) {
            throw new MalformedJsonException("empty body, expected a JSON value", valueStart);
        }
        int valueEnd = validator.skipValue(valueStart, 0);
        if (validator.skipWhitespace(valueEnd) != text.length) {
            throw new MalformedJsonException("unexpected text after the JSON value", valueEnd);
        }
        return new JsonSlice(text, valueStart, valueEnd);
    }

    public Kind kind() {
        return switch (source[start]) {
            case '{' -> Kind.OBJECT;
            case '[' -> Kind.ARRAY;
            case '"' -> Kind.STRING;
            case 't' -> Kind.TRUE;
            case 'f' -> Kind.FALSE;
            case 'n' -> Kind.NULL;
            default -> Kind.NUMBER;
        };
    }

    /** The exact bytes of this value as sent. */
    public byte[] bytes() {
        return start == 0 && end == source.length ? source : Arrays.copyOfRange(source, start, end);
    }

    /** Embeds this value into {@code out} by reference to the text it was parsed from, without copying it. */
    JsonWriter shareInto(JsonWriter out) {
        return out.rawValueShared(source, start, end - start);
    }

    /** The members of an object in order; a repeated name keeps its last value, as most JSON readers do. */
    public Map<String, JsonSlice> members() {
        requireKind(Kind.OBJECT);
        JsonValidator v = new JsonValidator(source);
        Map<String, JsonSlice> members = new LinkedHashMap<>();
        int pos = v.skipWhitespace(start + 1);
        while (source[pos] != '}') {
            int nameEnd = v.skipString(pos);
            String name = decodeString(pos, nameEnd);
            int valueStart = v.skipWhitespace(v.skipWhitespace(nameEnd) + 1);
            int valueEnd = v.skipValue(valueStart, 0);
            members.put(name, new JsonSlice(source, valueStart, valueEnd));
            pos = v.skipWhitespace(valueEnd);
            if (source[pos] == ',') {
                pos = v.skipWhitespace(pos + 1);
            }
        }
        return members;
    }

    /** The elements of an array in order. */
    public List<JsonSlice> elements() {
        requireKind(Kind.ARRAY);
        JsonValidator v = new JsonValidator(source);
        List<JsonSlice> elements = new ArrayList<>();
        int pos = v.skipWhitespace(start + 1);
        while (source[pos] != ']') {
            int valueEnd = v.skipValue(pos, 0);
            elements.add(new JsonSlice(source, pos, valueEnd));
            pos = v.skipWhitespace(valueEnd);
            if (source[pos] == ',') {
                pos = v.skipWhitespace(pos + 1);
            }
        }
        return elements;
    }

    /** The decoded text of a string value. */
    public String asString() {
        requireKind(Kind.STRING);
        return decodeString(start, end);
    }

    /** The value of a number, exactly as written. */
    public BigDecimal asNumber() {
        requireKind(Kind.NUMBER);
        return new BigDecimal(new String(source, start, end - start, StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return new String(source, start, end - start, StandardCharsets.UTF_8);
    }

    private void requireKind(Kind expected) {
        if (kind() != expected) {
            throw new IllegalStateException("expected " + expected + " but was " + kind());
        }
    }

    /** Decodes a validated string literal spanning {@code [from, to)}, quotes included. */
    private String decodeString(int from, int to) {
        int contentStart = from + 1;
        int contentEnd = to - 1;
        int firstEscape = -1;
        for (int i = contentStart; i < contentEnd; i++) {
            if (source[i] == '\\') {
                firstEscape = i;
                break;
            }
        }
        if (firstEscape < 0) {
            return new String(source, contentStart, contentEnd - contentStart, StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder(contentEnd - contentStart);
        out.append(new String(source, contentStart, firstEscape - contentStart, StandardCharsets.UTF_8));
        int i = firstEscape;
        while (i < contentEnd) {
            if (source[i] != '\\') {
                int runEnd = i;
                while (runEnd < contentEnd && source[runEnd] != '\\') {
                    runEnd++;
                }
                out.append(new String(source, i, runEnd - i, StandardCharsets.UTF_8));
                i = runEnd;
                continue;
            }
            byte escaped = source[i + 1];
            switch (escaped) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(new String(source, i + 2, 4, StandardCharsets.US_ASCII), 16));
                    i += 4;
                }
                default -> out.append((char) escaped); // '"', '\\' and '/'
            }
            i += 2;
        }
        return out.toString();
    }
}
