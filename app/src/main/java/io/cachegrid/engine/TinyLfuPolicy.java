package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * W-TinyLFU (Einziger, Friedman and Manes, "TinyLFU: A Highly Efficient Cache Admission Policy", 2017).
 *
 * <p>New entries enter a small LRU <em>window</em> (1% of the segment), which lets bursts of fresh keys build
 * up a little history. The rest is the <em>main</em> space, a segmented LRU: entries arrive on <em>probation</em>
 * and move to <em>protected</em> (80% of main) on their next read; protected overflow falls back to the tail of
 * probation. While main has room, window overflow simply moves to probation. When the segment must make room
 * and the window is full, the window's oldest entry (the candidate) competes with probation's oldest (the victim): a {@link FrequencySketch}
 * of recent accesses, hits and misses alike, estimates both, and the candidate is admitted only if it is more
 * popular; the loser is evicted. One-hit wonders from a scan therefore never push out the popular core.
 *
 * <p>Budgets are kept both in entries and in bytes, as the segment's limits are. Every operation is O(1)
 * (amortized: each entry moves between regions a bounded number of times per access).
 */
final class TinyLfuPolicy implements ReplacementPolicy {
    private static final double WINDOW_SHARE = 0.01;
    private static final double PROTECTED_SHARE_OF_MAIN = 0.80;
    private static final byte WINDOW = 0;
    private static final byte PROBATION = 1;
    private static final byte PROTECTED = 2;

    /** One LRU region with its occupancy and budget. */
    private static final class Region {
        final byte tag;
        final EntryList entries = new EntryList();
        final long maxCount;
        final long maxWeight;
        long weight;

        Region(byte tag, long maxCount, long maxWeight) {
            this.tag = tag;
            this.maxCount = maxCount;
            this.maxWeight = maxWeight;
        }

        void add(Entry entry) {
            entries.addLast(entry);
            entry.region = tag;
            weight += entry.weight;
        }

        void remove(Entry entry) {
            entries.remove(entry);
            weight -= entry.weight;
        }

        boolean overBudget() {
            return entries.size() > maxCount || weight > maxWeight;
        }

        /** At or over budget: the next entry added would overflow it. */
        boolean full() {
            return entries.size() >= maxCount || weight >= maxWeight;
        }
    }

    private final Region window;
    private final Region probation;
    private final Region protectedRegion;
    private final long mainMaxCount;
    private final long mainMaxWeight;
    private final FrequencySketch sketch;

    TinyLfuPolicy(SegmentLimits limits) {
        long windowCount = Math.max(1, (long) (limits.maxItems() * WINDOW_SHARE));
        long windowWeight = Math.max(1, (long) (limits.maxWeight() * WINDOW_SHARE));
        mainMaxCount = limits.maxItems() - windowCount;
        mainMaxWeight = limits.maxWeight() - windowWeight;
        window = new Region(WINDOW, windowCount, windowWeight);
        probation = new Region(PROBATION, mainMaxCount, mainMaxWeight);
        protectedRegion = new Region(PROTECTED, (long) (mainMaxCount * PROTECTED_SHARE_OF_MAIN),
                                     (long) (mainMaxWeight * PROTECTED_SHARE_OF_MAIN));
        long mostEntries = Math.min(limits.maxItems(), limits.maxWeight() / CacheEngine.ENTRY_OVERHEAD_BYTES);
        sketch = new FrequencySketch(mostEntries);
    }

    @Override
    public void onInsert(Entry entry) {
        sketch.increment(entry.key);
        window.add(entry);
        moveWindowOverflowToMain();
    }

    @Override
    public void onAccess(Entry entry) {
        sketch.increment(entry.key);
        Region region = regionOf(entry);
        if (region == probation) {
            probation.remove(entry);
            protectedRegion.add(entry);
            demoteProtectedOverflow();
        } else {
            region.entries.moveToLast(entry);
        }
    }

    @Override
    public void onUpdate(Entry entry, long oldWeight) {
        regionOf(entry).weight += entry.weight - oldWeight;
        onAccess(entry);
        demoteProtectedOverflow();
        moveWindowOverflowToMain();
    }

    @Override
    public void onRemove(Entry entry) {
        regionOf(entry).remove(entry);
        moveWindowOverflowToMain();
    }

    @Override
    public void onMiss(String key) {
        sketch.increment(key);
    }

    @Override
    public Entry victim() {
        Entry mainVictim = probation.entries.isEmpty() ? protectedRegion.entries.first() : probation.entries.first();
        if (!window.full() || window.entries.isEmpty()) {
            return mainVictim != null ? mainVictim : window.entries.first();
        }
        Entry candidate = window.entries.first();
        if (mainVictim == null) {
            return candidate;
        }
        return sketch.frequency(candidate.key) > sketch.frequency(mainVictim.key) ? mainVictim : candidate;
    }

    @Override
    public void clear() {
        for (Region region : regions()) {
            region.entries.clear();
            region.weight = 0;
        }
    }

    @Override
    public void checkInvariants(Collection<Entry> entries) {
        List<Entry> all = new ArrayList<>(entries.size());
        for (Region region : regions()) {
            long weight = 0;
            for (Entry entry : region.entries.checkedEntries()) {
                Invariants.check(entry.region == region.tag, "tinylfu region tag of " + entry);
                weight += entry.weight;
                all.add(entry);
            }
            Invariants.check(weight == region.weight, "tinylfu region " + region.tag + " weight");
        }
        Invariants.check(!protectedRegion.overBudget(), "tinylfu protected region over its budget");
        Invariants.sameEntries("tinylfu regions", entries, all);
        sketch.checkInvariants();
    }

    /** While the window is over its share and main has room, its oldest entries graduate to probation. */
    private void moveWindowOverflowToMain() {
        while (window.overBudget() && mainHasRoomFor(window.entries.first())) {
            Entry graduate = window.entries.first();
            window.remove(graduate);
            probation.add(graduate);
        }
    }

    private void demoteProtectedOverflow() {
        while (protectedRegion.overBudget()) {
            Entry demoted = protectedRegion.entries.first();
            protectedRegion.remove(demoted);
            probation.add(demoted);
        }
    }

    private boolean mainHasRoomFor(Entry entry) {
        long count = probation.entries.size() + protectedRegion.entries.size();
        return count < mainMaxCount && probation.weight + protectedRegion.weight + entry.weight <= mainMaxWeight;
    }

    private Region regionOf(Entry entry) {
        return switch (entry.region) {
            case WINDOW -> window;
            case PROBATION -> probation;
            default -> protectedRegion;
        };
    }

    private Region[] regions() {
        return new Region[] {window, probation, protectedRegion};
    }
}
