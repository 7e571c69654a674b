package io.cachegrid.api;

import java.io.UncheckedIOException;

import io.cachegrid.persist.PersistenceException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Every refusal leaves as JSON {@code {"error", "detail"}}: the ones our handlers raise ({@link ApiException}),
 * the ones the server raises before routing (bad request line, headers too large, body over the payload limit)
 * through {@link DirectHandlers}, and anything unexpected as a 500 whose detail names no internals (the cause goes
 * to the log only).
 */
public final class ErrorResponses {

    private static final System.Logger LOG = System.getLogger(ErrorResponses.class.getName());
    private static final String MALFORMED_REQUEST = "the request line or headers are malformed or too large: check "
            + "the method, the %-escapes in the path and query, the header syntax and the header size";
    private static final String URI_TOO_LONG = "the request line (method, path and query) is longer than the server "
            + "accepts; a key may have at most CACHEGRID_MAX_KEY_LENGTH characters";

    private static final String HTTP_VERSION = "this server speaks HTTP/1.1 only; send the request as HTTP/1.1 "
            + "(curl: --http1.1; most clients do by default)";

    private static final String TOO_LARGE_DETAIL = "the request body is larger than the server accepts "
            + "(CACHEGRID_MAX_VALUE_BYTES for a value, CACHEGRID_MAX_REQUEST_BYTES for any body)";

    private ErrorResponses() {
    }

    /** Error handlers for the routing, plus the 404 for paths no service owns (registered last). */
    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, ErrorResponses::apiError)
                .error(HttpException.class, ErrorResponses::httpError)
                .error(UncheckedIOException.class, ErrorResponses::ioError)
                .error(PersistenceException.class, ErrorResponses::persistenceError)
                .error(Exception.class, ErrorResponses::unexpected);
    }

    /** Errors the server raises itself; the commonest is a 404 for a path no service owns. */
    private static void httpError(ServerRequest req, ServerResponse res, HttpException e) {
        Status status = e.status();
        String detail;
        if (status == Status.NOT_FOUND_404) {
            detail = "no route for " + req.prologue().method().text() + " " + req.path().absolute().path()
                    + "; see /docs";
        } else if (status == Status.REQUEST_ENTITY_TOO_LARGE_413) {
            detail = TOO_LARGE_DETAIL;
        } else {
            detail = e.getMessage();
        }
        write(res, status, status.reasonPhrase().toLowerCase(), detail);
    }

    /** JSON bodies for errors the server answers before any route runs. */
    public static DirectHandlers directHandlers() {
        DirectHandler json = (request, event, status, headers, message) -> {
            if (event == DirectHandler.EventType.INTERNAL_ERROR && request == DirectHandler.TransportRequest.empty()) {
                // Helidon reports a request line it cannot parse (e.g. "G@T / HTTP/1.1", a control byte in the
                // method) as an internal error before any request exists; it is the client's bytes that are wrong
                status = Status.BAD_REQUEST_400;
                message = MALFORMED_REQUEST;
            }
            String detail = switch (event) {
                case PAYLOAD_TOO_LARGE -> TOO_LARGE_DETAIL;
                case HTTP_VERSION_NOT_SUPPORTED -> HTTP_VERSION;
                default -> message == null || message.isBlank() || message.equals(status.reasonPhrase())
                        ? genericDetail(status)
                        : message;
            };
            return DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(headers)
                    .header(HeaderValues.CONTENT_TYPE_JSON)
                    .keepAlive(event.keepAlive())
                    .entity(Json.errorBody(status.reasonPhrase().toLowerCase(), detail))
                    .build();
        };
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType event : DirectHandler.EventType.values()) {
            builder.addHandler(event, json);
        }
        return builder.build();
    }

    /** What to fix, for the refusals Helidon raises with no message beyond the status's reason phrase. */
    private static String genericDetail(Status status) {
        return switch (status.code()) {
            case Status.BAD_REQUEST_400_CODE -> MALFORMED_REQUEST;
            case Status.REQUEST_URI_TOO_LONG_414_CODE -> URI_TOO_LONG;
            default -> status.reasonPhrase();
        };
    }

    private static void apiError(ServerRequest req, ServerResponse res, ApiException e) {
        if (e.retryAfterSeconds() > 0 && !res.isSent()) {
            res.header(HeaderNames.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        if (e.closesConnection() && !res.isSent()) {
            res.header(HeaderValues.CONNECTION_CLOSE); // the server then neither drains the body nor keeps reading
        }
        write(res, e.status(), e.error(), e.detail());
    }

    private static void ioError(ServerRequest req, ServerResponse res, UncheckedIOException e) {
        // the client went away or sent a broken body; there may be nobody left to answer
        LOG.log(System.Logger.Level.DEBUG, "I/O error reading request", e);
        write(res, Status.BAD_REQUEST_400, "bad request", "the request body could not be read");
    }

    /** The write was applied in memory but its log record cannot be made durable: not acknowledged. */
    private static void persistenceError(ServerRequest req, ServerResponse res, PersistenceException e) {
        write(res, Status.SERVICE_UNAVAILABLE_503, "persistence unavailable", e.getMessage()
                + "; the change may be in memory but is not durable (see the node's log)");
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Exception e) {
        LOG.log(System.Logger.Level.ERROR, "Unexpected error on " + req.path().path(), e);
        write(res, Status.INTERNAL_SERVER_ERROR_500, "internal error", "the server failed; the cause is in its log");
    }

    private static void write(ServerResponse res, Status status, String error, String detail) {
        if (res.isSent()) {
            return;
        }
        // the failed answer may have set its own headers before the error (a write whose log record fails does so
        // as its answer is sent): an error must not go out with that answer's length or version
        res.headers().remove(HeaderNames.CONTENT_LENGTH);
        res.headers().remove(HeaderNames.ETAG);
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.errorBody(error, detail));
    }
}
