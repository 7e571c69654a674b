package io.cachegrid.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * Why: {@code /stats} reports what compression saves, over the values held now, and only an engine that
 * compresses should pay for counting it. Segments report each entry going in and out ({@link Segment}'s insert,
 * replace, remove and clear, under its lock) when they have a tally, which only an engine with a compression
 * threshold gives them. LongAdders, so the segments add without contending and a snapshot needs no lock; the
 * invariant check recounts every segment into a fresh tally and compares.
 */
final class CompressionTally {
    private final int thresholdBytes;
    private final LongAdder compressedValues = new LongAdder();
    private final LongAdder originalBytes = new LongAdder();
    private final LongAdder storedBytes = new LongAdder();
    private final LongAdder incompressibleValues = new LongAdder();
    private final LongAdder incompressibleBytes = new LongAdder();

    CompressionTally(int thresholdBytes) {
        this.thresholdBytes = thresholdBytes;
    }

    /** A zero tally with the same threshold, for recounting. */
    CompressionTally empty() {
        return new CompressionTally(thresholdBytes);
    }

    void added(Entry entry) {
        count(entry, 1);
    }

    void removed(Entry entry) {
        count(entry, -1);
    }

    private void count(Entry entry, int sign) {
        if (entry.compressed()) {
            compressedValues.add(sign);
            originalBytes.add((long) sign * entry.valueBytes());
            storedBytes.add((long) sign * entry.storedValueBytes());
        } else {
            int length = entry.storedValueBytes();
            if (length > thresholdBytes) {
                incompressibleValues.add(sign);
                incompressibleBytes.add((long) sign * length);
            }
        }
    }

    CompressionStats snapshot() {
        return new CompressionStats(thresholdBytes, compressedValues.sum(), originalBytes.sum(), storedBytes.sum(),
                                    incompressibleValues.sum(), incompressibleBytes.sum());
    }
}
