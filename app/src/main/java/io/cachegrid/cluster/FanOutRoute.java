package io.cachegrid.cluster;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.cachegrid.api.AdminService;
import io.cachegrid.api.CacheService;
import io.cachegrid.api.PercentEncoding;
import io.cachegrid.api.TagService;
import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.JsonWriter;
import io.helidon.http.HeaderName;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Why: clearing the cache and listing keys concern every key, so they go to every live member (concurrently,
 * marked {@link Internal#REPLICA}) and the answers are merged into the single-node shape:
 * <ul>
 *   <li>{@code DELETE /cache?confirm=true}: one clear epoch for all members; {@code items_removed} summed over
 *   members (copies included);</li>
 *   <li>{@code GET /admin/keys}: each member lists up to {@link #MEMBER_PAGE} of its matches, the lists are merged
 *   without duplicates (each key lives on R members) and cut to {@code limit}; {@code total_found} counts distinct
 *   keys, not copies: exactly when every member listed all its matches, else the members' summed counts divided by
 *   the copies each key has (exact once every key has its copies);</li>
 *   <li>{@code DELETE /tags/{tag}}: every member removes its entries carrying the tag; {@code items_removed} is
 *   summed over members, so, as for clear, it counts copies (with R copies of each key, R per key);</li>
 *   <li>{@code GET /tags/{tag}?offset&limit}: each member lists all its keys carrying the tag (in pages of
 *   {@link #MEMBER_PAGE}), the lists are merged without duplicates and sorted, and the page is cut from the
 *   merged list; {@code total} is the number of distinct keys. The work is proportional to the tag's size on
 *   each member, not to the page asked for.</li>
 * </ul>
 * A member that answers with an error has its answer returned as is (they all check the query the same way); a
 * member that cannot be reached is reported down and left out. This node's own part is answered in-process with
 * the services' code (the engine call, then the service's answer for it), not sent to itself over HTTP, and merged
 * exactly like a member's answer.
 */
final class FanOutRoute {

    /** Keys per request when a member lists its keys of a tag: the services' largest page. */
    static final int MEMBER_PAGE = 1000;

    private final ClusterNode node;

    FanOutRoute(ClusterNode node) {
        this.node = node;
    }

    /**
     * Like an invalidation, a clear is one version (its epoch), taken here from this member's clock and sent to
     * every member: each removes its entries older than it and from then on refuses any copy at or below it (a late
     * replica write, a push, a repair, anti-entropy), so a clear is not undone by an old copy; a member that missed
     * it takes the epoch from the others in its next anti-entropy pass.
     */
    void clear(RoutingRequest req, RoutingResponse res, ClusterView view) {
        long at = node.engine().versionClock().next();
        Map<HeaderName, String> epoch = Map.of(Replicator.REPLICA_VERSION, Long.toUnsignedString(at));
        String rawPath = Bodies.rawPathAndQuery(req);
        List<Map<String, JsonSlice>> answers = allOk(node.askEach(view.live(), member -> member.equals(view.self())
                ? ClusterNode.local(CacheService.cleared(node.engine().clear(at)))
                : node.client().send(member, Method.DELETE, rawPath, Internal.REPLICA, null, null,
                        PeerClient.REQUEST_TIMEOUT, epoch)), res);
        if (answers == null) {
            return;
        }
        long removed = sum(answers, "items_removed");
        ClusterResponses.json(res, Status.OK_200, new JsonWriter().beginObject().name("success").value(true)
                .name("items_removed").value(removed).name("timestamp").value(ClusterResponses.timestamp())
                .endObject());
    }

    void keys(FilterChain chain, RoutingRequest req, RoutingResponse res, ClusterView view) {
        OptionalInt limit = whole(req, "limit", 1, MEMBER_PAGE, 100);
        if (limit.isEmpty()) {
            chain.proceed(); // the local service names the bad parameter
            return;
        }
        // every member lists as many as it may, so the union is exact whenever each member's matches fit a page
        String memberPath = "/admin/keys?local=true&limit=" + MEMBER_PAGE + req.query().first("pattern")
                .map(pattern -> "&pattern=" + KeyPaths.encode(pattern)).orElse("");
        String pattern = req.query().first("pattern").orElse("");
        List<Map<String, JsonSlice>> answers = allOk(node.askEach(view.live(), member -> member.equals(view.self())
                ? ClusterNode.local(AdminService.keyPage(node.engine(), pattern, MEMBER_PAGE))
                : node.client().send(member, Method.GET, memberPath, Internal.REPLICA, null, null)), res);
        if (answers == null) {
            return;
        }
        Set<String> keys = new LinkedHashSet<>();
        long sum = 0;
        boolean complete = true;
        for (Map<String, JsonSlice> page : answers) {
            List<JsonSlice> listed = page.get("keys").elements();
            long found = page.get("total_found").asNumber().longValue();
            listed.forEach(key -> keys.add(key.asString()));
            sum += found;
            complete &= listed.size() == found;
        }
        JsonWriter out = new JsonWriter(256 + 32 * Math.min(keys.size(), limit.getAsInt())).beginObject()
                .name("keys").beginArray();
        int returned = 0;
        for (String key : keys) {
            if (returned == limit.getAsInt()) {
                break;
            }
            out.value(key);
            returned++;
        }
        out.endArray().name("total_found").value(complete ? keys.size() : distinctEstimate(sum, keys.size(), view))
                .name("returned").value(returned).name("pattern").value(req.query().first("pattern").orElse(""));
        ClusterResponses.json(res, Status.OK_200, out.name("timestamp").value(ClusterResponses.timestamp())
                .endObject());
    }

    /**
     * Distinct keys when some member had more matches than one page: every key is held by min(R, live members)
     * copies once rebalancing is done, so the members' summed counts divided by that is exact then, and never less
     * than the distinct keys already seen.
     */
    private static long distinctEstimate(long sum, int seen, ClusterView view) {
        int copies = Math.max(1, Math.min(view.replicationFactor(), view.live().size()));
        return Math.max(seen, (sum + copies - 1) / copies);
    }

    /**
     * One version for the whole invalidation, taken here from this member's clock when it starts and sent to every
     * member: each removes the entries carrying the tag that are older and leaves tombstones at it, so every
     * member decides alike for the same copy, and a copy older than the invalidation that arrives later (a late
     * replica, a push, a member back from a partition within the tombstone grace period) is refused.
     */
    void invalidateTag(RoutingRequest req, RoutingResponse res, ClusterView view) {
        String rawPath = PercentEncoding.originPath(req.path().absolute().rawPath());
        String tag = TagService.tag(rawPath, node.limits()); // the service's check (its 400), once, here
        long at = node.engine().versionClock().next();
        Map<HeaderName, String> version = Map.of(Replicator.REPLICA_VERSION, Long.toUnsignedString(at));
        List<Map<String, JsonSlice>> answers = allOk(node.askEach(view.live(), member -> member.equals(view.self())
                ? ClusterNode.local(TagService.invalidated(tag, node.engine().invalidateTag(tag, at)))
                : node.client().send(member, Method.DELETE, rawPath, Internal.REPLICA, null, null,
                        PeerClient.REQUEST_TIMEOUT, version)), res);
        if (answers == null) {
            return;
        }
        if (answers.isEmpty()) {
            ClusterResponses.unavailable(res, "no member could be reached; retry shortly");
            return;
        }
        ClusterResponses.json(res, Status.OK_200, new JsonWriter().beginObject().name("success").value(true)
                .name("tag").rawValue(answers.getFirst().get("tag").bytes())
                .name("items_removed").value(sum(answers, "items_removed"))
                .name("timestamp").value(ClusterResponses.timestamp()).endObject());
    }

    void tagKeys(FilterChain chain, RoutingRequest req, RoutingResponse res, ClusterView view) {
        OptionalInt offset = whole(req, "offset", 0, Integer.MAX_VALUE, 0);
        OptionalInt limit = whole(req, "limit", 1, MEMBER_PAGE, 100);
        if (offset.isEmpty() || limit.isEmpty()) {
            chain.proceed(); // the local service names the bad parameter
            return;
        }
        String rawPath = PercentEncoding.originPath(req.path().absolute().rawPath());
        String tag = TagService.tag(rawPath, node.limits()); // the service's check (its 400), once, here
        Map<NodeAddress, List<String>> lists = new ConcurrentHashMap<>();
        Map<NodeAddress, PeerResponse> last = node.askEach(view.live(), member -> {
            List<String> keys = new ArrayList<>();
            lists.put(member, keys);
            int from = 0;
            while (true) { // every page of this member's keys
                PeerResponse answer = member.equals(view.self())
                        ? ClusterNode.local(TagService.keyPage(node.engine(), tag, from, MEMBER_PAGE))
                        : node.client().send(member, Method.GET, rawPath + "?offset=" + from + "&limit="
                                + MEMBER_PAGE, Internal.REPLICA, null, null);
                if (!answer.ok()) {
                    return answer;
                }
                Map<String, JsonSlice> page = JsonSlice.parse(answer.body()).members();
                List<JsonSlice> listed = page.get("keys").elements();
                listed.forEach(key -> keys.add(key.asString()));
                from += listed.size();
                if (listed.size() < MEMBER_PAGE || from >= page.get("total").asNumber().longValue()) {
                    return answer;
                }
            }
        });
        if (allOk(last, res) == null) {
            return;
        }
        if (last.isEmpty()) {
            ClusterResponses.unavailable(res, "no member could be reached; retry shortly");
            return;
        }
        Set<String> merged = new TreeSet<>();
        last.keySet().forEach(member -> merged.addAll(lists.get(member)));
        JsonWriter out = new JsonWriter(256 + 32 * Math.min(merged.size(), limit.getAsInt())).beginObject()
                .name("tag").value(tag).name("keys").beginArray();
        int returned = 0;
        int skipped = 0;
        for (String key : merged) {
            if (skipped++ < offset.getAsInt()) {
                continue;
            }
            if (returned == limit.getAsInt()) {
                break;
            }
            out.value(key);
            returned++;
        }
        ClusterResponses.json(res, Status.OK_200, out.endArray().name("total").value(merged.size())
                .name("offset").value(offset.getAsInt()).name("returned").value(returned)
                .name("timestamp").value(ClusterResponses.timestamp()).endObject());
    }

    /**
     * The members' answers as JSON objects, in member order; or null once the first refusal has been relayed as the
     * answer (members check a request the same way, so one refusal speaks for all).
     */
    private static List<Map<String, JsonSlice>> allOk(Map<NodeAddress, PeerResponse> answers, RoutingResponse res) {
        List<Map<String, JsonSlice>> parsed = new ArrayList<>(answers.size());
        for (PeerResponse answer : answers.values()) {
            if (!answer.ok()) {
                ClusterResponses.relay(res, answer);
                return null;
            }
            parsed.add(JsonSlice.parse(answer.body()).members());
        }
        return parsed;
    }

    private static long sum(List<Map<String, JsonSlice>> answers, String field) {
        long sum = 0;
        for (Map<String, JsonSlice> answer : answers) {
            sum += answer.get(field).asNumber().longValue();
        }
        return sum;
    }

    /** A whole-number query parameter within bounds (as the services read it), its default, or empty if bad. */
    private static OptionalInt whole(RoutingRequest req, String name, int min, int max, int defaultValue) {
        Optional<String> text = req.query().first(name).asOptional();
        if (text.isEmpty()) {
            return OptionalInt.of(defaultValue);
        }
        try {
            int value = Integer.parseInt(text.get().trim());
            return value >= min && value <= max ? OptionalInt.of(value) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The limit every member accepted (they refuse a bad one before this runs). */
    private static int limit(RoutingRequest req) {
        return req.query().first("limit").map(text -> Integer.parseInt(text.trim())).orElse(100);
    }
}
