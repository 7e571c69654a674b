package io.cachegrid.engine;

/**
 * Integer values for {@link CacheEngine#increment}: a value is an integer when its bytes are JSON integer text,
 * {@code -?(0|[1-9][0-9]*)}, with no sign, space or exponent beyond that, and within the 64-bit range. Anything
 * else (a string, a float, {@code 1e3}, {@code 007}, whitespace around it) is not, and is left alone.
 */
final class Integers {
    /** Digits of Long.MIN_VALUE without its sign: no integer text within range is longer. */
    private static final int MAX_DIGITS = 19;

    private Integers() {
    }

    /** Whether {@code bytes[from, to)} is JSON integer text within the range of a long. */
    static boolean isInteger(byte[] bytes, int from, int to) {
        int at = from;
        if (at < to && bytes[at] == '-') {
            at++;
        }
        int digits = to - at;
        if (digits < 1 || digits > MAX_DIGITS || digits > 1 && bytes[at] == '0') {
            return false;
        }
        for (int i = at; i < to; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                return false;
            }
        }
        if (digits < MAX_DIGITS) {
            return true;
        }
        try {
            parse(bytes, from, to);
            return true;
        } catch (NumberFormatException outOfRange) {
            return false;
        }
    }

    /** The value of integer text already checked by {@link #isInteger}. */
    static long parse(byte[] bytes, int from, int to) {
        return Long.parseLong(new String(bytes, from, to - from, java.nio.charset.StandardCharsets.US_ASCII));
    }
}
