package io.cachegrid.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;

/** The 405 answer for a known path asked with a method it does not serve, naming the methods it does. */
final class MethodNotAllowed {

    private MethodNotAllowed() {
    }

    static Handler allow(String methods) {
        return (req, res) -> {
            res.header(HeaderNames.ALLOW, methods);
            throw new ApiException(Status.METHOD_NOT_ALLOWED_405, "method not allowed",
                    req.prologue().method().text() + " is not supported here; use " + methods);
        };
    }
}
