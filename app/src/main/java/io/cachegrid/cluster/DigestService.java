package io.cachegrid.cluster;

import java.util.List;
import java.util.Map;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.KeyVersion;
import io.cachegrid.engine.VersionPage;
import io.cachegrid.json.JsonSlice;
import io.cachegrid.json.JsonWriter;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Why: the answering side of anti-entropy ({@link AntiEntropy} is the asking side). A member that compares its
 * copies with this one asks, in this order and each in bounded requests:
 * <ul>
 *   <li>{@code POST /cluster/digest {"peer", "epoch"}}: this node's bucket sums over the keys both own
 *   ({@link Digests}), after applying the asker's clear epoch if it is newer; the answer carries this node's epoch,
 *   so a member that missed a clear applies it too: {@code {"epoch", "sums": ["<unsigned>"...]}};</li>
 *   <li>{@code POST /cluster/versions {"peer", "buckets": [...], "cursor", "limit"}}: the (key, version,
 *   tombstone) of the shared keys in those buckets, one page (at most {@code limit} keys, at most
 *   {@link #WALK_BUDGET} keys looked at), and the cursor of the next page (null at the end);</li>
 *   <li>{@code POST /cluster/fetch {"keys": [...]}}: this node's copies of those keys, live or tombstones, in the
 *   push format ({@link PushItems}), as many as fit {@link PushItems#MAX_BATCH_BYTES}; {@code answered} says how
 *   many of the keys, in order, the answer covers;</li>
 *   <li>{@code POST /cluster/compare {"items": [{"key", "version"}...]}}: which of those keys this node would take,
 *   i.e. holds an older copy of or none (and not covered by its clear epoch): {@code {"wanted": [...]}}.</li>
 * </ul>
 * The asker then pushes what was wanted ({@code POST /cluster/push}). Only members may call these (the internal
 * header, with whatever authentication the node puts in front of internal requests).
 */
final class DigestService implements HttpService {

    static final String DIGEST_PATH = "/cluster/digest";
    static final String VERSIONS_PATH = "/cluster/versions";
    static final String FETCH_PATH = "/cluster/fetch";
    static final String COMPARE_PATH = "/cluster/compare";

    /** Most keys one versions page or one compare request holds. */
    static final int MAX_PAGE = 1000;
    /** Most keys one versions request looks at before it answers (with a cursor), so no request runs long. */
    static final int WALK_BUDGET = 50_000;
    /** Key bytes per page of the engine walk. */
    static final long WALK_KEY_BYTES = 256 * 1024;

    private final ClusterNode node;
    private final CacheEngine engine;

    DigestService(ClusterNode node, CacheEngine engine) {
        this.node = node;
        this.engine = engine;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/digest", this::digest)
                .post("/versions", this::versions)
                .post("/fetch", this::fetch)
                .post("/compare", this::compare);
    }

    /** Refuses a request that is not a member's; true when it may go on. */
    static boolean fromMember(ServerRequest req, ServerResponse res) {
        if (req.headers().first(Internal.HEADER).isPresent()) {
            return true;
        }
        ClusterResponses.json(res, Status.FORBIDDEN_403, new JsonWriter().beginObject().name("error")
                .value("forbidden").name("detail").value("only cluster members may call this").endObject());
        return false;
    }

    private static void invalid(ServerResponse res, String detail) {
        ClusterResponses.json(res, Status.BAD_REQUEST_400, new JsonWriter().beginObject().name("error")
                .value("invalid request").name("detail").value(detail).endObject());
    }

    /** The request's JSON object, or null after answering 400. */
    private static Map<String, JsonSlice> body(ServerRequest req, ServerResponse res) {
        try {
            return JsonSlice.parse(Bodies.read(req)).members();
        } catch (RuntimeException e) {
            invalid(res, "expected a JSON object: " + e.getMessage());
            return null;
        }
    }

    /** The view this node routes by, or null after answering 503 when it has not joined yet. */
    private ClusterView startedView(ServerResponse res) {
        ClusterView view = node.view();
        if (view == null) {
            ClusterResponses.unavailable(res, "not started");
        }
        return view;
    }

    private void digest(ServerRequest req, ServerResponse res) {
        Map<String, JsonSlice> body = fromMember(req, res) ? body(req, res) : null;
        ClusterView view = body == null ? null : startedView(res);
        if (view == null) {
            return;
        }
        NodeAddress peer;
        try {
            peer = NodeAddress.parse(body.get("peer").asString());
            long epoch = Long.parseUnsignedLong(body.get("epoch").asString());
            if (epoch != 0 && Long.compareUnsigned(epoch, engine.clearEpoch()) > 0) {
                engine.clear(epoch);
            }
        } catch (RuntimeException e) {
            invalid(res, "expected {\"peer\": \"host:port\", \"epoch\": \"<unsigned>\"}: " + e.getMessage());
            return;
        }
        long[] sums = sums(engine, view, view.self(), peer);
        JsonWriter out = new JsonWriter(24 * Digests.BUCKETS).beginObject()
                .name("epoch").value(Long.toUnsignedString(engine.clearEpoch())).name("sums").beginArray();
        for (long sum : sums) {
            out.value(Long.toUnsignedString(sum));
        }
        ClusterResponses.json(res, Status.OK_200, out.endArray().endObject());
    }

    /** This engine's bucket sums over the keys that {@code self} and {@code peer} both own in the view. */
    static long[] sums(CacheEngine engine, ClusterView view, NodeAddress self, NodeAddress peer) {
        long[] sums = new long[Digests.BUCKETS];
        long cursor = VersionPage.START;
        do {
            VersionPage page = engine.scan(cursor, MAX_PAGE, WALK_KEY_BYTES);
            for (KeyVersion item : page.items()) {
                if (Digests.sharedBy(view, item.key(), self, peer)) {
                    sums[Digests.bucket(item.key())] += Digests.contribution(item);
                }
            }
            cursor = page.cursor();
        } while (cursor != VersionPage.DONE);
        return sums;
    }

    private void versions(ServerRequest req, ServerResponse res) {
        Map<String, JsonSlice> body = fromMember(req, res) ? body(req, res) : null;
        ClusterView view = body == null ? null : startedView(res);
        if (view == null) {
            return;
        }
        NodeAddress peer;
        boolean[] buckets = new boolean[Digests.BUCKETS];
        long cursor;
        int limit;
        try {
            peer = NodeAddress.parse(body.get("peer").asString());
            for (JsonSlice bucket : body.get("buckets").elements()) {
                buckets[bucket.asNumber().intValueExact()] = true;
            }
            cursor = Long.parseLong(body.get("cursor").asString());
            limit = body.get("limit").asNumber().intValueExact();
            if (cursor < 0 || limit < 1 || limit > MAX_PAGE) {
                throw new IllegalArgumentException("cursor >= 0 and limit 1.." + MAX_PAGE);
            }
        } catch (RuntimeException e) {
            invalid(res, "expected {\"peer\", \"buckets\": [0.." + (Digests.BUCKETS - 1)
                    + "], \"cursor\": \"<n>\", \"limit\": n}: " + e.getMessage());
            return;
        }
        JsonWriter out = new JsonWriter(64 * limit).beginObject().name("items").beginArray();
        int listed = 0;
        int looked = 0;
        while (cursor != VersionPage.DONE && listed < limit && looked < WALK_BUDGET) {
            VersionPage page = engine.scan(cursor, limit - listed, WALK_KEY_BYTES);
            for (KeyVersion item : page.items()) {
                if (buckets[Digests.bucket(item.key())] && Digests.sharedBy(view, item.key(), view.self(), peer)) {
                    out.beginObject().name("key").value(item.key())
                            .name("version").value(Long.toUnsignedString(item.version()));
                    if (item.tombstone()) {
                        out.name("tombstone").value(true);
                    }
                    out.endObject();
                    listed++;
                }
            }
            looked += Math.max(1, page.items().size());
            cursor = page.cursor();
        }
        out.endArray().name("cursor");
        ClusterResponses.json(res, Status.OK_200, (cursor == VersionPage.DONE ? out.nullValue()
                : out.value(Long.toString(cursor))).endObject());
    }

    private void fetch(ServerRequest req, ServerResponse res) {
        Map<String, JsonSlice> body = fromMember(req, res) ? body(req, res) : null;
        if (body == null) {
            return;
        }
        List<String> keys;
        try {
            keys = body.get("keys").elements().stream().map(JsonSlice::asString).toList();
            if (keys.size() > PushItems.MAX_BATCH_ITEMS) {
                throw new IllegalArgumentException("at most " + PushItems.MAX_BATCH_ITEMS + " keys");
            }
        } catch (RuntimeException e) {
            invalid(res, "expected {\"keys\": [string...]}: " + e.getMessage());
            return;
        }
        PushItems.Batch batch = new PushItems.Batch(PushItems.batchBytes(node.limits()));
        int answered = 0;
        for (String key : keys) {
            if (batch.full()) {
                break;
            }
            batch.addCurrent(engine, key);
            answered++;
        }
        ClusterResponses.json(res, Status.OK_200, batch.bodyWith("answered", answered));
    }

    private void compare(ServerRequest req, ServerResponse res) {
        Map<String, JsonSlice> body = fromMember(req, res) ? body(req, res) : null;
        if (body == null) {
            return;
        }
        JsonWriter out = new JsonWriter(4096).beginObject().name("wanted").beginArray();
        try {
            List<JsonSlice> items = body.get("items").elements();
            if (items.size() > MAX_PAGE) {
                throw new IllegalArgumentException("at most " + MAX_PAGE + " items");
            }
            long epoch = engine.clearEpoch();
            for (JsonSlice item : items) {
                Map<String, JsonSlice> fields = item.members();
                String key = fields.get("key").asString();
                long version = Long.parseUnsignedLong(fields.get("version").asString());
                KeyVersion held = engine.versionOf(key);
                boolean newer = held == null || Long.compareUnsigned(held.version(), version) < 0;
                if (newer && (epoch == 0 || Long.compareUnsigned(version, epoch) > 0)) {
                    out.value(key);
                }
            }
        } catch (RuntimeException e) {
            invalid(res, "expected {\"items\": [{\"key\", \"version\"}...]}: " + e.getMessage());
            return;
        }
        ClusterResponses.json(res, Status.OK_200, out.endArray().endObject());
    }
}
