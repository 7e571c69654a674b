package io.cachegrid.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cachegrid.api.PostedItem;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Why: a single-key request must reach a node that holds the key, and every versioned decision about one key
 * (compare-and-set, set-if-absent, delete-if-version, increment) must be taken in one place, or two owners could
 * each accept a different winner. So every single-key request is served by the key's <em>primary</em>, its first
 * live owner: there it runs locally and, for a write, the service has the {@link Replicator} copy the outcome
 * (value, remaining ttl, tags) to the other owners, as many confirming as {@code CACHEGRID_WRITE_ACKS} asks, before
 * the client gets its answer. Any other node forwards it, unchanged and with the client's {@code If-Match} /
 * {@code If-None-Match}, to the primary (the next owner if that one does not answer within the forwarding timeout,
 * which is longer than the primary's own replication wait), and returns the owner's status, {@code ETag}, copy
 * count and body as they are.
 * <p>
 * Reads go to the primary too: replicas store their copies under versions of their own clock, so only the
 * primary's versions are ETags that a later {@code If-Match} (decided on the primary) can match. While the primary
 * is down, its successor serves the key with its own versions; a client's stale ETag then gets 412 and a re-read.
 * <p>
 * {@code POST /cache} carries its key in the body, so the router reads the body, checks it with the service's own
 * check ({@link PostedItem}; a body the service would refuse is answered here with its error) and sends the owner
 * the body unchanged: any key arrives exactly as sent, lone surrogates included (a path could spell only
 * well-formed UTF-8).
 */
final class KeyRoute {

    /** Request headers a forwarded single-key request keeps: the client's preconditions. */
    private static final List<HeaderName> PASSED_ON = List.of(HeaderNames.IF_MATCH, HeaderNames.IF_NONE_MATCH);

    private final ClusterNode node;

    KeyRoute(ClusterNode node) {
        this.node = node;
    }

    void single(FilterChain chain, RoutingRequest req, RoutingResponse res, ClusterView view, String key,
                boolean asOwner) {
        Method method = req.prologue().method();
        List<NodeAddress> owners = view.owners(key);
        if (asOwner || owners.getFirst().equals(view.self())) {
            if (method == Method.GET) {
                node.handoff().repairIfMissing(key, view);
            } else if (method == Method.PUT || method == Method.DELETE || method == Method.POST) {
                node.handoff().repairBeforeWrite(key, view); // conditions and counters decide on the newest copy
            } // a write is copied to the other owners by the service, before it answers (Replicator)
            chain.proceed();
            if (asOwner && method != Method.GET) {
                // a member with another view chose this node as the primary: if this node's view disagrees, its
                // copy is outside its share, and no delete sent to the owners would reach it
                node.replicaWritten(key);
            }
            return;
        }
        byte[] body = method == Method.PUT ? Bodies.read(req) : null;
        forward(req, res, owners, method, Bodies.rawPathAndQuery(req), Bodies.contentType(req), body, key);
    }

    void postItem(RoutingRequest req, RoutingResponse res, ClusterView view) {
        byte[] body = Bodies.read(req);
        // the service's own check: a body it would refuse is answered here, with its error, and sent nowhere
        String key = PostedItem.fromRequest(req, body, node.limits()).key();
        forward(req, res, view.owners(key), Method.POST, Bodies.rawPathAndQuery(req), Bodies.contentType(req), body,
                key);
    }

    private void forward(RoutingRequest req, RoutingResponse res, List<NodeAddress> candidates, Method method,
                         String rawPath, String contentType, byte[] body, String key) {
        Map<HeaderName, String> headers = new LinkedHashMap<>();
        for (HeaderName name : PASSED_ON) {
            List<String> values = req.headers().all(name, List::of);
            if (!values.isEmpty()) {
                headers.put(name, String.join(", ", values));
            }
        }
        try {
            PeerResponse answer = node.ask(candidates, method, rawPath, Internal.OWNER, contentType, body, headers);
            answer.passedBack().forEach(res::header);
            if (!answer.etag().isEmpty()) {
                res.header(HeaderNames.ETAG, answer.etag());
            }
            if (answer.status() == Status.NOT_MODIFIED_304.code()) {
                res.status(Status.NOT_MODIFIED_304).send();
                return;
            }
            // a GET's answer can be a large value: relayed within the budget, without another copy
            node.limits().responses().send(res, Status.create(answer.status()), answer.contentType(), answer.body(),
                    () -> key == null ? "the owner's answer" : "the value of \"" + key + "\"");
        } catch (PeerUnavailableException e) {
            ClusterResponses.unavailable(res, "no owner of " + (key == null ? "the request" : "key \"" + key + "\"")
                    + " could be reached (tried " + candidates + "); retry shortly");
        }
    }
}
