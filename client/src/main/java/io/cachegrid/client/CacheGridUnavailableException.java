package io.cachegrid.client;

/**
 * A host could not be used: it refused the connection, the connection broke, or it answered 5xx. Retried on the next
 * host; thrown once every attempt has failed.
 */
public class CacheGridUnavailableException extends CacheGridException {
    public CacheGridUnavailableException(String message, String host, int status, Throwable cause) {
        super(message, host, status, cause);
    }
}
