package io.cachegrid.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.cachegrid.PortReservation;
import io.cachegrid.TestNode;
import io.cachegrid.api.ApiLimits;
import io.cachegrid.api.ResponseBudget;
import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheSettings;
import io.cachegrid.engine.Condition;
import io.cachegrid.engine.EvictionPolicy;
import io.cachegrid.engine.Ticker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Reads while this node's anti-entropy has not yet completed a pass after a change: the node first takes the
 * newest copy among the other live members (live or deleted), and only then serves. Two real members (each a
 * one-node cluster, their engines set up directly) hold other versions; this node is a {@link HandoffReads} on
 * its own engine, with a switch for "repair pending".
 */
class HandoffReadsTest {

    private static TestNode a;
    private static TestNode b;
    private static ClusterView view;

    @BeforeAll
    static void members() {
        a = member();
        b = member();
        NodeAddress self = new NodeAddress("127.0.0.1", 1); // never called: this node reads its own engine
        view = ClusterView.of(self, Map.of(address(a), true, address(b), true), 3, ClusterSettings.RING_VNODES);
    }

    private static TestNode member() {
        try (PortReservation port = new PortReservation()) {
            int p = port.port();
            port.close();
            return TestNode.start(p, Map.of("CACHEGRID_PEERS", "127.0.0.1:" + p, "CACHEGRID_REPLICATION_FACTOR", "1"));
        }
    }

    private static NodeAddress address(TestNode node) {
        return new NodeAddress("127.0.0.1", node.port());
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    private static CacheEngine clusteredEngine() {
        return new CacheEngine(new CacheSettings(10_000, 1L << 28, EvictionPolicy.LRU, 2, Ticker.system(),
                (long) 300e9));
    }

    private static void put(CacheEngine engine, String key, String json, long version) {
        engine.putIf(key, json.getBytes(UTF_8), 0, List.of(), Condition.newer(version));
    }

    private static String value(CacheEngine engine, String key) {
        byte[] value = engine.peek(key);
        return value == null ? null : new String(value, UTF_8);
    }

    @Test
    void whileRepairIsPendingAReadTakesTheNewestCopyAmongTheMembersLiveOrDeleted() {
        CacheEngine local = clusteredEngine();
        AtomicBoolean pending = new AtomicBoolean(true);
        ClusterSettings settings = new ClusterSettings(List.of(address(a)), "", Optional.empty(), 3, 1);
        ApiLimits limits = new ApiLimits(250, 1 << 20, 1000, 16, 64, 4 << 20, new ResponseBudget(64 << 20));
        try (ClusterNode node = new ClusterNode(settings, "self", "127.0.0.1", local, limits, Optional.empty(),
                Optional.empty())) {
            HandoffReads reads = new HandoffReads(node, 1, pending::get);
            CacheEngine ea = a.server().engine();
            CacheEngine eb = b.server().engine();
            long base = Math.max(ea.versionClock().current(), eb.versionClock().current()) + 1_000_000;

            put(local, "stale", "\"v1\"", base + 1);       // this node missed two writes
            put(ea, "stale", "\"v2\"", base + 2);
            put(eb, "stale", "\"v3\"", base + 3);
            put(local, "deleted", "\"v1\"", base + 1);     // this node missed the delete
            put(ea, "deleted", "\"v1\"", base + 1);
            eb.deleteVersioned("deleted", base + 4);
            put(local, "newest", "\"mine\"", base + 9);    // this node has the newest: it stays
            put(ea, "newest", "\"old\"", base + 5);
            put(ea, "missing", "\"here\"", base + 6);      // this node lacks it

            pending.set(false);
            reads.repairIfMissing("stale", view);
            assertEquals("\"v1\"", value(local, "stale"), "no repair pending and no handoff window: no hop");

            pending.set(true);
            for (String key : List.of("stale", "deleted", "newest", "missing")) {
                reads.repairIfMissing(key, view);
            }
            assertEquals("\"v3\"", value(local, "stale"));
            assertEquals(base + 3, local.peekStored("stale").version(), "stored at the newest copy's version");
            assertNull(local.peek("deleted"), "a delete this node missed is not served");
            assertEquals(base + 4, local.tombstoneVersion("deleted"));
            assertEquals("\"mine\"", value(local, "newest"));
            assertEquals("\"here\"", value(local, "missing"));

            put(ea, "counter", "41", base + 7);            // a counter this node missed: incr must see 41
            pending.set(false);
            reads.repairBeforeWrite("counter", view);
            assertNull(local.peek("counter"), "writes ask only while repair is pending");
            pending.set(true);
            reads.repairBeforeWrite("counter", view);
            assertEquals("41", value(local, "counter"));
            local.checkInvariants();
        }
    }
}
