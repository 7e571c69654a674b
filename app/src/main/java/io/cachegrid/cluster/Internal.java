package io.cachegrid.cluster;

import io.cachegrid.api.CacheService;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;

/**
 * Why: a request one node sends another must never be routed again, or two nodes whose views of the ring differ
 * for a moment could bounce it between them. The header says what the receiver is to do with it.
 */
final class Internal {

    static final HeaderName HEADER = HeaderNames.create(CacheService.INTERNAL_HEADER);

    /** Apply here only: replica writes, parts of a fan-out, rebalancing pushes. Any unknown value means this. */
    static final String REPLICA = "replica";

    /** The sender chose this node as owner: apply here and replicate to the other owners, never forward. */
    static final String OWNER = "owner";

    private Internal() {
    }
}
