package io.cachegrid.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Routing by the cluster's ring, against stand-in members: a key goes straight to one member (always the same one
 * while the view holds), a batch is split by member, a view change re-reads the ring, and a client of a single
 * server never asks for one. {@code RingAgreementTest} checks the placement itself against real servers.
 */
class ClusterRoutingTest {
    private final List<FakeMember> members = new ArrayList<>();
    private SyncCacheGridClient client;

    @BeforeEach
    void startMembers() throws Exception {
        for (int i = 0; i < 3; i++) {
            members.add(new FakeMember());
        }
        members.forEach(member -> member.view(7, 2, members));
        // the client knows only the first member, as a client given one seed address would
        client = SyncCacheGridClient.builder().hosts(members.getFirst().address()).build();
        client.set("warm-up", 1); // its answer names view 7: the client fetches the ring in the background
        await(() -> client.placement().ring() != null && client.placement().ring().viewId() == 7, "ring of view 7");
    }

    @AfterEach
    void stop() {
        client.close();
        members.forEach(FakeMember::close);
    }

    @Test
    void eachKeyGoesToOneMemberAndStaysThere() {
        List<String> keys = IntStream.range(0, 90).mapToObj(i -> "route:" + i).toList();
        keys.forEach(key -> client.set(key, "v"));
        keys.forEach(client::get);
        Map<String, FakeMember> putOn = receivers("PUT", keys);
        Map<String, FakeMember> getOn = receivers("GET", keys);
        assertEquals(putOn, getOn, "a key's read goes where its write went");
        for (FakeMember member : members) {
            long share = putOn.values().stream().filter(member::equals).count();
            assertTrue(share >= 15, "every member gets a share of 90 keys, " + member.address() + " got " + share);
        }
    }

    @Test
    void batchesAreSplitByMember() {
        List<String> keys = IntStream.range(0, 60).mapToObj(i -> "batch:" + i).toList();
        keys.forEach(key -> client.set(key, "v"));
        Map<String, FakeMember> owner = receivers("PUT", keys);
        client.getMulti(keys);
        Map<String, Object> items = new LinkedHashMap<>();
        keys.forEach(key -> items.put(key, 1));
        assertEquals(3, client.setMulti(items), "one part per member, each answering items_set 1");
        for (FakeMember member : members) {
            List<String> gets = member.received().stream().filter(r -> r.path().equals("/cache/batch/get"))
                    .map(FakeMember.Request::body).toList();
            assertEquals(1, gets.size(), "one batch get part for " + member.address());
            for (String key : keys) {
                assertEquals(owner.get(key) == member, gets.getFirst().contains("\"" + key + "\""),
                        key + " in the part sent to " + member.address());
            }
        }
    }

    @Test
    void viewChangeRereadsTheRing() {
        FakeMember leaving = members.getLast();
        List<FakeMember> remaining = members.subList(0, 2);
        remaining.forEach(member -> member.view(8, 2, remaining));
        leaving.view(8, 2, remaining);
        client.set("after-change", 1); // answered under view 8
        await(() -> client.placement().ring().viewId() == 8, "ring of view 8");
        int before = leaving.received().size();
        IntStream.range(0, 60).forEach(i -> client.set("moved:" + i, "v"));
        assertEquals(before, leaving.received().size(), "the member out of the view gets no key");
    }

    @Test
    void keysOfAnUnreachableMemberGoToTheirNextOwner() {
        FakeMember gone = members.getLast();
        List<String> keys = IntStream.range(0, 60).mapToObj(i -> "down:" + i).toList();
        keys.forEach(key -> client.set(key, "v"));
        List<String> itsKeys = keys.stream().filter(key -> receivers("PUT", keys).get(key) == gone).toList();
        assertFalse(itsKeys.isEmpty());
        gone.close();
        itsKeys.forEach(key -> assertTrue(client.set(key, "again"), key + " written through another owner"));
    }

    @Test
    void aSingleServerIsNeverAskedForARing() throws Exception {
        try (FakeServer single = new FakeServer(200, "{\"success\":true,\"exists\":false}");
             SyncCacheGridClient plain = SyncCacheGridClient.builder().hosts(single.address()).build()) {
            plain.set("k", 1);
            plain.get("k");
            Thread.sleep(200);
            assertTrue(single.received().stream().noneMatch(r -> r.rawPath().equals("/cluster")));
            assertEquals(null, plain.placement().ring());
        }
    }

    /** For each key, the one member that received a request with this method for it. */
    private Map<String, FakeMember> receivers(String method, List<String> keys) {
        Map<String, FakeMember> found = new HashMap<>();
        for (String key : keys) {
            for (FakeMember member : members) {
                if (member.paths(method).contains("/cache/" + key)) {
                    FakeMember earlier = found.put(key, member);
                    if (earlier != null) {
                        fail(key + " went to " + earlier.address() + " and " + member.address());
                    }
                }
            }
            if (!found.containsKey(key)) {
                fail(method + " " + key + " reached no member");
            }
        }
        return found;
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
