package io.cachegrid.security;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * CORS for the origins in {@code CACHEGRID_CORS_ORIGINS} (off when empty: no filter is installed). It runs before
 * {@link AuthFilter}, because a browser's preflight {@code OPTIONS} carries no token, and so that a 401 or 429 sent
 * to a listed origin still carries {@code Access-Control-Allow-Origin} and the page can read it.
 * <p>
 * A request from a listed origin gets that origin echoed (never {@code *}); a request from any other origin gets no
 * CORS header at all, so the browser keeps the answer from the page. Written here rather than with
 * helidon-webserver-cors because its ordering against our own filter and its config-first setup would need more
 * code than these few lines.
 */
final class CorsFilter implements Filter {

    static final String ALLOWED_METHODS = "GET, HEAD, PUT, POST, DELETE, OPTIONS";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, If-Match, If-None-Match";
    static final String EXPOSED_HEADERS = "ETag, Retry-After, WWW-Authenticate, Allow";
    /** Seconds a browser may cache a preflight answer. */
    static final int PREFLIGHT_MAX_AGE_SECONDS = 600;

    private final Set<String> origins;

    CorsFilter(List<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty()) {
            chain.proceed();
            return;
        }
        res.header(HeaderNames.VARY, "Origin"); // the answer depends on the origin: shared caches must keep them apart
        if (!origins.contains(origin.get())) {
            chain.proceed();
            return;
        }
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.get());
        if (req.prologue().method() == Method.OPTIONS
                && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS);
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
            res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, String.valueOf(PREFLIGHT_MAX_AGE_SECONDS));
            res.status(Status.NO_CONTENT_204);
            res.send();
            return;
        }
        res.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        chain.proceed();
    }
}
