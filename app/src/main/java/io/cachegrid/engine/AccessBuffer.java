package io.cachegrid.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One segment's record of reads that its policy has not seen yet: a few bounded, lossy, multi-producer /
 * single-consumer rings of {@code (entry, hash)} pairs, after the striped read buffers of Caffeine (our own code).
 *
 * <p><b>Stripes.</b> A reader uses the ring of its thread ({@link Thread#threadId()} modulo {@link #STRIPES}), so
 * two threads reading the same segment at once usually write to different cache lines: a single ring per segment
 * made every read a shared write (the CAS on its tail), which stops reads from scaling with cores. A thread
 * always uses the same ring, so one thread's reads are replayed in its order; reads of different threads recorded
 * since the last drain are replayed ring by ring, so their relative order is not kept (see {@link Segment}).
 *
 * <p><b>A ring.</b> Readers ({@link #offer}) hold no lock: each claims a slot by a CAS on the ring's tail, writes
 * the hash plainly and then publishes the entry with a release store. A full ring refuses the offer; the segment
 * then drains if it can at once and otherwise drops the access. CAS failures are retried, not dropped: each one
 * means another reader claimed a slot, so the loop ends after at most {@link #CAPACITY} turns, in success or
 * "full".
 *
 * <p>The consumer ({@link #drain}) runs under the segment's policy lock, so there is one at a time. It takes each
 * ring's slots in order from its head, reading each entry with an acquire load, and stops early at a slot that was
 * claimed but is not published yet (its reader is between the CAS and the store; the next drain takes it). It
 * clears each slot before it moves the head on with a release store, so a reader that sees the new head (acquire)
 * sees the slot empty, and the drain read the old hash before the slot could be claimed again.
 *
 * <p>A read that found nothing is recorded as {@link #MISS} with the key's hash (for policies that count misses).
 * Entries recorded here may have left the segment by the time they are drained: the consumer must check.
 */
final class AccessBuffer {
    /** Slots per ring: a full ring is drained (or its next access dropped), so 16 reads wait at most. */
    static final int CAPACITY = 16;
    private static final int MASK = CAPACITY - 1;
    /**
     * Rings per segment: twice the processors, rounded up to a power of two, at most 16 (4 on a 2-core machine).
     * At most {@code STRIPES * CAPACITY} accesses wait per segment, and as many references to entries that may
     * have left it meanwhile (until the next drain).
     */
    static final int STRIPES =
            Math.min(16, Integer.highestOneBit(Math.max(1, 2 * Runtime.getRuntime().availableProcessors() - 1)) << 1);

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

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(Indices.class, "tail", long.class);
            HEAD = lookup.findVarHandle(Indices.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Cache-line padding before a ring's indices (superclass fields are laid out first). */
    @SuppressWarnings("unused")
    private abstract static class PadBefore {
        long p0, p1, p2, p3, p4, p5, p6, p7;
    }

    private abstract static class Indices extends PadBefore {
        /** The next slot to drain; written only by the consumer. */
        volatile long head;
        /** The next slot to claim. */
        volatile long tail;
    }

    /** One ring; the padding keeps its indices off the cache lines of its neighbours. */
    @SuppressWarnings("unused")
    private static final class Ring extends Indices {
        long q0, q1, q2, q3, q4, q5, q6, q7;
        final Entry[] entries = new Entry[CAPACITY];
        final long[] hashes = new long[CAPACITY];

        /** Claims and fills a slot; false if the ring is full. The caller then raises the buffer's flag. */
        boolean offer(Entry entry, long hash) {
            for (;;) {
                long t = tail;
                if (t - head >= CAPACITY) {
                    return false;
                }
                if (TAIL.weakCompareAndSet(this, t, t + 1)) {   // volatile: the flag is read after it
                    int slot = (int) t & MASK;
                    hashes[slot] = hash;
                    SLOTS.setRelease(entries, slot, entry);
                    return true;
                }
            }
        }

        /** Replays the published slots; false if it stopped at one claimed but not yet published. */
        boolean drain(Replay replay) {
            long h = head;
            long t = tail;
            while (h != t) {
                int slot = (int) h & MASK;
                Entry entry = (Entry) SLOTS.getAcquire(entries, slot);
                if (entry == null) {
                    break;                             // claimed, not yet published
                }
                long hash = hashes[slot];
                entries[slot] = null;
                h++;
                replay.accept(entry, hash);
            }
            HEAD.setRelease(this, h);
            return h == t;
        }
    }

    private final Ring[] rings = new Ring[STRIPES];
    /**
     * Whether any ring may hold an access: a writer drains first on every change, and reading this one field
     * instead of every ring's head and tail (a cache line each) when nothing is pending took 9% of a put's time.
     * A reader raises it after its slot's CAS unless it is already up (so readers rarely write it); the consumer
     * lowers it before it looks at the rings and raises it again if it leaves a claimed slot behind. An offer
     * whose CAS precedes the consumer's read of that ring's tail is seen by that drain (taken or left behind and
     * re-flagged); one whose CAS follows it reads the flag after the lowering (the CAS is a full fence) and
     * raises it. So a drain that finds the flag down skips no access it could have taken.
     */
    private volatile boolean pending;

    AccessBuffer() {
        for (int i = 0; i < rings.length; i++) {
            rings[i] = new Ring();
        }
    }

    /** Records an access in the current thread's ring; false if that ring is full (nothing recorded). */
    boolean offer(Entry entry, long hash) {
        if (!rings[(int) Thread.currentThread().threadId() & (STRIPES - 1)].offer(entry, hash)) {
            return false;
        }
        if (!pending) {
            pending = true;
        }
        return true;
    }

    /**
     * Replays and removes the published accesses, ring by ring, each ring in order. The caller is the one
     * consumer: it holds the segment's policy lock.
     */
    void drain(Replay replay) {
        if (!pending) {
            return;
        }
        pending = false;
        boolean leftBehind = false;
        for (Ring ring : rings) {
            if (ring.tail != ring.head && !ring.drain(replay)) {
                leftBehind = true;
            }
        }
        if (leftBehind) {
            pending = true;
        }
    }

    /** Accesses recorded and not yet drained (claimed slots included). */
    int pending() {
        int pending = 0;
        for (Ring ring : rings) {
            pending += (int) (ring.tail - ring.head);
        }
        return pending;
    }

    /** Called under the policy lock (readers may still be offering). */
    void checkInvariants() {
        for (Ring ring : rings) {
            long h = ring.head;
            long t = ring.tail;
            Invariants.check(h <= t && t - h <= CAPACITY, "access buffer ring head " + h + ", tail " + t);
        }
    }
}
