package io.cachegrid.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.cachegrid.api.ApiException;
import io.cachegrid.api.Tags;
import io.cachegrid.engine.CacheEngine;
import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.JsonWriter;
import io.cachegrid.json.MalformedJsonException;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Why: a batch holds keys of many owners. It is split by owner, the parts go out concurrently (one virtual thread
 * per member) as ordinary batch requests marked {@link Internal#REPLICA}, and the answers are merged into the shape
 * a single node gives, counts summed.
 * <ul>
 *   <li>get: each key is asked of one owner (this node when it is one); keys whose member cannot be reached are
 *   asked again of their next owner.</li>
 *   <li>set: each item goes to all of its live owners; {@code items_set} counts the items at least one owner
 *   stored.</li>
 * </ul>
 * A batch is checked whole first (shape, count, key lengths, value sizes, ttl, tags), so that a batch the services would
 * refuse is refused before any part is stored: such a batch goes to the local service unchanged, which answers
 * with the precise error and stores nothing.
 */
final class BatchRoute {

    /** The services' longest ttl: ten years in seconds. */
    private static final double MAX_TTL_SECONDS = 10 * 365 * 24 * 3600.0;

    private final ClusterNode node;

    BatchRoute(ClusterNode node) {
        this.node = node;
    }

    void get(RoutingRequest req, RoutingResponse res, ClusterView view) {
        byte[] body = Bodies.read(req);
        List<String> keys = checkedKeys(body);
        if (keys == null) {
            local(req, res, view, body);
            return;
        }
        Map<String, List<NodeAddress>> candidates = new HashMap<>();
        for (String key : keys) {
            candidates.computeIfAbsent(key, view::ownersSelfFirst);
        }
        Map<String, Integer> attempt = new HashMap<>();
        Map<String, JsonSlice> results = new HashMap<>(); // slices of the parts' answers: merged without copies
        List<String> pending = keys;
        while (!pending.isEmpty()) {
            Map<NodeAddress, List<String>> parts = new LinkedHashMap<>();
            for (String key : pending) {
                List<NodeAddress> owners = candidates.get(key);
                int i = attempt.getOrDefault(key, 0);
                if (i >= owners.size()) {
                    ClusterResponses.unavailable(res, "no owner of key \"" + key + "\" could be reached (tried "
                            + owners + "); retry shortly");
                    return;
                }
                parts.computeIfAbsent(owners.get(i), o -> new ArrayList<>()).add(key);
            }
            Map<NodeAddress, PeerResponse> answers = sendParts(parts, part -> keysBody(part), "/cache/batch/get");
            List<String> retry = new ArrayList<>();
            for (Map.Entry<NodeAddress, List<String>> entry : parts.entrySet()) {
                PeerResponse answer = answers.get(entry.getKey());
                List<String> part = entry.getValue();
                if (answer == null) {
                    new LinkedHashSet<>(part).forEach(key -> attempt.merge(key, 1, Integer::sum));
                    retry.addAll(part);
                } else if (!answer.ok()) {
                    ClusterResponses.relay(res, answer);
                    return;
                } else {
                    JsonSlice.parse(answer.body()).members().get("results").members()
                            .forEach(results::put);
                }
            }
            pending = retry;
        }
        JsonWriter out = new JsonWriter(256 + 64 * results.size()).beginObject()
                .name("success").value(true).name("results").beginObject();
        long found = 0;
        for (String key : new LinkedHashSet<>(keys)) {
            JsonSlice result = results.get(key);
            out.name(key).rawValueShared(result);
            found += result.members().get("exists").kind() == JsonSlice.Kind.TRUE ? 1 : 0;
        }
        out.endObject().name("requested_keys").value(keys.size()).name("found_keys").value(found)
                .name("timestamp").value(ClusterResponses.timestamp()).endObject();
        // within the node's budget of response bytes in flight, like a single node's answer (413 if over it)
        long foundCount = found;
        node.limits().responses().send(res, Status.OK_200, out, () -> "the answer to this batch ("
                + results.size() + " keys, " + foundCount + " found)");
    }

    void set(RoutingRequest req, RoutingResponse res, ClusterView view) {
        byte[] body = Bodies.read(req);
        Map<String, JsonSlice> fields = checkedItems(body);
        if (fields == null) {
            local(req, res, view, body);
            return;
        }
        Map<String, JsonSlice> items = fields.get("items").members();
        Map<String, List<String>> tagged;
        try {
            tagged = new Tags(node.limits()).forBatch(fields, items.keySet());
        } catch (ApiException e) {
            local(req, res, view, body); // the service refuses the tags, and stores nothing
            return;
        }
        JsonSlice ttl = fields.get("ttl");
        Map<NodeAddress, List<String>> parts = new LinkedHashMap<>();
        for (String key : items.keySet()) {
            for (NodeAddress owner : view.owners(key)) {
                parts.computeIfAbsent(owner, o -> new ArrayList<>()).add(key);
            }
        }
        Map<NodeAddress, PeerResponse> answers = sendParts(parts, part -> itemsBody(part, items, ttl, tagged),
                "/cache/batch/set");
        Set<String> stored = new HashSet<>();
        byte[] ttlEcho = null;
        for (Map.Entry<NodeAddress, PeerResponse> entry : answers.entrySet()) { // members that answered
            PeerResponse answer = entry.getValue();
            if (!answer.ok()) {
                ClusterResponses.relay(res, answer);
                return;
            }
            stored.addAll(parts.get(entry.getKey()));
            ttlEcho = JsonSlice.parse(answer.body()).members().get("ttl").bytes();
        }
        if (ttlEcho == null) {
            ClusterResponses.unavailable(res, "no owner of any item could be reached (tried " + parts.keySet()
                    + "); retry shortly");
            return;
        }
        ClusterResponses.json(res, Status.OK_200, new JsonWriter().beginObject().name("success").value(true)
                .name("items_requested").value(items.size()).name("items_set").value(stored.size())
                .name("ttl").rawValue(ttlEcho).name("timestamp").value(ClusterResponses.timestamp()).endObject());
    }

    /** Each member's part as an internal batch request, all at once; unreachable members have no answer. */
    private Map<NodeAddress, PeerResponse> sendParts(Map<NodeAddress, List<String>> parts,
                                                     Function<List<String>, byte[]> body, String path) {
        return node.askEach(parts.keySet(), member -> node.client().send(member, Method.POST, path, Internal.REPLICA,
                null, body.apply(parts.get(member))));
    }

    /** A batch the router does not split: the local service answers it (with its error). */
    private void local(RoutingRequest req, RoutingResponse res, ClusterView view, byte[] body) {
        try {
            ClusterResponses.relay(res, node.client().send(view.self(), Method.POST, Bodies.rawPathAndQuery(req),
                    Internal.REPLICA, Bodies.contentType(req), body));
        } catch (PeerUnavailableException e) {
            ClusterResponses.unavailable(res, "this node could not reach itself at " + view.self());
        }
    }

    /** The keys of a {@code {"keys": [...]}} body the service would accept, or null. */
    private List<String> checkedKeys(byte[] body) {
        Map<String, JsonSlice> fields = object(body);
        JsonSlice keys = fields == null ? null : fields.get("keys");
        if (keys == null || keys.kind() != JsonSlice.Kind.ARRAY) {
            return null;
        }
        List<JsonSlice> elements = keys.elements();
        if (!countOk(elements.size())) {
            return null;
        }
        List<String> result = new ArrayList<>(elements.size());
        for (JsonSlice element : elements) {
            if (element.kind() != JsonSlice.Kind.STRING || !keyOk(element.asString())) {
                return null;
            }
            result.add(element.asString());
        }
        return result;
    }

    /** The fields of a {@code {"items": {...}, "ttl"}} body the service would accept, or null. */
    private Map<String, JsonSlice> checkedItems(byte[] body) {
        Map<String, JsonSlice> fields = object(body);
        JsonSlice items = fields == null ? null : fields.get("items");
        if (items == null || items.kind() != JsonSlice.Kind.OBJECT || !countOk(items.members().size())
                || !ttlOk(fields.get("ttl"))) {
            return null;
        }
        CacheEngine engine = node.engine();
        for (Map.Entry<String, JsonSlice> item : items.members().entrySet()) {
            byte[] value = item.getValue().bytes();
            if (!keyOk(item.getKey()) || value.length > node.limits().maxValueBytes()
                    || CacheEngine.weigh(item.getKey(), value) > engine.maxEntryWeight()) {
                return null;
            }
        }
        return fields;
    }

    private static Map<String, JsonSlice> object(byte[] body) {
        try {
            JsonSlice parsed = JsonSlice.parse(body);
            return parsed.kind() == JsonSlice.Kind.OBJECT ? parsed.members() : null;
        } catch (MalformedJsonException e) {
            return null;
        }
    }

    private boolean countOk(int count) {
        return count >= 1 && count <= node.limits().maxBatchSize();
    }

    private boolean keyOk(String key) {
        return !key.isEmpty() && key.codePointCount(0, key.length()) <= node.limits().maxKeyLength();
    }

    private static boolean ttlOk(JsonSlice ttl) {
        if (ttl == null || ttl.kind() == JsonSlice.Kind.NULL) {
            return true;
        }
        if (ttl.kind() != JsonSlice.Kind.NUMBER) {
            return false;
        }
        try {
            double seconds = ttl.asNumber().doubleValue();
            return seconds > 0 && seconds <= MAX_TTL_SECONDS;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static byte[] keysBody(List<String> keys) {
        JsonWriter out = new JsonWriter(32 + 32 * keys.size()).beginObject().name("keys").beginArray();
        keys.forEach(out::value);
        return out.endArray().endObject().toByteArray();
    }

    /** One member's part: its items, the ttl, and each item's resolved tags as {@code item_tags}. */
    private static byte[] itemsBody(List<String> keys, Map<String, JsonSlice> items, JsonSlice ttl,
                                    Map<String, List<String>> tagged) {
        JsonWriter out = new JsonWriter(256).beginObject().name("items").beginObject();
        keys.forEach(key -> out.name(key).rawValue(items.get(key).bytes()));
        out.endObject();
        if (ttl != null) {
            out.name("ttl").rawValue(ttl.bytes());
        }
        if (keys.stream().anyMatch(key -> !tagged.get(key).isEmpty())) {
            out.name("item_tags").beginObject();
            for (String key : keys) {
                List<String> tags = tagged.get(key);
                if (!tags.isEmpty()) {
                    out.name(key).beginArray();
                    tags.forEach(out::value);
                    out.endArray();
                }
            }
            out.endObject();
        }
        return out.endObject().toByteArray();
    }
}
