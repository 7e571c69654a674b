package io.cachegrid.persist;

import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Why: a write may be acknowledged only once its log record is durable, whichever route applied it (PUT, POST,
 * DELETE, counters, batch set, tag invalidation, clear, a member's replica copy or push). Rather than each
 * service remembering to wait, this filter, installed only when the log is on, hooks every PUT, POST and DELETE:
 * just before the answer is sent ({@code beforeSend}, after the handler applied its changes) it waits until
 * everything appended so far is durable ({@link Persistence#awaitDurable}), which includes this request's records.
 * Concurrent requests wait for the same group commit. If the log failed, the wait throws
 * {@link PersistenceException} and the client gets 503 instead of a success.
 */
public final class DurabilityFilter implements Filter {

    /** The one POST that only reads. */
    private static final String BATCH_GET = "/batch/get";

    private final Persistence persistence;

    public DurabilityFilter(Persistence persistence) {
        this.persistence = persistence;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Method method = req.prologue().method();
        if (method == Method.PUT || method == Method.DELETE
                || method == Method.POST && !req.path().path().endsWith(BATCH_GET)) {
            AtomicBoolean once = new AtomicBoolean();
            // once: the error answer that a failed wait leads to is sent through the same hooks
            res.beforeSend(() -> {
                if (once.compareAndSet(false, true)) {
                    persistence.awaitDurable();
                }
            });
        }
        chain.proceed();
    }
}
