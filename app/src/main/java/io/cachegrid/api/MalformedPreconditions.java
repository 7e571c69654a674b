package io.cachegrid.api;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Why: a request whose If-Match or If-None-Match does not parse must get the same 400 on every route; Helidon's
 * static content handler (the console, /webjars) fails with a 500 on a malformed tag such as a lone {@code "}.
 * The cache routes read the same headers again, with the same parser ({@link Preconditions}).
 */
public final class MalformedPreconditions implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Preconditions.of(req.headers()); // throws the 400 (ApiException) when either header does not parse
        chain.proceed();
    }
}
