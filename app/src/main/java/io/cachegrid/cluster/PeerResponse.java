package io.cachegrid.cluster;

import java.nio.charset.StandardCharsets;

/**
 * Why: what a peer answered, held whole, so a forwarded answer can be returned to the client byte for byte and a
 * fan-out can merge several.
 *
 * @param status      HTTP status code
 * @param contentType the Content-Type header, or empty
 * @param body        the body bytes
 * @param etag        the ETag header (the key's version on a single-key answer), or empty
 */
record PeerResponse(int status, String contentType, byte[] body, String etag) {

    PeerResponse(int status, String contentType, byte[] body) {
        this(status, contentType, body, "");
    }

    boolean ok() {
        return status == 200;
    }

    @Override
    public String toString() {
        return status + " " + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    }
}
