package io.cachegrid.engine;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Keys as the engine stores them: the UTF-8 bytes of the key, at the front of the entry's one byte array
 * ({@link Entry}), plus a 64-bit hash of those bytes.
 *
 * <p><b>Encoding.</b> Standard UTF-8 for every valid string. A lone surrogate (a Java String may hold one, and JSON
 * can spell one) is written as its own three-byte sequence, as WTF-8 does, rather than replaced by '?' as
 * {@code String.getBytes(UTF_8)} would: the mapping stays injective, so two different keys never share bytes,
 * and {@link #decode} gives back the very String.
 *
 * <p><b>Lookups without allocation.</b> Most keys are ASCII. For them a lookup hashes and compares the String's
 * chars directly against the stored bytes; only a key with a non-ASCII char is encoded once into a temporary
 * array ({@link #encodeUnlessAscii}). Every method taking {@code (String key, byte[] encoded)} reads the chars
 * when {@code encoded} is null and the bytes otherwise.
 *
 * <p><b>Hash.</b> The bytes are read as little-endian 64-bit words (the tail zero-padded); each word is xored
 * into the state, which is then multiplied by an odd constant and xor-shifted, and the length and the murmur3
 * finalizer close it. The ASCII path packs eight chars into the same words, so both paths agree bit for bit.
 * The start state is a random seed drawn once per JVM, so an attacker who cannot see hashes cannot precompute
 * keys that all land in one probe run of a segment's open-addressing table (the HashMap this replaces had tree
 * bins for that). Bits 0-31 index a segment's table, 32-47 are the entry's tag, 48 and up pick the segment.
 */
final class Keys {
    private static final long SEED = new SplittableRandom().nextLong();
    private static final long WORD_MULTIPLIER = 0x9E3779B97F4A7C15L;
    private static final long LENGTH_MULTIPLIER = 0xC2B2AE3D27D4EB4FL;
    private static final int WORD_BYTES = Long.BYTES;

    private Keys() {
    }

    /** Null when every char is ASCII (then the chars are the bytes); else the key's encoding. */
    static byte[] encodeUnlessAscii(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) >= 0x80) {
                byte[] encoded = new byte[(int) encodedLength(key)];
                encode(key, null, encoded, 0);
                return encoded;
            }
        }
        return null;
    }

    /** The encoded length in bytes: UTF-8's for valid strings, 3 bytes for each lone surrogate. */
    static long encodedLength(String key) {
        int chars = key.length();
        long bytes = chars;
        for (int i = 0; i < chars; i++) {
            char c = key.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (isPairAt(key, i)) {
                    bytes += 2;                          // two chars, four bytes
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /** The encoded length of a key given as {@code (key, encodeUnlessAscii(key))}. */
    static int length(String key, byte[] encoded) {
        return encoded == null ? key.length() : encoded.length;
    }

    /** Writes the key's bytes at {@code offset}: copies {@code encoded}, or the ASCII chars when it is null. */
    @SuppressWarnings("deprecation")  // String.getBytes(int, int, byte[], int): the low byte of each char, no copy
    static void encode(String key, byte[] encoded, byte[] into, int offset) {
        if (encoded != null) {
            System.arraycopy(encoded, 0, into, offset, encoded.length);
            return;
        }
        int chars = key.length();
        int i = 0;
        while (i < chars && key.charAt(i) < 0x80) {
            i++;
        }
        key.getBytes(0, i, into, offset);
        int at = offset + i;
        for (; i < chars; i++) {
            char c = key.charAt(i);
            if (c < 0x80) {
                into[at++] = (byte) c;
            } else if (c < 0x800) {
                into[at++] = (byte) (0xC0 | c >> 6);
                into[at++] = (byte) (0x80 | c & 0x3F);
            } else if (isPairAt(key, i)) {
                int codePoint = Character.toCodePoint(c, key.charAt(++i));
                into[at++] = (byte) (0xF0 | codePoint >> 18);
                into[at++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                into[at++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                into[at++] = (byte) (0x80 | codePoint & 0x3F);
            } else {
                into[at++] = (byte) (0xE0 | c >> 12);
                into[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                into[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    /** The key back from its stored bytes. */
    static String decode(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end && bytes[i] >= 0) {
            i++;
        }
        if (i == end) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[length];
        int count = 0;
        for (i = offset; i < end; ) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                chars[count++] = (char) b;
                i += 1;
            } else if (b < 0xE0) {
                chars[count++] = (char) ((b & 0x1F) << 6 | bytes[i + 1] & 0x3F);
                i += 2;
            } else if (b < 0xF0) {
                chars[count++] = (char) ((b & 0x0F) << 12 | (bytes[i + 1] & 0x3F) << 6 | bytes[i + 2] & 0x3F);
                i += 3;
            } else {
                int codePoint = (b & 0x07) << 18 | (bytes[i + 1] & 0x3F) << 12 | (bytes[i + 2] & 0x3F) << 6
                        | bytes[i + 3] & 0x3F;
                chars[count++] = Character.highSurrogate(codePoint);
                chars[count++] = Character.lowSurrogate(codePoint);
                i += 4;
            }
        }
        return new String(chars, 0, count);
    }

    /** Whether the stored bytes are the key given as {@code (key, encoded)}. */
    static boolean equal(String key, byte[] encoded, byte[] bytes, int offset, int length) {
        if (encoded != null) {
            return java.util.Arrays.equals(encoded, 0, encoded.length, bytes, offset, offset + length);
        }
        if (key.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[offset + i] != (byte) key.charAt(i)) {   // key is ASCII: a stored byte >= 0x80 never matches
                return false;
            }
        }
        return true;
    }

    /** The hash of a key given as {@code (key, encoded)}. */
    static long hash(String key, byte[] encoded) {
        if (encoded != null) {
            return hash(encoded, 0, encoded.length);
        }
        int length = key.length();
        long state = SEED;
        int i = 0;
        for (; i + WORD_BYTES <= length; i += WORD_BYTES) {
            long word = 0;
            for (int j = WORD_BYTES - 1; j >= 0; j--) {
                word = word << 8 | key.charAt(i + j);
            }
            state = step(state, word);
        }
        if (i < length) {
            long word = 0;
            for (int j = length - 1; j >= i; j--) {
                word = word << 8 | key.charAt(j);
            }
            state = step(state, word);
        }
        return finish(state, length);
    }

    /** The hash of any key, for callers that have no stored form at hand (tests, the sketch's own tests). */
    static long hash(String key) {
        return hash(key, encodeUnlessAscii(key));
    }

    /** The hash of stored key bytes; equal to {@link #hash(String, byte[])} of the same key. */
    static long hash(byte[] bytes, int offset, int length) {
        long state = SEED;
        int end = offset + length;
        int i = offset;
        for (; i + WORD_BYTES <= end; i += WORD_BYTES) {
            long word = 0;
            for (int j = WORD_BYTES - 1; j >= 0; j--) {
                word = word << 8 | bytes[i + j] & 0xFF;
            }
            state = step(state, word);
        }
        if (i < end) {
            long word = 0;
            for (int j = end - 1; j >= i; j--) {
                word = word << 8 | bytes[j] & 0xFF;
            }
            state = step(state, word);
        }
        return finish(state, length);
    }

    private static boolean isPairAt(String key, int i) {
        return Character.isHighSurrogate(key.charAt(i)) && i + 1 < key.length()
                && Character.isLowSurrogate(key.charAt(i + 1));
    }

    private static long step(long state, long word) {
        long h = (state ^ word) * WORD_MULTIPLIER;
        return h ^ h >>> 29;
    }

    /** The murmur3 64-bit finalizer over the state and the length: every input bit affects every output bit. */
    private static long finish(long state, int length) {
        long h = state ^ length * LENGTH_MULTIPLIER;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ h >>> 33;
    }
}
