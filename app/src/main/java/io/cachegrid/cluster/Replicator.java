package io.cachegrid.cluster;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.cachegrid.api.ApiException;
import io.cachegrid.api.CacheService;
import io.cachegrid.api.WriteReplication;
import io.cachegrid.engine.Stored;
import io.cachegrid.json.JsonWriter;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/**
 * Why: a write an owner applied must reach enough other owners before the client is told it succeeded
 * ({@link WriteAcks}), so that the loss of a node loses no acknowledged write, and a write that could not reach
 * them must say so instead of pretending. The service calls this after the engine applied the write and before it
 * answers ({@link WriteReplication}); the entry as now held (value, remaining ttl, tags, version) is sent to every
 * other owner in the view concurrently, marked {@link Internal#REPLICA}, and the answer waits until enough of them
 * confirmed (the others go on by themselves), each at most the replication timeout, which is shorter than the forwarding timeout so that a member that forwarded the request hears this
 * node's answer (its copy count, or 503) before it gives up on it.
 * <p>
 * The copies needed are counted over the owners in the view when the copies have been tried: an owner that failed
 * and has meanwhile left the view is not needed (the survivor suffices). A failed copy does not mark its owner down:
 * membership alone decides who is in the view. With {@link WriteAcks#ONE} the copies go in the background
 * ({@link BackgroundSender}) and the answer counts the local copy only.
 * <p>
 * A written entry travels as {@code POST /cache} JSON ({@code key}, {@code value}, {@code ttl}, {@code tags}), so
 * that every key arrives exactly as held, lone surrogates included (a path can only spell well-formed UTF-8); a
 * delete as {@code DELETE /cache/{key}} with its tombstone's version (deletes come from a path, so their keys are
 * well-formed).
 */
final class Replicator implements WriteReplication {

    /** The version a replicated copy is stored at (read by the owner's handlers, with {@link Internal#HEADER}). */
    static final HeaderName REPLICA_VERSION = HeaderNames.create(CacheService.REPLICA_VERSION_HEADER);

    /** Beyond connect and read timeouts, how long the wait for copies may last (thread start-up, scheduling). */
    private static final Duration DEADLINE_MARGIN = Duration.ofMillis(250);

    /** Seconds a client is asked to wait before retrying a write that did not get its copies. */
    private static final int RETRY_AFTER_SECONDS = 1;

    private static final System.Logger LOG = System.getLogger(Replicator.class.getName());

    private final ClusterNode node;
    private final WriteAcks acks;
    private final Duration timeout;

    Replicator(ClusterNode node, WriteAcks acks, Duration timeout) {
        this.node = node;
        this.acks = acks;
        this.timeout = timeout;
    }

    /** One copy of a write, as sent to each other owner. */
    private record Copy(Method method, String path, String contentType, byte[] body, Map<HeaderName, String> headers) {
    }

    @Override
    public int afterWrite(ServerRequest req, String key) {
        Optional<String> mode = req.headers().first(Internal.HEADER);
        ClusterView view = node.view();
        if ((mode.isPresent() && !mode.get().equals(Internal.OWNER)) || view == null) {
            return 1; // a member's copy (or parts of a batch, a fan-out): stored here only
        }
        List<NodeAddress> others = new ArrayList<>(view.owners(key));
        // this node's copy counts when it is an owner; a member that forwarded with another view may have chosen
        // a node that is none in its own view: its copy is extra, and the owners' copies are what count
        int own = others.remove(view.self()) ? 1 : 0;
        Copy copy = others.isEmpty() ? null : copyOf(req.prologue().method(), key);
        if (copy == null) {
            return 1;
        }
        if (acks == WriteAcks.ONE) {
            others.forEach(owner -> node.background().submit(() -> send(owner, copy, key)));
            return 1;
        }
        int required = acks.required(own + others.size());
        Map<NodeAddress, Boolean> confirmed = sendAll(others, copy, key, required - own);
        int copies = own + (int) confirmed.values().stream().filter(ok -> ok).count();
        if (copies >= required) {
            return copies;
        }
        // short: count again over the owners in the view now, since one that left it is not needed
        ClusterView now = node.view();
        List<NodeAddress> missing = new ArrayList<>();
        int owners = own;
        for (NodeAddress owner : others) {
            if (Boolean.TRUE.equals(confirmed.get(owner))) {
                owners++;
            } else if (now == null || now.live().contains(owner)) {
                owners++;
                missing.add(owner);
            } // else it left the view meanwhile: the others suffice
        }
        required = acks.required(owners);
        if (copies >= required) {
            return copies;
        }
        throw new ApiException(Status.SERVICE_UNAVAILABLE_503, "write not confirmed", "the write of \"" + key
                + "\" is held by " + copies + " of " + owners + " copies, and CACHEGRID_WRITE_ACKS=" + acks + " needs "
                + required + ": " + missing + " did not confirm within " + timeout.toMillis() + " ms. The write may"
                + " have been applied on some copies: retrying a PUT or DELETE is harmless, a retried incr/decr counts"
                + " again",
                RETRY_AFTER_SECONDS);
    }

