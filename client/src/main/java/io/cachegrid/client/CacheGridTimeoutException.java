package io.cachegrid.client;

/** A host accepted the call but did not connect or answer within the configured timeout. Retried on the next host. */
public class CacheGridTimeoutException extends CacheGridException {
    public CacheGridTimeoutException(String message, String host, Throwable cause) {
        super(message, host, 0, cause);
    }
}
