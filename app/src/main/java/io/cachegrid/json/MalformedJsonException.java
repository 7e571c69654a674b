package io.cachegrid.json;

/** The bytes are not one well-formed JSON value; the message says where and why, for the client to fix. */
public final class MalformedJsonException extends RuntimeException {

    MalformedJsonException(String reason, int offset) {
        super(reason + " at byte " + offset);
    }
}
