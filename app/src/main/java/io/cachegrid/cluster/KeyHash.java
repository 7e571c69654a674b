package io.cachegrid.cluster;

import java.nio.charset.StandardCharsets;

/**
 * Why: ring positions must be identical on every node and every JVM (so not {@code String.hashCode()}, which is
 * only 32 bits and clusters on similar keys), and spread evenly even for keys that differ in one trailing
 * character ({@code user:1}, {@code user:2}). This is a small 64-bit hash in the style of MurmurHash/xxHash:
 * <ol>
 *   <li>the UTF-8 bytes are consumed 8 at a time as little-endian longs; each is scrambled (multiply by an odd
 *   constant, rotate, multiply) and folded into the state, which is rotated and stepped (multiply-add) so that the
 *   order of blocks matters;</li>
 *   <li>the last 0-7 bytes form one more, zero-padded block, and the length is mixed in so that trailing zero bytes
 *   change the result;</li>
 *   <li>a final avalanche (xor-shift, multiply, twice) makes every input bit affect every output bit with about
 *   even odds.</li>
 * </ol>
 * The constants are odd 64-bit numbers with well-mixed bits (the golden-ratio and other fixed-point fractions used
 * across this family of hashes). Not cryptographic: a hostile client can aim many keys at one node.
 */
public final class KeyHash {

    private static final long SEED = 0x2545F4914F6CDD1DL;
    private static final long SCRAMBLE_1 = 0x9E3779B97F4A7C15L;
    private static final long SCRAMBLE_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long STEP_MULTIPLIER = 0x165667B19E3779F9L;
    private static final long STEP_ADD = 0x27D4EB2F165667C5L;
    private static final long AVALANCHE_1 = 0xFF51AFD7ED558CCDL;
    private static final long AVALANCHE_2 = 0xC4CEB9FE1A85EC53L;

    private KeyHash() {
    }

    /** The 64-bit hash of the text's UTF-8 bytes. */
    public static long of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The 64-bit hash of {@code bytes}. */
    public static long of(byte[] bytes) {
        long h = SEED ^ (bytes.length * SCRAMBLE_1);
        int i = 0;
        for (; i + 8 <= bytes.length; i += 8) {
            h = step(h, littleEndian(bytes, i, 8));
        }
        if (i < bytes.length) {
            h = step(h, littleEndian(bytes, i, bytes.length - i));
        }
        return avalanche(h ^ bytes.length);
    }

    private static long step(long h, long block) {
        long k = Long.rotateLeft(block * SCRAMBLE_1, 31) * SCRAMBLE_2;
        return Long.rotateLeft(h ^ k, 27) * STEP_MULTIPLIER + STEP_ADD;
    }

    private static long avalanche(long h) {
        h ^= h >>> 33;
        h *= AVALANCHE_1;
        h ^= h >>> 29;
        h *= AVALANCHE_2;
        return h ^ (h >>> 32);
    }

    private static long littleEndian(byte[] bytes, int from, int count) {
        long value = 0;
        for (int j = count - 1; j >= 0; j--) {
            value = (value << 8) | (bytes[from + j] & 0xFFL);
        }
        return value;
    }
}
