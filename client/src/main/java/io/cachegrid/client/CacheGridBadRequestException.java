package io.cachegrid.client;

/**
 * The server rejected the call with a 4xx status. Never retried: the same request would fail on every host.
 * {@link #error()} and {@link #detail()} are the fields of the server's JSON error body.
 */
public class CacheGridBadRequestException extends CacheGridException {
    private final String error;
    private final String detail;

    public CacheGridBadRequestException(String host, int status, String error, String detail) {
        super("HTTP " + status + ": " + error + (detail.isEmpty() ? "" : " - " + detail), host, status, null);
        this.error = error;
        this.detail = detail;
    }

    /** The server's short error text (the {@code error} field). */
    public String error() {
        return error;
    }

    /** What to fix, from the server (the {@code detail} field); empty when the server gave none. */
    public String detail() {
        return detail;
    }
}
