package io.cachegrid.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Why: with {@code CACHEGRID_WRITE_ACKS=one} the client is answered once the primary holds a write, and the copies
 * for the other owners travel in the background. Background work must be bounded twice: in memory (a stalled
 * replica under a steady write load must not pile up request bodies without limit) and in concurrency (a thread
 * and a connection per copy made a burst of writes open hundreds of connections to each peer, more than its
 * connection pool keeps, so they were closed and reopened, and clustered PUTs with {@code one} measured slower than
 * with {@code quorum}). So copies wait in one bounded queue ({@link #MAX_QUEUED}) and a fixed number of senders
 * ({@link #SENDERS}, virtual threads, each waiting at most the replication timeout per copy) send them; a copy that
 * finds the queue full is dropped and counted (the owner gets the key later from anti-entropy, and any newer write
 * carries the newer value anyway). Copies carry their version, so their order does not matter.
 */
final class BackgroundSender implements AutoCloseable {

    /** Copies sent at once: enough to keep a few pooled connections per peer busy, few enough to reuse them. */
    static final int SENDERS = 16;
    /**
     * Copies waiting. 4096 copies of small values is a few MiB; with a stalled replica (each send waiting the 2 s
     * replication timeout) the queue fills within seconds and later copies are dropped until membership removes it.
     */
    static final int MAX_QUEUED = 4096;

    private static final System.Logger LOG = System.getLogger(BackgroundSender.class.getName());

    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final List<Thread> senders = new ArrayList<>(SENDERS);

    BackgroundSender() {
        for (int i = 0; i < SENDERS; i++) {
            senders.add(Thread.ofVirtual().name("cachegrid-replica-copy-" + i).start(this::send));
        }
    }

    /** Queues {@code copy} for a sender; returns false (and counts it) when the queue is full. */
    boolean submit(Runnable copy) {
        if (queue.offer(copy)) {
            return true;
        }
        long total = dropped.incrementAndGet();
        if (Long.bitCount(total) == 1) { // 1, 2, 4, 8, ...: visible, but never a log line per write
            LOG.log(System.Logger.Level.WARNING, "{0} background replica copies dropped so far: {1} already waiting"
                    + " (a replica is slow or stalled)", total, MAX_QUEUED);
        }
        return false;
    }

    private void send() {
        while (!Thread.currentThread().isInterrupted()) {
            Runnable copy;
            try {
                copy = queue.take();
            } catch (InterruptedException e) {
                return; // closed
            }
            running.incrementAndGet();
            try {
                copy.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "background replica copy failed: {0}", e.toString());
            } finally {
                running.decrementAndGet();
            }
        }
    }

    /** Copies dropped because {@link #MAX_QUEUED} were already waiting. */
    long dropped() {
        return dropped.get();
    }

    /** Copies waiting or being sent now. */
    int inFlight() {
        return queue.size() + running.get();
    }

    /** Stops the senders; copies still waiting are dropped (anti-entropy repairs what they would have). */
    @Override
    public void close() {
        senders.forEach(Thread::interrupt);
        queue.clear();
    }
}
