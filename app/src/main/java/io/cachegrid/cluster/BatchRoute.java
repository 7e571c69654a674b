package io.cachegrid.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.cachegrid.api.ApiException;
import io.cachegrid.api.BatchItems;
import io.cachegrid.api.BatchKeys;
import io.cachegrid.api.BatchService;
import io.cachegrid.api.WriteReplication;
import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.JsonWriter;
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
 *   <li>set: each item goes to all of its owners; the answer waits for as many of them as
 *   {@code CACHEGRID_WRITE_ACKS} asks (with {@code one} it waits for each item's primary, and the other owners'
 *   parts go in the background), counted over the owners still in the view. Each part waits at most the
 *   forwarding timeout. If an item did not get its copies the answer is 503 (items may be stored on some owners),
 *   else {@code items_set} is every item and {@code copies} (and {@code X-CacheGrid-Copies}) the fewest copies any
 *   item got.</li>
 * </ul>
 * A batch set is checked whole first by the services' own check ({@link BatchItems}: shape, count, keys, ttl,
 * tags, each entry's weight with its ttl and tags), so a batch an owner would refuse is refused here, with the
 * service's error, before any part is stored; a batch get's keys likewise ({@link BatchKeys}). No rule is the
 * router's own. This node's own part is answered in-process by the service's code ({@link BatchService#getAnswer},
 * {@link BatchService#setAnswer}), not sent to itself over HTTP, and merged like the others' (a local copy counts
 * as one confirmation, like a member's).
 */
final class BatchRoute {

    private final ClusterNode node;

    BatchRoute(ClusterNode node) {
        this.node = node;
    }

    void get(RoutingRequest req, RoutingResponse res, ClusterView view) {
        byte[] body = Bodies.read(req);
        // the service's own check: a body it would refuse is answered here, with its error, and sent nowhere
        List<String> keys = BatchKeys.fromRequest(req, body, node.limits());
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
            Map<NodeAddress, PeerResponse> answers = sendParts(view, parts, part -> keysBody(part),
                    part -> BatchService.getAnswer(node.engine(), part).json(), "/cache/batch/get",
                    node.forwardTimeout());
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
        // the services' own check (one weighing, one set of rules): a batch any owner would refuse is refused
        // here, whole, before any part is stored
        BatchItems batch = BatchItems.fromRequest(req, body, node.limits(), node.engine().maxEntryWeight());
        Map<String, JsonSlice> items = batch.items();
        JsonSlice ttl = JsonSlice.parse(body).members().get("ttl");
        WriteAcks acks = node.writeAcks();
        Map<String, List<NodeAddress>> waitedOwners = new HashMap<>(); // per item: the owners the answer waits for
        Map<NodeAddress, List<String>> waited = new LinkedHashMap<>();
        Map<NodeAddress, List<String>> later = new LinkedHashMap<>(); // WRITE_ACKS=one: the replicas' parts
        for (String key : items.keySet()) {
            List<NodeAddress> owners = view.owners(key);
            // with "one" the answer waits for the primary alone; the other owners get their parts in the background
            List<NodeAddress> wait = acks == WriteAcks.ONE ? owners.subList(0, 1) : owners;
            waitedOwners.put(key, wait);
            for (NodeAddress owner : owners) {
                (wait.contains(owner) ? waited : later).computeIfAbsent(owner, o -> new ArrayList<>()).add(key);
            }
        }
        Function<List<String>, byte[]> partBody = part -> itemsBody(part, items, ttl, batch.tagged());
        Function<List<String>, JsonWriter> localPart = part -> BatchService.setAnswer(node.engine(), batch, part);
        later.forEach((member, part) -> node.background().submit(() -> {
            try {
                if (member.equals(view.self())) {
                    localPart.apply(part);
                } else {
                    node.client().send(member, Method.POST, "/cache/batch/set", Internal.REPLICA, null,
                            partBody.apply(part), node.forwardTimeout());
                }
            } catch (PeerUnavailableException e) {
                // best effort: the copies come later from rebalancing (or anti-entropy)
            }
        }));
        Map<NodeAddress, PeerResponse> answers = sendParts(view, waited, partBody, localPart, "/cache/batch/set",
                node.forwardTimeout());
        byte[] ttlEcho = null;
        for (PeerResponse answer : answers.values()) { // the members that answered
            if (!answer.ok()) {
                ClusterResponses.relay(res, answer);
                return;
            }
            ttlEcho = JsonSlice.parse(answer.body()).members().get("ttl").bytes();
        }
        ClusterView now = node.view();
        int fewest = Integer.MAX_VALUE;
        int unconfirmed = 0;
        Set<NodeAddress> silent = new LinkedHashSet<>();
        for (String key : items.keySet()) {
            int copies = 0;
            int owners = 0; // the waited-for owners still in the view, or that confirmed
            for (NodeAddress owner : waitedOwners.get(key)) {
                if (answers.containsKey(owner)) {
                    copies++;
                    owners++;
                } else if (now == null || now.live().contains(owner)) {
                    owners++;
                    silent.add(owner);
                } // else it left the view meanwhile: the others suffice
            }
            fewest = Math.min(fewest, copies);
            if (copies == 0 || copies < acks.required(owners)) {
                unconfirmed++;
            }
        }
        if (unconfirmed > 0) {
            throw new ApiException(Status.SERVICE_UNAVAILABLE_503, "write not confirmed", unconfirmed + " of "
                    + items.size() + " items did not get the copies CACHEGRID_WRITE_ACKS=" + acks + " needs: "
                    + silent + " did not confirm within " + node.forwardTimeout().toMillis() + " ms. Items may have"
                    + " been applied on some copies; retry the batch (a retry of the same batch is harmless)", 1);
        }
        res.header(WriteReplication.COPIES_HEADER, String.valueOf(fewest));
        ClusterResponses.json(res, Status.OK_200, new JsonWriter().beginObject().name("success").value(true)
                .name("items_requested").value(items.size()).name("items_set").value(items.size())
                .name("ttl").rawValue(ttlEcho).name("timestamp").value(ClusterResponses.timestamp())
                .name("copies").value(fewest).endObject());
    }

    /**
     * Each member's part as an internal batch request, all at once; unreachable members have no answer. This node's
     * own part is answered in-process ({@code local}), concurrently with the others.
     */
    private Map<NodeAddress, PeerResponse> sendParts(ClusterView view, Map<NodeAddress, List<String>> parts,
                                                     Function<List<String>, byte[]> body,
                                                     Function<List<String>, JsonWriter> local, String path,
                                                     Duration timeout) {
        return node.askEach(parts.keySet(), member -> member.equals(view.self())
                ? ClusterNode.local(local.apply(parts.get(member)))
                : node.client().send(member, Method.POST, path, Internal.REPLICA, null,
                        body.apply(parts.get(member)), timeout), timeout);
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
