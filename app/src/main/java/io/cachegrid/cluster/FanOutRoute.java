package io.cachegrid.cluster;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.JsonWriter;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Why: clearing the cache and listing keys concern every key, so they go to every live member (concurrently,
 * marked {@link Internal#REPLICA}) and the answers are merged into the single-node shape:
 * <ul>
 *   <li>{@code DELETE /cache?confirm=true}: {@code items_removed} summed over members (copies included);</li>
 *   <li>{@code GET /admin/keys}: keys merged without duplicates (each key lives on R members), cut to
 *   {@code limit}; {@code total_found} is the number of distinct keys when every member listed all its matches,
 *   else the sum of the members' counts (an upper bound that counts copies).</li>
 * </ul>
 * A member that answers with an error has its answer returned as is (they all check the query the same way); a
 * member that cannot be reached is reported down and left out.
 */
final class FanOutRoute {

    private final ClusterNode node;

    FanOutRoute(ClusterNode node) {
        this.node = node;
    }

    void clear(RoutingRequest req, RoutingResponse res, ClusterView view) {
        Map<NodeAddress, PeerResponse> answers = askAll(view, Method.DELETE, Bodies.rawPathAndQuery(req));
        long removed = 0;
        for (PeerResponse answer : answers.values()) {
            if (!answer.ok()) {
                ClusterResponses.relay(res, answer);
                return;
            }
            removed += JsonSlice.parse(answer.body()).members().get("items_removed").asNumber().longValue();
        }
        ClusterResponses.json(res, Status.OK_200, new JsonWriter().beginObject().name("success").value(true)
                .name("items_removed").value(removed).name("timestamp").value(ClusterResponses.timestamp())
                .endObject());
    }

    void keys(RoutingRequest req, RoutingResponse res, ClusterView view) {
        Map<NodeAddress, PeerResponse> answers = askAll(view, Method.GET, Bodies.rawPathAndQuery(req));
        Set<String> keys = new LinkedHashSet<>();
        long sum = 0;
        boolean complete = true;
        byte[] pattern = null;
        for (PeerResponse answer : answers.values()) {
            if (!answer.ok()) {
                ClusterResponses.relay(res, answer);
                return;
            }
            Map<String, JsonSlice> page = JsonSlice.parse(answer.body()).members();
            List<JsonSlice> listed = page.get("keys").elements();
            long found = page.get("total_found").asNumber().longValue();
            listed.forEach(key -> keys.add(key.asString()));
            sum += found;
            complete &= listed.size() == found;
            pattern = page.get("pattern").bytes();
        }
        int limit = limit(req);
        JsonWriter out = new JsonWriter(256 + 32 * Math.min(keys.size(), limit)).beginObject().name("keys")
                .beginArray();
        int returned = 0;
        for (String key : keys) {
            if (returned == limit) {
                break;
            }
            out.value(key);
            returned++;
        }
        out.endArray().name("total_found").value(complete ? keys.size() : sum).name("returned").value(returned)
                .name("pattern");
        ClusterResponses.json(res, Status.OK_200, (pattern == null ? out.value("") : out.rawValue(pattern))
                .name("timestamp").value(ClusterResponses.timestamp()).endObject());
    }

    /** The limit every member accepted (they refuse a bad one before this runs). */
    private static int limit(RoutingRequest req) {
        return req.query().first("limit").map(text -> Integer.parseInt(text.trim())).orElse(100);
    }

    private Map<NodeAddress, PeerResponse> askAll(ClusterView view, Method method, String rawPath) {
        return node.askEach(view.live(),
                member -> node.client().send(member, method, rawPath, Internal.REPLICA, null, null));
    }
}