    /** The copy of what the local service just did to {@code key}, or null when there is nothing to send. */
    private Copy copyOf(Method method, String key) {
        if (method == Method.DELETE) {
            // the delete travels with its version (the tombstone's), so an owner applies it over older copies only
            // and keeps a tombstone that refuses a late older copy; no tombstone means a newer write replaced it
            // meanwhile, and that write's own copy is on its way
            long deleted = node.engine().tombstoneVersion(key);
            if (deleted == 0 && node.engine().keepsTombstones()) {
                return null;
            }
            Map<HeaderName, String> headers = deleted == 0 ? Map.of()
                    : Map.of(REPLICA_VERSION, Long.toUnsignedString(deleted));
            return new Copy(Method.DELETE, "/cache/" + KeyPaths.encode(key), null, null, headers);
        }
        // PUT, POST /cache or a counter: the entry as now held
        Stored stored = node.engine().peekStored(key);
        if (stored == null || stored.ttlRemainingNanos() == 0) {
            return null; // evicted or expired at once: nothing to copy
        }
        JsonWriter out = new JsonWriter(64 + key.length() + stored.value().length()).beginObject()
                .name("key").value(key).name("value").rawValue(stored.value().toByteArray());
        if (stored.ttlRemainingNanos() > 0) {
            out.name("ttl").rawValue(BigDecimal.valueOf(stored.ttlRemainingNanos(), 9).stripTrailingZeros()
                    .toPlainString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        if (!stored.tags().isEmpty()) {
            out.name("tags").beginArray();
            stored.tags().forEach(out::value);
            out.endArray();
        }
        // the copy keeps the primary's version: an owner replaces its copy only by a newer one, so copies of two
        // writes that arrive out of order end as the newer one (and the ETag is the same on every owner)
        return new Copy(Method.POST, "/cache", "application/json", out.endObject().toByteArray(),
                Map.of(REPLICA_VERSION, Long.toUnsignedString(stored.version())));
    }

    /** Tags as the value of a {@code ?tags=} query parameter: each percent-encoded, joined by commas. */
    static String tagsQuery(List<String> tags) {
        StringBuilder out = new StringBuilder();
        for (String tag : tags) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(KeyPaths.encode(tag));
        }
        return out.toString();
    }

    /**
     * Sends the copy to every owner at once and waits until {@code needed} of them confirmed or every owner has
     * answered or failed; which owners answered so far, true for a confirmation. The
     * copies not waited for go on by themselves, each ending within its timeout. The wait itself is bounded too (a
     * send blocked writing a large body to a stalled peer is given up on at the deadline).
     */
    private Map<NodeAddress, Boolean> sendAll(List<NodeAddress> owners, Copy copy, String key, int needed) {
        BlockingQueue<Map.Entry<NodeAddress, Boolean>> answers = new LinkedBlockingQueue<>();
        for (NodeAddress owner : owners) {
            Thread.ofVirtual().name("cachegrid-replica-copy").start(() ->
                    answers.add(Map.entry(owner, send(owner, copy, key))));
        }
        Map<NodeAddress, Boolean> confirmed = new LinkedHashMap<>();
        int confirmations = 0;
        long deadline = System.nanoTime() + timeout.plus(PeerClient.CONNECT_TIMEOUT).plus(DEADLINE_MARGIN).toNanos();
        try {
            while (confirmed.size() < owners.size() && confirmations < needed) {
                Map.Entry<NodeAddress, Boolean> answer = answers.poll(deadline - System.nanoTime(),
                        TimeUnit.NANOSECONDS);
                if (answer == null) {
                    break; // past the deadline: the owners that have not answered did not confirm
                }
                confirmed.put(answer.getKey(), answer.getValue());
                confirmations += answer.getValue() ? 1 : 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replicating", e);
        }
        return confirmed;
    }

    /** One copy to one owner; true when it confirmed (200) within the timeout. */
    private boolean send(NodeAddress owner, Copy copy, String key) {
        try {
            PeerResponse answer = node.client().send(owner, copy.method(), copy.path(), Internal.REPLICA,
                    copy.contentType(), copy.body(), timeout, copy.headers());
            if (!answer.ok()) {
                LOG.log(System.Logger.Level.WARNING, "replica {0} refused {1} of \"{2}\": {3}", owner,
                        copy.method().text(), key, answer);
            }
            return answer.ok();
        } catch (PeerUnavailableException e) {
            LOG.log(System.Logger.Level.DEBUG, "replica {0} did not confirm \"{1}\": {2}", owner, key,
                    e.getMessage());
            return false;
        }
    }
}
