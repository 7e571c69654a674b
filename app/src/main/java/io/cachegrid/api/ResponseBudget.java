package io.cachegrid.api;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.cachegrid.json.JsonWriter;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerResponse;

/**
 * The bound on response bytes in flight ({@code CACHEGRID_MAX_RESPONSE_BYTES}), so that no mix of reads can exhaust
 * the heap (issue 9).
 * <p>
 * <b>Why a budget, when values are written without copies.</b> A large answer is written straight from the cache's
 * arrays ({@link io.cachegrid.json.JsonWriter#rawValueShared}), so while a value stays cached, writing it costs
 * nothing extra. But a write lasts as long as the client takes to read: a client that pipelines GETs and never reads
 * keeps each answer's arrays referenced, and once those values are replaced or evicted the heap holds them twice,
 * cache and response. Counting every large answer's bytes against one budget caps that: at most the budget's worth
 * of answers are being written at once, however many connections ask.
 * <p>
 * <b>Rules.</b> An answer of at most {@link #SMALL_RESPONSE_BYTES} does not reserve: it is built and sent whole, its
 * heap bounded by the open connections (one answer each) times 64 KiB, and the hot path of small GETs stays free of
 * any shared counter. A larger answer reserves its exact size before its first byte is sent and releases it once
 * its last byte is handed to the socket. If the budget is busy it waits up to {@link #MAX_WAIT_MILLIS} for others to
 * finish, then gets 503 with {@code Retry-After}. An answer larger than the whole budget can never be sent: 413,
 * naming the limit (only a batch can be that large: the settings refuse a budget below one largest value).
 * <p>
 * <b>Cost.</b> One compare-and-set to reserve and one add to release, per large answer; the lock is taken only by
 * answers that have to wait and by releases while someone waits.
 */
public final class ResponseBudget {

    /** Answers up to this size are sent whole and not counted (see the class comment). */
    public static final int SMALL_RESPONSE_BYTES = 64 * 1024;

    /**
     * Longest a large answer waits for room. Long enough to ride out a burst of big reads by healthy clients
     * (8 MB at loopback speed takes milliseconds), short enough that a request stuck behind slow readers is
     * answered 503 instead of hanging its client.
     */
    static final long MAX_WAIT_MILLIS = 2000;

    /** What the 503 asks the client to wait, in seconds. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final long limit;
    private final AtomicLong inFlight = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private volatile int waiters;

    public ResponseBudget(long limitBytes) {
        if (limitBytes < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limitBytes);
        }
        this.limit = limitBytes;
    }

    public long limit() {
        return limit;
    }

    /** Bytes of large answers being written now. */
    public long inFlight() {
        return inFlight.get();
    }

    /**
     * Reserves {@code bytes} for one answer, waiting up to {@link #MAX_WAIT_MILLIS}; close the lease when the answer
     * is written.
     *
     * @param bytes the answer's exact size
     * @param what  what the answer is, for the refusal's detail ("the answer to this batch")
     * @throws ApiException 413 when the answer is larger than the whole budget, 503 when no room came in time
     */
    public Lease reserve(long bytes, String what) {
        if (bytes > limit) {
            throw ApiException.tooLarge(what + " would be " + bytes + " bytes; the server writes at most " + limit
                    + " bytes of answers at once (CACHEGRID_MAX_RESPONSE_BYTES): ask for fewer keys at a time");
        }
        if (!tryReserve(bytes) && !awaitReserve(bytes)) {
            throw new ApiException(Status.SERVICE_UNAVAILABLE_503, "busy", "the server is already writing "
                    + inFlight.get() + " bytes of answers, its limit is " + limit + " (CACHEGRID_MAX_RESPONSE_BYTES) "
                    + "and " + what + " needs " + bytes + "; retry shortly", RETRY_AFTER_SECONDS);
        }
        return new Lease(bytes);
    }

    /**
     * Sends a JSON answer that may embed stored values by reference ({@link JsonWriter#rawValueShared}). A small
     * one leaves whole; a large one reserves its size here (413 or 503 if it cannot) and is streamed: Content-Length
     * set first, which makes Helidon write each part as it comes instead of buffering the whole body, then the
     * envelope from the writer's buffer and every value straight from the array it is kept in.
     *
     * @param what what the answer is, for a refusal's detail ("the value of \"k\""); asked only for large answers
     */
    public void send(ServerResponse res, Status status, JsonWriter body, Supplier<String> what) {
        long length = body.length();
        if (length <= SMALL_RESPONSE_BYTES) {
            res.status(status);
            res.header(PrevalidatedHeader.CONTENT_TYPE_JSON);
            sendWhole(res, body);
            return;
        }
        stream(res, status, HeaderValues.CONTENT_TYPE_JSON.get(), length, body::writeTo, what);
    }

    /** Sends a small document from the writer's buffer when it holds all of it (no copy), else as one new array. */
    static void sendWhole(ServerResponse res, JsonWriter body) {
        byte[] whole = body.bufferIfWhole();
        if (whole != null) {
            // set here, Content-Length costs no String (PrevalidatedHeader); Helidon would make one
            res.header(PrevalidatedHeader.contentLength(body.length()));
            res.send(whole, 0, (int) body.length());
        } else {
            res.send(body.toByteArray());
        }
    }

    /** Sends a body received whole (a peer's answer, relayed): a large one within the budget, without a copy. */
    public void send(ServerResponse res, Status status, String contentType, byte[] body, Supplier<String> what) {
        if (body.length <= SMALL_RESPONSE_BYTES) {
            res.status(status);
            if (!contentType.isEmpty()) {
                res.header(HeaderNames.CONTENT_TYPE, contentType);
            }
            res.send(body);
            return;
        }
        stream(res, status, contentType, body.length, out -> out.write(body), what);
    }

    private void stream(ServerResponse res, Status status, String contentType, long length, BodyWriter body,
                        Supplier<String> what) {
        try (Lease ignored = reserve(length, what.get())) {
            res.status(status);
            if (!contentType.isEmpty()) {
                res.header(HeaderNames.CONTENT_TYPE, contentType);
            }
            res.contentLength(length);
            // written through synchronously (the listener's write queue is off by default): when close returns,
            // every byte went to the socket, so the arrays may be released with the reservation
            try (OutputStream out = res.outputStream()) {
                body.writeTo(out);
            }
            if (res instanceof RoutingResponse routing) {
                // closing the stream only marks it; a filter (the cluster router) that answers must also commit,
                // else Helidon finds the response unsent after the filter and breaks the connection
                routing.commit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private boolean tryReserve(long bytes) {
        long current = inFlight.get();
        while (current + bytes <= limit) {
            long witness = inFlight.compareAndExchange(current, current + bytes);
            if (witness == current) {
                return true;
            }
            current = witness;
        }
        return false;
    }

    /**
     * Waits for room. No wake-up is lost: a waiter registers (volatile write) before it checks the counter, and a
     * release changes the counter before it reads the waiter count, so one of the two sees the other; the check and
     * the wait happen under the lock the release signals under.
     */
    private boolean awaitReserve(long bytes) {
        long remaining = TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);
        lock.lock();
        try {
            waiters++;
            while (!tryReserve(bytes)) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = released.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiters--;
            lock.unlock();
        }
    }

    private void release(long bytes) {
        inFlight.addAndGet(-bytes);
        if (waiters > 0) {
            lock.lock();
            try {
                released.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Room for one answer, held until it is written. */
    public final class Lease implements AutoCloseable {

        private final long bytes;
        private boolean closed;

        private Lease(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(bytes);
            }
        }
    }
}
