package io.cachegrid.persist;

/** Why: a write whose record cannot be made durable must not be acknowledged; the API answers it with 503. */
public final class PersistenceException extends RuntimeException {
    public PersistenceException(String message) {
        super(message);
    }
}
