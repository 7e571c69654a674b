package io.cachegrid.cluster;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.function.Supplier;

import io.cachegrid.api.CacheService;
import io.cachegrid.json.JsonWriter;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Why: a request that claims to come from a member (the internal or replica-version header, or the push route
 * {@code /cluster/push}) is trusted by everything after this filter: it is applied without
 * routing, stores at the version it names, or pushes entries. So before anything else of the cluster sees it:
 * <ul>
 *   <li>with a cluster secret, its signature must verify ({@link SignatureCheck}) and its body must match the
 *   signed digest ({@link SignedBody});</li>
 *   <li>without one (allowed only for a loopback-only cluster), it must come from a loopback address.</li>
 * </ul>
 * Anything else gets 403 {@code {"error","detail"}} and changes nothing. Every answer of a clustered node also
 * carries {@code X-CacheGrid-View: <view id>}, so a client learns of a view change from any answer.
 */
final class PeerAuthFilter implements Filter {

    static final HeaderName VIEW_HEADER = HeaderNames.create("X-CacheGrid-View");

    private static final System.Logger LOG = System.getLogger(PeerAuthFilter.class.getName());
    private static final HeaderName REPLICA_VERSION = HeaderNames.create(CacheService.REPLICA_VERSION_HEADER);

    private final Optional<SignatureCheck> signatures;
    private final Supplier<ClusterView> views;

    PeerAuthFilter(Optional<SignatureCheck> signatures, Supplier<ClusterView> views) {
        this.signatures = signatures;
        this.views = views;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        ClusterView view = views.get();
        if (view != null) {
            res.header(VIEW_HEADER, String.valueOf(view.viewId()));
        }
        if (!claimsMember(req)) {
            chain.proceed();
            return;
        }
        Optional<String> refusal = signatures.isPresent() ? checkSignature(signatures.get(), req)
                : checkLoopback(req.remotePeer().address());
        if (refusal.isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "refused a member request {0} {1} from {2}: {3}",
                    req.prologue().method().text(), req.path().absolute().path(), req.remotePeer().address(),
                    refusal.get());
            ClusterResponses.json(res, Status.FORBIDDEN_403, new JsonWriter().beginObject().name("error")
                    .value("forbidden").name("detail").value(refusal.get()).endObject());
            return;
        }
        chain.proceed();
    }

    /**
     * Every node-to-node request carries the internal header ({@link PeerClient} adds it to each), so that header,
     * the replica version (meaningful only with it) and the member-only push route are what a member request is.
     * Operator routes under {@code /cluster} ({@code GET /cluster}, {@code /cluster/nodes}) are not.
     */
    static boolean claimsMember(RoutingRequest req) {
        return req.headers().contains(Internal.HEADER) || req.headers().contains(REPLICA_VERSION)
                || req.path().absolute().path().startsWith(ClusterService.PUSH_PATH);
    }

    private static Optional<String> checkSignature(SignatureCheck check, RoutingRequest req) {
        SignatureCheck.Outcome outcome = check.check(req.prologue().method().text(), Bodies.rawPathAndQuery(req),
                req.headers().first(RequestSigner.HEADER));
        if (outcome instanceof SignatureCheck.Refused refused) {
            return Optional.of(refused.reason());
        }
        String bodyHash = ((SignatureCheck.Accepted) outcome).signature().bodyHash();
        // from the headers only: the entity must not be touched before its stream filter is registered
        long length = req.headers().contentLength().orElse(-1);
        if (length > 0 || (length < 0 && req.headers().contains(HeaderNames.TRANSFER_ENCODING))) {
            req.streamFilter(in -> new SignedBody(in, bodyHash, length));
        } else if (!bodyHash.equals(RequestSigner.emptyBodyHash())) {
            return Optional.of("the request has no body but its signature is for one");
        }
        return Optional.empty();
    }

    private static Optional<String> checkLoopback(SocketAddress from) {
        if (from instanceof InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress()) {
            return Optional.empty();
        }
        return Optional.of("without CACHEGRID_CLUSTER_SECRET only members on this machine (loopback) may send"
                + " member requests");
    }
}
