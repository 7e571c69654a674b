package io.cachegrid.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cachegrid.api.Tags;
import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.MalformedJsonException;
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
 * live owner: there it runs locally and, for a write, the {@link Replicator} copies the outcome (value, remaining
 * ttl, tags) to the other owners before the client gets its answer. Any other node forwards it, unchanged and with
 * the client's {@code If-Match} / {@code If-None-Match}, to the primary (the next owner if that cannot be reached),
 * and returns the owner's status, {@code ETag} and body as they are.
 * <p>
 * Reads go to the primary too: replicas store their copies under versions of their own clock, so only the
 * primary's versions are ETags that a later {@code If-Match} (decided on the primary) can match. While the primary
 * is down, its successor serves the key with its own versions; a client's stale ETag then gets 412 and a re-read.
 * <p>
 * {@code POST /cache} carries its key in the body, so the router reads the body and sends the owner the equivalent
 * {@code PUT /cache/{key}?ttl=&tags=}; both answer the same shape. A body it cannot take apart goes to the local
 * service unchanged, which answers with the precise error.
 */
final class KeyRoute {

    /** Request headers a forwarded single-key request keeps: the client's preconditions. */
    private static final List<HeaderName> PASSED_ON = List.of(HeaderNames.IF_MATCH, HeaderNames.IF_NONE_MATCH);

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
        if (asOwner || owners.getFirst().equals(view.self())) {
            if (method == Method.GET) {
                node.handoff().repairIfMissing(key, view);
            } else if (method == Method.PUT || method == Method.DELETE || method == Method.POST) {
                node.handoff().repairBeforeWrite(key, view); // conditions and counters decide on the newest copy
                // POST here is a counter (incr/decr): its outcome is copied like a PUT
                res.beforeSend(() -> replicator.afterLocalWrite(method, key, res.status().code()));
            }
            chain.proceed();
            return;
        }
        byte[] body = method == Method.PUT ? Bodies.read(req) : null;
        forward(req, res, owners, method, Bodies.rawPathAndQuery(req), Bodies.contentType(req), body, key);
    }

    void postItem(RoutingRequest req, RoutingResponse res, ClusterView view) {
        byte[] body = Bodies.read(req);
        String contentType = Bodies.contentType(req);
        Map<String, JsonSlice> fields = putForm(body);
        if (fields == null) {
            forward(req, res, List.of(view.self()), Method.POST, Bodies.rawPathAndQuery(req), contentType, body,
                    null);
            return;
        }
        String key = fields.get("key").asString();
        JsonSlice ttl = fields.get("ttl");
        StringBuilder path = new StringBuilder("/cache/").append(KeyPaths.encode(key));
        char separator = '?';
        if (ttl != null && ttl.kind() != JsonSlice.Kind.NULL) {
            path.append(separator).append("ttl=").append(KeyPaths.encode(ttl.toString()));
            separator = '&';
        }
        JsonSlice tags = fields.get("tags");
        if (tags != null && tags.kind() == JsonSlice.Kind.ARRAY && !tags.elements().isEmpty()) {
            path.append(separator).append("tags=").append(Replicator.tagsQuery(tags.elements().stream()
                    .map(JsonSlice::asString).toList()));
        }
        forward(req, res, view.owners(key), Method.PUT, path.toString(), contentType, fields.get("value").bytes(),
                key);
    }

    /**
     * The fields of a {@code POST /cache} body when it has the form we can turn into a PUT, else null. Its tags, if
     * any, must be a list of plain strings without commas (the PUT's {@code ?tags=} separator); the owner checks
     * their limits.
     */
    private static Map<String, JsonSlice> putForm(byte[] body) {
        try {
            JsonSlice parsed = JsonSlice.parse(body);
            if (parsed.kind() != JsonSlice.Kind.OBJECT) {
                return null;
            }
            Map<String, JsonSlice> fields = parsed.members();
            JsonSlice key = fields.get("key");
            JsonSlice ttl = fields.get("ttl");
            JsonSlice tags = fields.get("tags");
            boolean usable = key != null && key.kind() == JsonSlice.Kind.STRING && !key.asString().isEmpty()
                    && fields.containsKey("value")
                    && (ttl == null || ttl.kind() == JsonSlice.Kind.NULL || ttl.kind() == JsonSlice.Kind.NUMBER)
                    && (tags == null || tags.kind() == JsonSlice.Kind.NULL || Tags.plainList(tags));
            return usable ? fields : null;
        } catch (MalformedJsonException e) {
            return null;
        }
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
