package io.cachegrid.cluster;

import java.util.Optional;
import java.util.function.Consumer;

import io.cachegrid.api.CacheService;
import io.cachegrid.api.PercentEncoding;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Why: the HTTP services stay single-node code; this filter, in front of them, decides per request whether the
 * local service answers it, another member does, or several do:
 * <ul>
 *   <li>{@code GET|PUT|DELETE /cache/{key}}, {@code POST /cache}, {@code POST /cache/{key}/incr|decr}: by the
 *   key's primary owner ({@link KeyRoute}); {@code GET /admin/entry/{key}}: by any owner;</li>
 *   <li>{@code POST /cache/batch/get|set}: split by owner ({@link BatchRoute});</li>
 *   <li>{@code DELETE /cache?confirm=true}, {@code GET /admin/keys}, {@code GET|DELETE /tags/{tag}}: every live
 *   member ({@link FanOutRoute});</li>
 *   <li>anything else ({@code /stats}, {@code /health}, ...), every request from another member
 *   ({@link Internal#HEADER}), and {@code /admin/keys} or {@code /admin/entry/{key}} with {@code ?local=true}
 *   (what this node holds, copies included), locally as today.</li>
 * </ul>
 * The paths are matched on the raw path the same way the services' routes match them.
 */
final class ClusterRouter implements Filter {

    private static final String CACHE = "/cache";
    private static final String KEY_PREFIX = "/cache/";
    private static final String ENTRY_PREFIX = "/admin/entry/";
    private static final String TAG_PREFIX = "/tags/";

    private final ClusterNode node;
    private final KeyRoute keys;
    private final BatchRoute batches;
    private final FanOutRoute fanOut;

    ClusterRouter(ClusterNode node) {
        this.node = node;
        this.keys = new KeyRoute(node);
        this.batches = new BatchRoute(node);
        this.fanOut = new FanOutRoute(node);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<String> mode = req.headers().first(Internal.HEADER);
        boolean asOwner = mode.isPresent() && mode.get().equals(Internal.OWNER);
        Consumer<ClusterView> route = mode.isPresent() && !asOwner ? null : route(chain, req, res, asOwner);
        if (mode.isPresent() && !asOwner && part(req)) {
            node.partServed();
        }
        if (route == null) {
            chain.proceed();
            if (mode.isPresent() && mode.get().equals(Internal.REPLICA)) {
                replicaWritten(req);
            }
            return;
        }
        ClusterView view = node.view();
        if (view == null || !view.installed()) {
            // The HTTP server listens before this node has joined, and the members install a view with a joiner
            // in it before the joiner does (JGroups sends the joiner its view after theirs): a read they forward
            // to it as owner would meet an empty engine and no other member to ask (issue 10: an acknowledged
            // write read as absent during a scale-out), a write would be acknowledged on its copy alone. So a
            // routed request waits for the first view (bounded, within the forwarder's own wait) and is then
            // routed, and repaired, under it like any other.
            view = node.awaitInstalledView(node.replicationTimeout());
            if (view == null) {
                ClusterResponses.unavailable(res, "this member has not joined the cluster yet; retry shortly");
                return;
            }
        }
        route.accept(view);
    }

    /** How the cluster serves this request, given the view; null: the local service alone answers it. */
    private Consumer<ClusterView> route(FilterChain chain, RoutingRequest req, RoutingResponse res,
                                        boolean asOwner) {
        Method method = req.prologue().method();
        String path = PercentEncoding.originPath(req.path().absolute().rawPath()); // absolute-form: by its path
        if (path.equals(CACHE) || path.equals(KEY_PREFIX)) {
            if (method == Method.POST && !asOwner) {
                return view -> keys.postItem(req, res, view);
            } else if (method == Method.DELETE && path.equals(CACHE) && !asOwner && confirmed(req)) {
                return view -> fanOut.clear(req, res, view);
            }
            return null;
        } else if (path.equals("/cache/batch/get") || path.equals("/cache/batch/set")) {
            if (method == Method.POST && !asOwner) {
                return path.endsWith("get") ? view -> batches.get(req, res, view)
                        : view -> batches.set(req, res, view);
            }
            return null;
        } else if (path.startsWith(KEY_PREFIX) && (method == Method.GET || method == Method.PUT
                || method == Method.DELETE)) {
            return view -> keyed(chain, req, res, view, KEY_PREFIX, asOwner);
        } else if (method == Method.POST && CacheService.Counter.of(path).isPresent()) {
            Optional<String> key = PercentEncoding.decode(CacheService.Counter.of(path).get().encodedKey(path));
            if (key.isEmpty() || key.get().isEmpty()) {
                return null; // the service answers the bad key
            }
            return view -> keys.single(chain, req, res, view, key.get(), asOwner);
        } else if (path.startsWith(TAG_PREFIX) && method == Method.GET && !asOwner) {
            return view -> fanOut.tagKeys(chain, req, res, view);
        } else if (path.startsWith(TAG_PREFIX) && method == Method.DELETE && !asOwner) {
            return view -> fanOut.invalidateTag(req, res, view);
        } else if (path.startsWith(ENTRY_PREFIX) && method == Method.GET && !local(req)) {
            return view -> keyed(chain, req, res, view, ENTRY_PREFIX, asOwner);
        } else if (path.equals("/admin/keys") && method == Method.GET && !asOwner && !local(req)) {
            return view -> fanOut.keys(chain, req, res, view);
        }
        return null;
    }

    private void keyed(FilterChain chain, RoutingRequest req, RoutingResponse res, ClusterView view, String prefix,
                       boolean asOwner) {
        Optional<String> key = KeyPaths.decode(PercentEncoding.originPath(req.path().absolute().rawPath()), prefix);
        if (key.isEmpty() || key.get().isEmpty()) {
            chain.proceed(); // the service answers the bad key
        } else {
            keys.single(chain, req, res, view, key.get(), asOwner);
        }
    }

    /** After a replica's single-key write: a copy outside this node's share gets handed over. */
    private void replicaWritten(RoutingRequest req) {
        Method method = req.prologue().method();
        if (method != Method.PUT && method != Method.DELETE) {
            return;
        }
        KeyPaths.decode(PercentEncoding.originPath(req.path().absolute().rawPath()), KEY_PREFIX)
                .filter(key -> !key.isEmpty())
                .ifPresent(node::replicaWritten);
    }

    /** A part of a batch or fan-out, as {@link BatchRoute} and {@link FanOutRoute} send them to members. */
    private static boolean part(RoutingRequest req) {
        Method method = req.prologue().method();
        String path = PercentEncoding.originPath(req.path().absolute().rawPath());
        return (method == Method.POST && (path.equals("/cache/batch/get") || path.equals("/cache/batch/set")))
                || (method == Method.DELETE && path.equals(CACHE))
                || (method == Method.GET && path.equals("/admin/keys"))
                || path.startsWith(TAG_PREFIX);
    }

    /**
     * {@code ?local=true}: this node's own answer, not the cluster's. A value other than true or false counts as
     * local too, so the local service answers it (with its 400).
     */
    static boolean local(RoutingRequest req) {
        String local = req.query().first("local").orElse("false");
        return !"false".equalsIgnoreCase(local);
    }

    private static boolean confirmed(RoutingRequest req) {
        return "true".equalsIgnoreCase(req.query().first("confirm").orElse(""));
    }
}
