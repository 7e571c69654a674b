package io.cachegrid.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Placement on the ring: even shares, little movement when members change, R distinct owners. */
class HashRingTest {

    private static final int KEYS = 100_000;
    private static final int VNODES = ClusterSettings.RING_VNODES;

    private static List<NodeAddress> members(String... addresses) {
        return java.util.Arrays.stream(addresses).map(NodeAddress::parse).toList();
    }

    private static String key(int i) {
        return "user:" + i;
    }

    @ParameterizedTest
    @ValueSource(strings = {"cachegrid-1:8080,cachegrid-2:8080,cachegrid-3:8080",
            "10.0.0.11:8080,10.0.0.12:8080,10.0.0.13:8080",
            "127.0.0.1:41001,127.0.0.1:41002,127.0.0.1:41003"})
    void threeMembersEachGetTheirFairShareWithin15Percent(String list) {
        HashRing ring = HashRing.of(members(list.split(",")), VNODES);
        Map<NodeAddress, Integer> primaries = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            primaries.merge(ring.owners(key(i), 1).get(0), 1, Integer::sum);
        }
        double fair = KEYS / 3.0;
        assertEquals(3, primaries.size());
        primaries.forEach((member, count) -> assertTrue(Math.abs(count - fair) <= 0.15 * fair,
                member + " owns " + count + " of " + KEYS + " keys; fair share " + (int) fair));
    }

    @Test
    void aJoiningMemberTakesAboutOneNthAndOnlyFromOthers() {
        List<NodeAddress> three = members("cachegrid-1:8080", "cachegrid-2:8080", "cachegrid-3:8080");
        List<NodeAddress> four = new ArrayList<>(three);
        NodeAddress joiner = NodeAddress.parse("cachegrid-4:8080");
        four.add(joiner);
        HashRing before = HashRing.of(three, VNODES);
        HashRing after = HashRing.of(four, VNODES);
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            NodeAddress was = before.owners(key(i), 1).get(0);
            NodeAddress now = after.owners(key(i), 1).get(0);
            if (!was.equals(now)) {
                moved++;
                assertEquals(joiner, now, "a key moved between two old members");
            }
        }
        double share = moved / (double) KEYS;
        assertTrue(share > 0.25 * 0.85 && share < 0.25 * 1.15, "moved " + share + ", expected about 1/4");
    }

    @Test
    void aLeavingMemberHandsOnlyItsOwnKeysOn() {
        List<NodeAddress> three = members("cachegrid-1:8080", "cachegrid-2:8080", "cachegrid-3:8080");
        NodeAddress leaver = three.get(1);
        HashRing before = HashRing.of(three, VNODES);
        HashRing after = HashRing.of(List.of(three.get(0), three.get(2)), VNODES);
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            NodeAddress was = before.owners(key(i), 1).get(0);
            NodeAddress now = after.owners(key(i), 1).get(0);
            if (!was.equals(now)) {
                moved++;
                assertEquals(leaver, was, "a key of a member that stayed moved");
            }
        }
        double share = moved / (double) KEYS;
        assertTrue(share > 0.85 / 3 && share < 1.15 / 3, "moved " + share + ", expected about 1/3");
    }

    @Test
    void replicaSetsChangeLittleWhenAMemberLeaves() {
        List<NodeAddress> three = members("cachegrid-1:8080", "cachegrid-2:8080", "cachegrid-3:8080");
        HashRing before = HashRing.of(three, VNODES);
        HashRing after = HashRing.of(List.of(three.get(0), three.get(2)), VNODES);
        for (int i = 0; i < 10_000; i++) {
            List<NodeAddress> was = new ArrayList<>(before.owners(key(i), 2));
            List<NodeAddress> now = after.owners(key(i), 2);
            was.remove(three.get(1));
            assertTrue(now.containsAll(was), "a surviving replica lost " + key(i) + ": " + was + " -> " + now);
        }
    }

    @Test
    void ownersAreDistinctAndInRingOrder() {
        List<NodeAddress> five = members("a:1", "b:1", "c:1", "d:1", "e:1");
        HashRing ring = HashRing.of(five, VNODES);
        for (int i = 0; i < 10_000; i++) {
            List<NodeAddress> owners = ring.owners(key(i), 3);
            assertEquals(3, owners.size());
            assertEquals(3, new HashSet<>(owners).size(), owners.toString());
            assertEquals(owners.subList(0, 2), ring.owners(key(i), 2), "R=2 owners are a prefix of R=3 owners");
        }
    }

    @Test
    void fewerMembersThanTheReplicationFactorMeansAllOfThem() {
        HashRing ring = HashRing.of(members("a:1", "b:1"), VNODES);
        assertEquals(2, ring.owners("k", 3).size());
        assertEquals(List.of(), HashRing.of(List.of(), VNODES).owners("k", 2));
    }

    @Test
    void placementIsTheSameWhateverTheOrderMembersAreListedIn() {
        HashRing one = HashRing.of(members("a:1", "b:1", "c:1"), VNODES);
        HashRing two = HashRing.of(members("c:1", "a:1", "b:1", "a:1"), VNODES);
        for (int i = 0; i < 1000; i++) {
            assertEquals(one.owners(key(i), 2), two.owners(key(i), 2));
        }
    }

    @Test
    void hashIsStableAndSpreadsNeighbouringKeys() {
        assertEquals(KeyHash.of("user:1"), KeyHash.of("user:1".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertNotEquals(KeyHash.of("user:1"), KeyHash.of("user:2"));
        assertNotEquals(KeyHash.of(""), KeyHash.of(new byte[1]), "trailing zero bytes must change the hash");
        // flipping any one input bit flips about half (32) of the output bits
        long flips = 0;
        int trials = 0;
        for (int i = 0; i < 200; i++) {
            byte[] bytes = ("key-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            long original = KeyHash.of(bytes);
            for (int bit = 0; bit < bytes.length * 8; bit++) {
                byte[] flipped = bytes.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                flips += Long.bitCount(original ^ KeyHash.of(flipped));
                trials++;
            }
        }
        double average = flips / (double) trials;
        assertTrue(average > 31 && average < 33, "average flipped bits " + average);
    }
}
