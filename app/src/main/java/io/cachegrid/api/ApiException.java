package io.cachegrid.api;

import io.helidon.http.Status;

/**
 * A request we refuse, with the status and the JSON error body {@code {"error": ..., "detail": ...}} the client
 * gets. Thrown from handlers and turned into a response by {@link ErrorResponses}; never carries a stack trace out.
 */
public final class ApiException extends RuntimeException {

    private final transient Status status;
    private final String error;
    private final int retryAfterSeconds;
    private final boolean closesConnection;

    public ApiException(Status status, String error, String detail) {
        this(status, error, detail, 0, false);
    }

    /** A refusal the client may retry: the answer carries {@code Retry-After: retryAfterSeconds}. */
    public ApiException(Status status, String error, String detail, int retryAfterSeconds) {
        this(status, error, detail, retryAfterSeconds, false);
    }

    private ApiException(Status status, String error, String detail, int retryAfterSeconds, boolean closesConnection) {
        super(detail, null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
        this.closesConnection = closesConnection;
    }

    /**
     * A body whose framing is broken (a bad chunk-size line, a body cut short): the rest of the connection cannot be
     * read as requests, so the answer closes it ({@code Connection: close}) instead of draining what follows.
     */
    public static ApiException brokenBody(String error, String detail) {
        return new ApiException(Status.BAD_REQUEST_400, error, detail, 0, true);
    }

    public static ApiException badRequest(String error, String detail) {
        return new ApiException(Status.BAD_REQUEST_400, error, detail);
    }

    public static ApiException tooLarge(String detail) {
        return new ApiException(Status.REQUEST_ENTITY_TOO_LARGE_413, "payload too large", detail);
    }

    public Status status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String detail() {
        return getMessage();
    }

    /** Seconds for the {@code Retry-After} header; 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** True when the connection must be closed after the answer (see {@link #brokenBody}). */
    public boolean closesConnection() {
        return closesConnection;
    }
}
