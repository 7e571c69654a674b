package io.cachegrid.json;

/**
 * A strict RFC 8259 recogniser over UTF-8 bytes: it answers where a value ends, or throws
 * {@link MalformedJsonException}. It builds nothing, so checking a value costs one pass and no garbage.
 */
final class JsonValidator {

    private final byte[] b;

    JsonValidator(byte[] bytes) {
        this.b = bytes;
    }

    int skipWhitespace(int pos) {
        while (pos < b.length && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t')) {
            pos++;
        }
        return pos;
    }

    /** Returns the index just past the value starting at {@code pos}. */
    int skipValue(int pos, int depth) {
        if (pos >= b.length) {
            throw new MalformedJsonException("unexpected end of JSON, expected a value", pos);
        }
        return switch (b[pos]) {
            case '{' -> skipObject(pos, depth + 1);
            case '[' -> skipArray(pos, depth + 1);
            case '"' -> skipString(pos);
            case 't' -> skipLiteral(pos, "true");
            case 'f' -> skipLiteral(pos, "false");
            case 'n' -> skipLiteral(pos, "null");
            default -> skipNumber(pos);
        };
    }

    int skipString(int pos) {
        if (pos >= b.length || b[pos] != '"') {
            throw new MalformedJsonException("expected a string", pos);
        }
        int i = pos + 1;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c == '"') {
                return i + 1;
            } else if (c == '\\') {
                i = skipEscape(i);
            } else if (c < 0x20) {
                throw new MalformedJsonException("control character in string", i);
            } else if (c < 0x80) {
                i++;
            } else {
                i = skipUtf8(i, c);
            }
        }
        throw new MalformedJsonException("unterminated string", pos);
    }

    private int skipObject(int pos, int depth) {
        checkDepth(pos, depth);
        int i = skipWhitespace(pos + 1);
        if (i < b.length && b[i] == '}') {
            return i + 1;
        }
        while (true) {
            i = skipString(i);
            i = skipWhitespace(i);
            expect(i, ':');
            i = skipValue(skipWhitespace(i + 1), depth);
            i = skipWhitespace(i);
            if (i < b.length && b[i] == ',') {
                i = skipWhitespace(i + 1);
            } else {
                expect(i, '}');
                return i + 1;
            }
        }
    }

    private int skipArray(int pos, int depth) {
        checkDepth(pos, depth);
        int i = skipWhitespace(pos + 1);
        if (i < b.length && b[i] == ']') {
            return i + 1;
        }
        while (true) {
            i = skipWhitespace(skipValue(i, depth));
            if (i < b.length && b[i] == ',') {
                i = skipWhitespace(i + 1);
            } else {
                expect(i, ']');
                return i + 1;
            }
        }
    }

    private int skipLiteral(int pos, String literal) {
        for (int k = 0; k < literal.length(); k++) {
            if (pos + k >= b.length || b[pos + k] != literal.charAt(k)) {
                throw new MalformedJsonException("invalid literal, expected " + literal, pos);
            }
        }
        return pos + literal.length();
    }

    /** number = [ minus ] int [ frac ] [ exp ], with no leading zeros. */
    private int skipNumber(int pos) {
        int i = pos;
        if (i < b.length && b[i] == '-') {
            i++;
        }
        if (i < b.length && b[i] == '0') {
            i++;
        } else if (i < b.length && b[i] >= '1' && b[i] <= '9') {
            i = skipDigits(i);
        } else {
            throw new MalformedJsonException("unexpected character, expected a JSON value", pos);
        }
        if (i < b.length && b[i] == '.') {
            int digitsStart = i + 1;
            i = skipDigits(digitsStart);
            if (i == digitsStart) {
                throw new MalformedJsonException("digit expected after decimal point", i);
            }
        }
        if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < b.length && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int digitsStart = i;
            i = skipDigits(i);
            if (i == digitsStart) {
                throw new MalformedJsonException("digit expected in exponent", i);
            }
        }
        return i;
    }

    private int skipDigits(int i) {
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }

    private int skipEscape(int i) {
        if (i + 1 >= b.length) {
            throw new MalformedJsonException("unterminated escape", i);
        }
        switch (b[i + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return i + 2;
            }
            case 'u' -> {
                for (int k = 2; k < 6; k++) {
                    if (i + k >= b.length || Character.digit(b[i + k], 16) < 0) {
                        throw new MalformedJsonException("invalid \\u escape", i);
                    }
                }
                return i + 6;
            }
            default -> throw new MalformedJsonException("invalid escape", i);
        }
    }

    /** Checks one multi-byte UTF-8 sequence (no overlongs, no surrogates, at most U+10FFFF). */
    private int skipUtf8(int i, int lead) {
        int length;
        int min;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            min = 0x80;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            min = 0x800;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            min = 0x10000;
        } else {
            throw new MalformedJsonException("invalid UTF-8", i);
        }
        if (i + length > b.length) {
            throw new MalformedJsonException("truncated UTF-8", i);
        }
        int codePoint = lead & (0xFF >> (length + 1));
        for (int k = 1; k < length; k++) {
            int c = b[i + k] & 0xFF;
            if ((c & 0xC0) != 0x80) {
                throw new MalformedJsonException("invalid UTF-8", i + k);
            }
            codePoint = (codePoint << 6) | (c & 0x3F);
        }
        if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
            throw new MalformedJsonException("invalid UTF-8", i);
        }
        return i + length;
    }

    private void expect(int i, char c) {
        if (i >= b.length) {
            throw new MalformedJsonException("unexpected end of JSON, expected '" + c + "'", i);
        }
        if (b[i] != c) {
            throw new MalformedJsonException("expected '" + c + "'", i);
        }
    }

    private void checkDepth(int pos, int depth) {
        if (depth > JsonSlice.MAX_DEPTH) {
            throw new MalformedJsonException("nesting deeper than " + JsonSlice.MAX_DEPTH, pos);
        }
    }
}
