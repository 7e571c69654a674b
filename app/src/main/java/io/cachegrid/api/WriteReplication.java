package io.cachegrid.api;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Why: in a cluster a write applied here may have to reach other copies before the client may be told it
 * succeeded, and whether that happened changes the answer (its copy count, or a 503). Only the service knows when
 * the engine has applied a write and has not answered yet, so it calls this between the two; the cluster package
 * implements it, and a single node uses {@link #NONE} (one copy, nothing to wait for).
 */
@FunctionalInterface
public interface WriteReplication {

    /** The header of a clustered node's write answer that says how many copies confirmed it (this one included). */
    HeaderName COPIES_HEADER = HeaderNames.create("X-CacheGrid-Copies");

    /** A single node: the local copy is the only one. */
    WriteReplication NONE = (req, key) -> 1;

    /**
     * Called after the engine applied a write of {@code key} (a PUT, {@code POST /cache}, DELETE or counter) and
     * before its answer is sent.
     *
     * @return the copies that now hold the write, this node's included
     * @throws ApiException 503 when fewer copies than required confirmed it (the write may still be on some)
     */
    int afterWrite(ServerRequest req, String key);

    /**
     * Whether answers carry the copy count ({@link #COPIES_HEADER} and {@code "copies"} in the JSON); a single
     * node's answers do not, so they stay exactly as they were.
     */
    default boolean reportsCopies() {
        return this != NONE;
    }
}
