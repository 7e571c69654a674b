package io.cachegrid.client;

/**
 * Base of every failure the client reports. Carries the host ("host:port") that produced the failure, the HTTP status
 * when the server answered (0 when it did not), and the underlying cause. Earlier failed attempts of the same call are
 * attached as suppressed exceptions.
 */
public class CacheGridException extends RuntimeException {
    private final String host;
    private final int status;

    public CacheGridException(String message, String host, int status, Throwable cause) {
        super(host == null ? message : message + " [host " + host + "]", cause);
        this.host = host;
        this.status = status;
    }

    /** The host ("host:port") that failed, or {@code null} when no host was involved. */
    public String host() {
        return host;
    }

    /** The HTTP status the server answered with, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
