package io.cachegrid.cluster;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Why: with {@code CACHEGRID_WRITE_ACKS=one} the client is answered once the primary holds a write, and the copies
 * for the other owners travel in the background. Background work must be bounded, or a stalled replica under a
 * steady write load would pile up threads and request bodies without limit: at most {@link #MAX_IN_FLIGHT} copies
 * are on their way at once (each on its own virtual thread, waiting at most the replication timeout); a copy that
 * finds them all taken is dropped and counted (the owner gets the key later from rebalancing or anti-entropy, and
 * any newer write carries the newer value anyway). Copies carry their version, so their order does not matter.
 */
final class BackgroundSender {

    /**
     * Copies in flight at once. 1024 copies of small values is a few MiB; at a 2 s replication timeout it lets a
     * stalled replica absorb about 500 writes/s before copies are dropped, far above what one stalled owner's
     * share of writes reaches before membership removes it.
     */
    static final int MAX_IN_FLIGHT = 1024;

    private static final System.Logger LOG = System.getLogger(BackgroundSender.class.getName());

    private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong dropped = new AtomicLong();

    /** Runs {@code copy} on a virtual thread if a slot is free; returns false (and counts it) when none is. */
    boolean submit(Runnable copy) {
        if (!slots.tryAcquire()) {
            long total = dropped.incrementAndGet();
            if (Long.bitCount(total) == 1) { // 1, 2, 4, 8, ...: visible, but never a log line per write
                LOG.log(System.Logger.Level.WARNING, "{0} background replica copies dropped so far: {1} already in"
                        + " flight (a replica is slow or stalled)", total, MAX_IN_FLIGHT);
            }
            return false;
        }
        try {
            Thread.ofVirtual().name("cachegrid-replica-copy").start(() -> {
                try {
                    copy.run();
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException | Error e) {
            slots.release();
            throw e;
        }
        return true;
    }

    /** Copies dropped because {@link #MAX_IN_FLIGHT} were already on their way. */
    long dropped() {
        return dropped.get();
    }

    /** Copies on their way now. */
    int inFlight() {
        return MAX_IN_FLIGHT - slots.availablePermits();
    }
}
