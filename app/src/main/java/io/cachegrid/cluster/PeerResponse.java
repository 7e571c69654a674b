package io.cachegrid.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.cachegrid.api.WriteReplication;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;

/**
 * Why: what a peer answered, held whole, so a forwarded answer can be returned to the client byte for byte and a
 * fan-out can merge several.
 *
 * @param status      HTTP status code
 * @param contentType the Content-Type header, or empty
 * @param body        the body bytes
 * @param etag        the ETag header (the key's version on a single-key answer), or empty
 * @param passedBack  the answer's headers a relayed answer keeps besides these ({@link #PASSED_BACK}), name to value
 */
record PeerResponse(int status, String contentType, byte[] body, String etag, Map<HeaderName, String> passedBack) {

    /** Headers of a member's answer that a relayed answer keeps: its copy count and when to retry a 503. */
    static final List<HeaderName> PASSED_BACK = List.of(WriteReplication.COPIES_HEADER, HeaderNames.RETRY_AFTER);

    PeerResponse {
        passedBack = Map.copyOf(passedBack);
    }

    PeerResponse(int status, String contentType, byte[] body, String etag) {
        this(status, contentType, body, etag, Map.of());
    }

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
