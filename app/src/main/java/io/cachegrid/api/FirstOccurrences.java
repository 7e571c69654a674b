package io.cachegrid.api;

import java.util.List;

/**
 * Where each key of a batch first occurs, so the answer names every distinct key once, in first-occurrence order,
 * like an insertion-ordered map, without a map node per key: one open-addressing table of indexes, sized for the
 * batch.
 */
final class FirstOccurrences {

    private FirstOccurrences() {
    }

    /** For each position, the position of the first occurrence of its key (itself when it is the first). */
    static int[] of(List<String> keys) {
        int n = keys.size();
        int[] first = new int[n];
        int[] slots = new int[Integer.highestOneBit(Math.max(1, n) * 2 - 1) << 1]; // >= 2n, a power of two
        int mask = slots.length - 1;
        for (int i = 0; i < n; i++) {
            String key = keys.get(i);
            int slot = mix(key.hashCode()) & mask;
            while (true) {
                int held = slots[slot] - 1; // 0 is an empty slot
                if (held < 0) {
                    slots[slot] = i + 1;
                    first[i] = i;
                    break;
                }
                if (keys.get(held).equals(key)) {
                    first[i] = held;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        return first;
    }

    /** Spreads String.hashCode's low bits, which similar keys ("key:0001", "key:0002") share in runs. */
    private static int mix(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
