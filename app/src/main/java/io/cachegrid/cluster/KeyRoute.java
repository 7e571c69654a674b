package io.cachegrid.cluster;

import java.util.List;
import java.util.Map;

import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.MalformedJsonException;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Why: a single-key request must reach a node that holds the key. On an owner it runs locally and, for a write,
 * the {@link Replicator} copies the outcome to the other owners before the client gets its answer. On any other
 * node it is forwarded, unchanged, to the first live owner (the next one if that cannot be reached), and the
 * owner's status and body are returned as they are.
 * <p>
 * {@code POST /cache} carries its key in the body, so the router reads the body and sends the owner the equivalent
 * {@code PUT /cache/{key}?ttl=}; both answer the same shape. A body it cannot take apart goes to the local service
 * unchanged, which answers with the precise error.
 */
final class KeyRoute {

    private final ClusterNode node;
    private final Replicator replicator;

    KeyRoute(ClusterNode node) {
        this.node = node;
        this.replicator = new Replicator(node);
    }

    void single(FilterChain chain, RoutingRequest req, RoutingResponse res, ClusterView view, String key,
                boolean asOwner) {
        Method method = req.prologue().method();
        List<NodeAddress> owners = view.owners(key);
        if (asOwner || owners.contains(view.self())) {
            if (method == Method.GET) {
                node.handoff().repairIfMissing(key, view);
            } else if (method == Method.PUT || method == Method.DELETE) {
                res.beforeSend(() -> replicator.afterLocalWrite(method, key, res.status().code()));
            }
            chain.proceed();
            return;
        }
        byte[] body = method == Method.PUT ? Bodies.read(req) : null;
        forward(res, owners, method, Bodies.rawPathAndQuery(req), Bodies.contentType(req), body, key);
    }

    void postItem(RoutingRequest req, RoutingResponse res, ClusterView view) {
        byte[] body = Bodies.read(req);
        String contentType = Bodies.contentType(req);
        Map<String, JsonSlice> fields = putForm(body);
        if (fields == null) {
            forward(res, List.of(view.self()), Method.POST, Bodies.rawPathAndQuery(req), contentType, body, null);
            return;
        }
        String key = fields.get("key").asString();
        JsonSlice ttl = fields.get("ttl");
        String path = "/cache/" + KeyPaths.encode(key)
                + (ttl == null || ttl.kind() == JsonSlice.Kind.NULL ? "" : "?ttl=" + KeyPaths.encode(ttl.toString()));
        forward(res, view.ownersSelfFirst(key), Method.PUT, path, contentType, fields.get("value").bytes(), key);
    }

    /** The fields of a {@code POST /cache} body when it has the form we can turn into a PUT, else null. */
    private static Map<String, JsonSlice> putForm(byte[] body) {
        try {
            JsonSlice parsed = JsonSlice.parse(body);
            if (parsed.kind() != JsonSlice.Kind.OBJECT) {
                return null;
            }
            Map<String, JsonSlice> fields = parsed.members();
            JsonSlice key = fields.get("key");
            JsonSlice ttl = fields.get("ttl");
            boolean usable = key != null && key.kind() == JsonSlice.Kind.STRING && !key.asString().isEmpty()
                    && fields.containsKey("value")
                    && (ttl == null || ttl.kind() == JsonSlice.Kind.NULL || ttl.kind() == JsonSlice.Kind.NUMBER);
            return usable ? fields : null;
        } catch (MalformedJsonException e) {
            return null;
        }
    }

    private void forward(RoutingResponse res, List<NodeAddress> candidates, Method method, String rawPath,
                         String contentType, byte[] body, String key) {
        try {
            PeerResponse answer = node.ask(candidates, method, rawPath, Internal.OWNER, contentType, body);
            // a GET's answer can be a large value: relayed within the budget, without another copy
            node.limits().responses().send(res, Status.create(answer.status()), answer.contentType(), answer.body(),
                    () -> key == null ? "the owner's answer" : "the value of \"" + key + "\"");
        } catch (PeerUnavailableException e) {
            ClusterResponses.unavailable(res, "no owner of " + (key == null ? "the request" : "key \"" + key + "\"")
                    + " could be reached (tried " + candidates + "); retry shortly");
        }
    }
}
