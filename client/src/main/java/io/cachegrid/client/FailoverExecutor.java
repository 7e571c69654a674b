package io.cachegrid.client;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Runs one call with failover: an attempt that finds its host unavailable or timed out marks that host down and the
 * next attempt goes to the host the {@link HostPool} prefers now, at most {@code maxRetries} more times. A 4xx answer
 * ends the call at once. The plain calls of the REST contract are idempotent (set, delete, clear and batch set write
 * the same state when repeated), so repeating one whose answer was lost is safe. A non-idempotent call (increment,
 * set-if-absent, compare-and-set: a repeat would add twice, or report a lost win as a refusal) is repeated only when
 * its connection was refused, i.e. it certainly reached no server; any other failure is thrown to the caller, who
 * alone can tell whether to read back and try again.
 */
final class FailoverExecutor {
    /** Pause before retrying when every host is down: doubles per attempt from this value ... */
    private static final Duration FIRST_PAUSE = Duration.ofMillis(25);
    /** ... up to this cap. */
    private static final Duration MAX_PAUSE = Duration.ofSeconds(1);

    private final HostPool pool;
    private final HttpTransport transport;
    private final int maxRetries;
    private final Placement placement;

    FailoverExecutor(HostPool pool, HttpTransport transport, int maxRetries) {
        this(pool, transport, maxRetries, new Placement(false));
    }

    FailoverExecutor(HostPool pool, HttpTransport transport, int maxRetries, Placement placement) {
        this.pool = pool;
        this.transport = transport;
        this.maxRetries = maxRetries;
        this.placement = placement;
    }

    ApiAnswer execute(ApiRequest request) {
        CacheGridException failure = null;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            // a keyed call goes to the key's first owner that is up (no forwarding hop); a failed one is marked
            // down, so the next attempt takes the next owner, then any host
            Host host = request.routingKey() == null ? pool.choose()
                    : pool.choose(placement.owners(request.routingKey()));
            if (attempt > 0 && pool.isDown(host)) {
                pause(attempt, failure);
            }
            try {
                ApiAnswer answer = transport.send(host, request);
                pool.markUp(host);
                answer.viewId().ifPresent(placement::observed);
                return answer;
            } catch (CacheGridUnavailableException | CacheGridTimeoutException e) {
                pool.markDown(host);
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
                if (!request.idempotent() && !neverSent(e)) {
                    throw e;
                }
            }
        }
        throw failure;
    }

    /** True when the connection was refused or the host unknown: the request reached no server. */
    static boolean neverSent(Throwable failure) {
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    private static void pause(int attempt, CacheGridException failure) {
        long millis = Math.min(FIRST_PAUSE.toMillis() << Math.min(attempt - 1, 16), MAX_PAUSE.toMillis());
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheGridException("interrupted while waiting to retry", failure.host(), 0, failure);
        }
    }
}
