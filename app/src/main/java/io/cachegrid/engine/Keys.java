package io.cachegrid.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
 * <p><b>Lookups encode the key once.</b> Every operation first turns the String into its bytes (for an ASCII key,
 * a scan and an array copy) and then hashes and compares bytes only. The alternative, hashing and comparing the
 * String's chars against the stored bytes so that an ASCII lookup allocates nothing, was measured slower:
 * on a 10,000-entry LRU cache with fresh 16-char key Strings per call (as the HTTP layer makes them), best of 8
 * rounds of 3M calls, a get took 177-185 ns encoding once against 202-209 ns char by char, and an overwriting
 * put 239 against 307 ns. charAt loops lose to {@code getBytes} plus word reads and the vectorized
 * {@code Arrays.equals}; the key-sized array dies young in the TLAB. (A shared two-core machine at load ~5:
 * treat the figures as ±15%, the ranking held over repeated runs.)
 *
 * <p><b>Hash.</b> The bytes are read as little-endian 64-bit words (the tail zero-padded); each word is xored
 * into the state, which is then multiplied by an odd constant and xor-shifted, and the length and the murmur3
 * finalizer close it. The start state is a random seed drawn once per JVM, so an attacker who cannot see hashes cannot precompute
 * keys that all land in one probe run of a segment's open-addressing table (the HashMap this replaces had tree
 * bins for that). Bits 0-31 index a segment's table, 32-47 are the entry's tag, 48 and up pick the segment.
 */
final class Keys {
    private static final long SEED = new SplittableRandom().nextLong();
    private static final long WORD_MULTIPLIER = 0x9E3779B97F4A7C15L;
    private static final long LENGTH_MULTIPLIER = 0xC2B2AE3D27D4EB4FL;
    private static final int WORD_BYTES = Long.BYTES;
    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Keys() {
    }

    /** The key's stored bytes: a copy of the chars for an ASCII key (the common case), else the encoding. */
    @SuppressWarnings("deprecation")  // String.getBytes(int, int, byte[], int): the low byte of each char
    static byte[] encode(String key) {
        int chars = key.length();
        int i = 0;
        while (i < chars && key.charAt(i) < 0x80) {
            i++;
        }
        if (i == chars) {
            byte[] ascii = new byte[chars];
            key.getBytes(0, chars, ascii, 0);
            return ascii;
        }
        long length = encodedLength(key);
        if (length > Entry.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("key of " + length + " UTF-8 bytes is too long to store");
        }
        byte[] encoded = new byte[(int) length];
        key.getBytes(0, i, encoded, 0);
        encodeFrom(key, i, encoded, i);
        return encoded;
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

    /** Encodes the chars from {@code from} on into {@code into} from {@code at} on. */
    private static void encodeFrom(String key, int from, byte[] into, int at) {
        int chars = key.length();
        for (int i = from; i < chars; i++) {
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

    /** The hash of a whole encoded key. */
    static long hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    /** The hash of any key, for callers that have no stored form at hand (tests, the invariant checks). */
    static long hash(String key) {
        return hash(encode(key));
    }

    /** The hash of key bytes, wherever they sit. */
    static long hash(byte[] bytes, int offset, int length) {
        long state = SEED;
        int end = offset + length;
        int i = offset;
        for (; i + WORD_BYTES <= end; i += WORD_BYTES) {
            state = step(state, (long) LITTLE_ENDIAN_LONG.get(bytes, i));
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
