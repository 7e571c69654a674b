package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Adaptive W-TinyLFU (Einziger, Friedman and Manes, "TinyLFU: A Highly Efficient Cache Admission Policy", 2017;
 * the adaptive window from Einziger, Eytan, Friedman and Manes, "Adaptive Software Cache Management", 2018).
 *
 * <p><b>Regions.</b> New entries enter an LRU <em>window</em>, which lets bursts of fresh keys build up a little
 * history. The rest is the <em>main</em> space, a segmented LRU: entries arrive on <em>probation</em> and move to
 * <em>protected</em> ({@link #PROTECTED_SHARE_OF_MAIN} of main) on their next read; protected overflow falls back
 * to the tail of probation. While main has room, window overflow simply moves to probation. When the segment must
 * make room and the window is full, the window's oldest entry (the candidate) competes with probation's oldest
 * (the victim): a {@link FrequencySketch} of recent accesses estimates both, and the candidate is admitted only
 * if it is more popular by more than {@link #ADMISSION_MARGIN}; the loser is evicted. One-hit wonders from a scan
 * therefore never push out the popular core. While the window is below its budget (it just grew), main's oldest is
 * evicted.
 *
 * <p><b>Counting.</b> The sketch counts each hit and each write (insert or rewrite) once, and a miss not at all
 * (as Caffeine does), so a key's count never depends on which requests came before: a cache-aside miss and its
 * put count once whether or not other clients' requests come between them. (The earlier rule, count a miss and
 * skip the insert right after it of the same key, counted twice when another request came between: with two
 * interleaved clients the loop trace fell from 89% to 74-78%.)
 *
 * <p><b>Admission margin.</b> Counting alone did not make the loop trace independent of interleaving (measured
 * with {@code scripts/bench-hitratio.sh}: 76-80% with 2-4 interleaved clients, 88-89% with one). After each halving
 * of the sketch, a candidate counted earlier in the current cycle than the victim leads it by one, so each victim
 * lost in turn, as under LRU. With one client a cached key of higher count usually stood at probation's head and
 * stopped that wave; another client's hit between a miss and its put promotes that key out of the way. Requiring a
 * lead of two stops the wave in every mode (loop 89.3% with 1, 2 and 4 clients) and moves Zipf by under 1 point.
 *
 * <p><b>Adaptive window.</b> A large window favours recency (a loop, a working set that moves faster than the
 * sketch forgets), a small one frequency (skewed traffic with scans). The window's share of the segment starts at
 * {@link #INITIAL_WINDOW_SHARE} and is tuned by a {@link HillClimber} on the hit rate of reads (a read that finds
 * the entry is a hit, {@link #onMiss} a miss), sampled once the segment is half full, within
 * [{@link #MIN_WINDOW_SHARE}, {@link #MAX_WINDOW_SHARE}] and never below one entry. Each share gives the budgets
 * of all regions: window = share × limit, main = limit − window, protected = {@link #PROTECTED_SHARE_OF_MAIN} ×
 * main, so the protected share stays consistent as the window moves. Budgets are kept both in entries and in
 * bytes, against the segment's expected share of the cache's limits ({@link SegmentLimits}): the limits themselves
 * are global and enforced by the engine, so the regions are proportions, not hard caps.
 *
 * <p><b>Moving entries after a resize.</b> A new share does not move entries at once: every hook afterwards moves
 * at most {@link #TRANSFERS_PER_OPERATION} entries towards the budgets, in this order: protected overflow to
 * probation's tail; window overflow (its oldest) to probation's tail while main has room; while the window has
 * room and main is over its budget, main's oldest (probation's, else protected's) to the window's newest end, a
 * second chance in LRU order. A resize moves at most {@link HillClimber#INITIAL_STEP} of the capacity and comes
 * once per sample of 10× the capacity in requests, so the transfer ends long before the next one starts. Every
 * operation is O(1): a bounded number of list moves and sketch updates.
 */
final class TinyLfuPolicy implements ReplacementPolicy {
    static final double INITIAL_WINDOW_SHARE = 0.01;
    static final double MIN_WINDOW_SHARE = 0.005;
    static final double MAX_WINDOW_SHARE = 0.80;
    static final double PROTECTED_SHARE_OF_MAIN = 0.80;
    /** Entries moved between regions per hook at most, while the regions are away from their budgets. */
    static final int TRANSFERS_PER_OPERATION = 2;
    /** A candidate is admitted only if its estimate exceeds the victim's by more than this (see the class comment). */
    static final int ADMISSION_MARGIN = 1;
    /** Region tags, kept in each entry's {@link Entry#state()} (two bits: a plain entry holds 0..3). */
    private static final int WINDOW = 0;
    private static final int PROBATION = 1;
    private static final int PROTECTED = 2;

    /** One LRU region with its occupancy and budget. */
    private static final class Region {
        final int tag;
        final EntryList entries = new EntryList();
        long maxCount;
        long maxWeight;
        long weight;

        Region(int tag) {
            this.tag = tag;
        }

        void add(Entry entry) {
            entries.addLast(entry);
            entry.state(tag);
            weight += entry.weight();
        }

        void remove(Entry entry) {
            entries.remove(entry);
            weight -= entry.weight();
        }

        boolean overBudget() {
            return entries.size() > maxCount || weight > maxWeight;
        }

        /** At or over budget: the next entry added would overflow it. */
        boolean full() {
            return entries.size() >= maxCount || weight >= maxWeight;
        }

        boolean hasRoomFor(Entry entry) {
            return entries.size() < maxCount && weight + entry.weight() <= maxWeight;
        }
    }

    private final SegmentLimits limits;
    private final Region window = new Region(WINDOW);
    private final Region probation = new Region(PROBATION);
    private final Region protectedRegion = new Region(PROTECTED);
    private final FrequencySketch sketch;
    private final HillClimber climber;
    /** Entries one climber step moves at most, plus one: the bound on how far a region may be from its budget. */
    private final long maxStepCount;
    /** The entry {@link #victim} last chose by comparing frequencies, and its key hash (see {@link #victimHash}). */
    private Entry hashedVictim;
    private long hashedVictimHash;
    private double windowShare;
    private long mainMaxCount;
    private long mainMaxWeight;

    TinyLfuPolicy(SegmentLimits limits) {
        this(limits, new SplittableRandom().nextLong());
    }

    /** A policy whose sketch has a chosen hash seed, for repeatable tests. */
    TinyLfuPolicy(SegmentLimits limits, long sketchSeed) {
        this.limits = limits;
        long mostEntries = Math.min(limits.maxItems(), limits.maxWeight() / CacheEngine.ENTRY_OVERHEAD_BYTES);
        sketch = new FrequencySketch(mostEntries, sketchSeed);
        climber = new HillClimber(mostEntries);
        maxStepCount = (long) Math.ceil(HillClimber.INITIAL_STEP * limits.maxItems()) + 1;
        resize(INITIAL_WINDOW_SHARE);
    }

    @Override
    public void onInsert(Entry entry, long hash) {
        sketch.increment(hash);
        window.add(entry);
        rebalance();
    }

    @Override
    public void onAccess(Entry entry, long hash) {
        touch(entry, hash);
        sample(true);
        rebalance();
    }

    @Override
    public void onUpdate(Entry entry, long oldWeight, long hash) {
        regionOf(entry).weight += entry.weight() - oldWeight;
        touch(entry, hash);
        rebalance();
    }

    @Override
    public void onSwap(Entry old, Entry fresh) {
        regionOf(old).entries.swap(old, fresh);
        fresh.state(old.state());
    }

    @Override
    public void onRemove(Entry entry) {
        regionOf(entry).remove(entry);
        rebalance();
    }

    @Override
    public void onMiss(long hash) {
        sample(false);      // not counted in the sketch: the put that may follow is (see the class comment)
        rebalance();
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
        long candidateHash = candidate.hash();
        long mainVictimHash = mainVictim.hash();
        boolean admit = sketch.frequency(candidateHash) > sketch.frequency(mainVictimHash) + ADMISSION_MARGIN;
        hashedVictim = admit ? mainVictim : candidate;
        hashedVictimHash = admit ? mainVictimHash : candidateHash;
        return hashedVictim;
    }

    @Override
    public long victimHash(Entry victim) {
        if (victim == hashedVictim) {
            hashedVictim = null;    // holds no entry longer than one eviction
            return hashedVictimHash;
        }
        return victim.hash();
    }

    @Override
    public void clear() {
        for (Region region : regions()) {
            region.entries.clear();
            region.weight = 0;
        }
        hashedVictim = null;
        climber.restartSample();
    }

    @Override
    public void checkInvariants(Collection<Entry> entries) {
        List<Entry> all = new ArrayList<>(entries.size());
        for (Region region : regions()) {
            long weight = 0;
            for (Entry entry : region.entries.checkedEntries()) {
                Invariants.check(entry.state() == region.tag, "tinylfu region tag of " + entry);
                weight += entry.weight();
                all.add(entry);
            }
            Invariants.check(weight == region.weight, "tinylfu region " + region.tag + " weight");
        }
        Invariants.sameEntries("tinylfu regions", entries, all);
        checkBudgets();
        sketch.checkInvariants();
        climber.checkInvariants();
    }

    /** The sketch's estimate for a key hash (for tests and diagnostics). */
    int frequency(long hash) {
        return sketch.frequency(hash);
    }

    /** The window's current share of the segment (for tests and diagnostics). */
    double windowShare() {
        return windowShare;
    }

    /** The window's current budget in entries (for tests and diagnostics). */
    long windowMaxCount() {
        return window.maxCount;
    }

    /** Read or rewritten: counts towards popularity and refreshes the entry's place in its region. */
    private void touch(Entry entry, long hash) {
        sketch.increment(hash);
        Region region = regionOf(entry);
        if (region == probation) {
            probation.remove(entry);
            protectedRegion.add(entry);
        } else {
            region.entries.moveToLast(entry);
        }
    }

    /** Feeds one read to the climber once the segment is half full, and applies the move it asks for. */
    private void sample(boolean hit) {
        long count = window.entries.size() + probation.entries.size() + protectedRegion.entries.size();
        long weight = window.weight + probation.weight + protectedRegion.weight;
        if (2 * count < limits.maxItems() && 2 * weight < limits.maxWeight()) {
            climber.restartSample();
            return;
        }
        double move = climber.record(hit);
        if (move != 0) {
            resize(Math.clamp(windowShare + move, MIN_WINDOW_SHARE, MAX_WINDOW_SHARE));
        }
    }

    /** Sets every region's budget from the window's share; {@link #rebalance} then moves the entries. */
    private void resize(double share) {
        windowShare = share;
        window.maxCount = Math.max(1, (long) (limits.maxItems() * share));
        window.maxWeight = Math.max(1, (long) (limits.maxWeight() * share));
        mainMaxCount = limits.maxItems() - window.maxCount;
        mainMaxWeight = limits.maxWeight() - window.maxWeight;
        protectedRegion.maxCount = (long) (mainMaxCount * PROTECTED_SHARE_OF_MAIN);
        protectedRegion.maxWeight = (long) (mainMaxWeight * PROTECTED_SHARE_OF_MAIN);
    }

    /** Moves up to {@link #TRANSFERS_PER_OPERATION} entries towards the regions' budgets (see the class comment). */
    private void rebalance() {
        for (int moves = 0; moves < TRANSFERS_PER_OPERATION && transferOne(); moves++) {
            // each call moved one entry
        }
    }

    /** Makes the first move that the budgets call for; false if none is due (or none is possible yet). */
    private boolean transferOne() {
        if (protectedRegion.overBudget()) {
            move(protectedRegion.entries.first(), protectedRegion, probation);
            return true;
        }
        Entry oldestInWindow = window.entries.first();
        if (window.overBudget() && mainHasRoomFor(oldestInWindow)) {
            move(oldestInWindow, window, probation);
            return true;
        }
        Entry oldestInMain = probation.entries.isEmpty() ? protectedRegion.entries.first() : probation.entries.first();
        if (oldestInMain != null && mainOverBudget() && window.hasRoomFor(oldestInMain)) {
            move(oldestInMain, regionOf(oldestInMain), window);
            return true;
        }
        return false;
    }

    private static void move(Entry entry, Region from, Region to) {
        from.remove(entry);
        to.add(entry);
    }

    private boolean mainHasRoomFor(Entry entry) {
        return mainCount() < mainMaxCount && mainWeight() + entry.weight() <= mainMaxWeight;
    }

    private boolean mainOverBudget() {
        return mainCount() > mainMaxCount || mainWeight() > mainMaxWeight;
    }

    private long mainCount() {
        return probation.entries.size() + protectedRegion.entries.size();
    }

    private long mainWeight() {
        return probation.weight + protectedRegion.weight;
    }

    /**
     * The budgets follow the share, which stays in its bounds; the regions are within one climber step of their
     * budgets (protected always, since demotion is never blocked; the window and main unless the other side lacks
     * the room for their oldest entry).
     */
    private void checkBudgets() {
        Invariants.check(windowShare >= MIN_WINDOW_SHARE && windowShare <= MAX_WINDOW_SHARE,
                         "tinylfu window share " + windowShare + " out of bounds");
        Invariants.check(window.maxCount == Math.max(1, (long) (limits.maxItems() * windowShare))
                         && window.maxWeight == Math.max(1, (long) (limits.maxWeight() * windowShare)),
                         "tinylfu window budget follows the share");
        Invariants.check(window.maxCount <= Math.max(1, (long) (limits.maxItems() * MAX_WINDOW_SHARE)),
                         "tinylfu window budget within its bound");
        Invariants.check(mainMaxCount == limits.maxItems() - window.maxCount
                         && mainMaxWeight == limits.maxWeight() - window.maxWeight, "tinylfu main budget");
        Invariants.check(protectedRegion.maxCount == (long) (mainMaxCount * PROTECTED_SHARE_OF_MAIN)
                         && protectedRegion.maxWeight == (long) (mainMaxWeight * PROTECTED_SHARE_OF_MAIN),
                         "tinylfu protected budget is its share of main");
        Invariants.check(protectedRegion.entries.size() <= protectedRegion.maxCount + maxStepCount,
                         "tinylfu protected region " + protectedRegion.entries.size() + " entries, budget "
                         + protectedRegion.maxCount);
        Invariants.check(window.entries.size() <= window.maxCount + maxStepCount
                         || !mainHasRoomFor(window.entries.first()),
                         "tinylfu window " + window.entries.size() + " entries, budget " + window.maxCount);
        Entry oldestInMain = probation.entries.isEmpty() ? protectedRegion.entries.first() : probation.entries.first();
        Invariants.check(mainCount() <= mainMaxCount + maxStepCount || !window.hasRoomFor(oldestInMain),
                         "tinylfu main " + mainCount() + " entries, budget " + mainMaxCount);
    }

    private Region regionOf(Entry entry) {
        return switch (entry.state()) {
            case WINDOW -> window;
            case PROBATION -> probation;
            default -> protectedRegion;
        };
    }

    private Region[] regions() {
        return new Region[] {window, probation, protectedRegion};
    }
}
