package io.cachegrid.cluster;

import java.util.Optional;

import io.cachegrid.api.PercentEncoding;
import io.cachegrid.api.RequestBodies;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Why: to route a body-carrying request the router reads the body whole (the server already refused anything over
 * the request limit), then sends it on unchanged with its Content-Type.
 */
final class Bodies {

    private Bodies() {
    }

    static byte[] read(ServerRequest req) {
        return RequestBodies.readAtMost(req, Integer.MAX_VALUE);
    }

    /** The request's Content-Type as sent, or null. */
    static String contentType(ServerRequest req) {
        Optional<String> type = req.headers().first(HeaderNames.CONTENT_TYPE);
        return type.orElse(null);
    }

    /** Path and query exactly as the client sent them, still percent-encoded. */
    static String rawPathAndQuery(ServerRequest req) {
        String query = req.query().rawValue();
        return PercentEncoding.originPath(req.path().absolute().rawPath()) + (query == null || query.isEmpty() ? "" : "?" + query);
    }
}
