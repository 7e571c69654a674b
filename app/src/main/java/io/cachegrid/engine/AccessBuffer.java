package io.cachegrid.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One segment's record of reads that its policy has not seen yet: a bounded, lossy, multi-producer /
 * single-consumer ring of {@code (entry, hash)} pairs, after the read buffers of Caffeine (our own code).
 *
 * <p>Readers ({@link #offer}) hold no lock: each claims a slot by a CAS on {@link #tail}, writes the hash plainly
 * and then publishes the entry with a release store. A full ring refuses the offer; the segment then drains
 * it if it can at once and otherwise drops the access (see {@link Segment}). CAS failures are retried, not
 * dropped: each one means another reader claimed a slot, so the loop ends after at most {@link #CAPACITY} turns,
 * in success or "full".
 *
 * <p>The consumer ({@link #drain}) runs under the segment's write lock, or under its read lock with the drain flag
 * ({@link #tryStartDrain}), so there is one at a time. It takes
 * slots in order from {@link #head}, reading each entry with an acquire load, and stops early at a slot that was
 * claimed but is not published yet (its reader is between the CAS and the store; the next drain takes it). It
 * clears each slot before it moves {@link #head} on with a release store, so a reader that sees the new head
 * (acquire) sees the slot empty, and the drain read the old hash before the slot could be claimed again.
 *
 * <p>A read that found nothing is recorded as {@link #MISS} with the key's hash (for policies that count misses).
 * Entries recorded here may have left the segment by the time they are drained: the consumer must check.
 */
final class AccessBuffer {
    /** Slots per segment: a drain every 32 reads at most, and at most 32 stale references held. */
    static final int CAPACITY = 32;
    private static final int MASK = CAPACITY - 1;

    /** Stands for a read that found no live entry; only its hash matters. */
    static final Entry MISS = new Entry(new byte[0], 0, 0);

    /** What the consumer does with each recorded access, in recording order. */
    @FunctionalInterface
    interface Replay {
        void accept(Entry entry, long hash);
    }

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Entry[].class);
    private static final VarHandle TAIL;
    private static final VarHandle HEAD;
    private static final VarHandle DRAINING;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(AccessBuffer.class, "tail", long.class);
            HEAD = lookup.findVarHandle(AccessBuffer.class, "head", long.class);
            DRAINING = lookup.findVarHandle(AccessBuffer.class, "draining", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Entry[] entries = new Entry[CAPACITY];
    private final long[] hashes = new long[CAPACITY];
    /** The next slot to drain; written only by the consumer. */
    private volatile long head;
    /** The next slot to claim. */
    private volatile long tail;
    /** 1 while a reader drains under the read lock ({@link #tryStartDrain}). */
    private volatile int draining;

    /** Records an access; false if the ring is full (nothing recorded). */
    boolean offer(Entry entry, long hash) {
        for (;;) {
            long t = tail;
            if (t - head >= CAPACITY) {
                return false;
            }
            if (TAIL.weakCompareAndSet(this, t, t + 1)) {
                int slot = (int) t & MASK;
                hashes[slot] = hash;
                SLOTS.setRelease(entries, slot, entry);
                return true;
            }
        }
    }

    /**
     * For a drain under the segment's read lock, which does not exclude other such drains: claims the one
     * consumer's place; false if another drain holds it. {@link #endDrain} gives it back.
     */
    boolean tryStartDrain() {
        return DRAINING.compareAndSet(this, 0, 1);
    }

    void endDrain() {
        draining = 0;
    }

    /**
     * Replays and removes the published accesses in order. The caller is the one consumer: it holds the
     * segment's write lock, or its read lock and {@link #tryStartDrain the drain flag}.
     */
    void drain(Replay replay) {
        long h = head;
        long t = tail;
        while (h != t) {
            int slot = (int) h & MASK;
            Entry entry = (Entry) SLOTS.getAcquire(entries, slot);
            if (entry == null) {
                break;                                 // claimed, not yet published
            }
            long hash = hashes[slot];
            entries[slot] = null;
            h++;
            replay.accept(entry, hash);
        }
        HEAD.setRelease(this, h);
    }

    /** Accesses recorded and not yet drained (claimed slots included). */
    int pending() {
        return (int) (tail - head);
    }

    /** Called under the write lock (readers may still be offering). */
    void checkInvariants() {
        long h = head;
        long t = tail;
        Invariants.check(h <= t && t - h <= CAPACITY, "access buffer head " + h + ", tail " + t);
    }
}
