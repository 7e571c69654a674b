package io.cachegrid.client;

import java.nio.charset.StandardCharsets;

/**
 * Why: a client that sends each key straight to its owner must place keys exactly as the servers do. This is the
 * cluster's 64-bit key hash (the server's {@code io.cachegrid.cluster.KeyHash}), part of the wire contract like
 * Redis Cluster's CRC16 slot function is for its clients: UTF-8 bytes in little-endian 8-byte blocks, each
 * scrambled and folded into the state, the length mixed in, then an avalanche. {@code RingAgreementTest} checks
 * it against a running cluster's placement.
 */
final class RingHash {
    private static final long SEED = 0x2545F4914F6CDD1DL;
    private static final long SCRAMBLE_1 = 0x9E3779B97F4A7C15L;
    private static final long SCRAMBLE_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long STEP_MULTIPLIER = 0x165667B19E3779F9L;
    private static final long STEP_ADD = 0x27D4EB2F165667C5L;
    private static final long AVALANCHE_1 = 0xFF51AFD7ED558CCDL;
    private static final long AVALANCHE_2 = 0xC4CEB9FE1A85EC53L;

    private RingHash() {
    }

    static long of(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long h = SEED ^ (bytes.length * SCRAMBLE_1);
        for (int i = 0; i < bytes.length; i += 8) {
            long block = 0;
            for (int j = Math.min(8, bytes.length - i) - 1; j >= 0; j--) {
                block = (block << 8) | (bytes[i + j] & 0xFFL);
            }
            long k = Long.rotateLeft(block * SCRAMBLE_1, 31) * SCRAMBLE_2;
            h = Long.rotateLeft(h ^ k, 27) * STEP_MULTIPLIER + STEP_ADD;
        }
        h ^= bytes.length;
        h ^= h >>> 33;
        h *= AVALANCHE_1;
        h ^= h >>> 29;
        h *= AVALANCHE_2;
        return h ^ (h >>> 32);
    }
}
