package io.cachegrid.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.cachegrid.PortReservation;
import io.cachegrid.TestNode;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real cluster members in this JVM on 127.0.0.1, as a JUnit extension: started before the class's tests, the
 * engine invariants of every running member checked after each test, stopped after the class.
 * <p>
 * Ports: every member's CACHEGRID_PEERS must list all members, including ones started later (JGroups discovery
 * probes each listed member's cluster port, derived from its HTTP port), so these are the only tests that cannot
 * bind port 0 and read it back. Each port is still taken from the OS and
 * never let go: it stays bound by a {@link PortReservation} (bound, not listening, so peers that probe a member not
 * started yet get "connection refused" at once) until the member listens on it, which SO_REUSEADDR allows while
 * the reservation exists. The OS hands ports that are bound to no one else, so neither another test's port 0 nor an
 * outgoing connection can take a member's port meanwhile.
 */
final class LocalCluster implements AutoCloseable, BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    /** How long the members may take to come to rest after a test before their invariants must hold. */
    static final Duration SETTLE = Duration.ofSeconds(3);

    private final int started;
    private final PortReservation[] reservations;
    private final int[] ports;
    private final TestNode[] nodes;
    private final Map<String, String> env;

    private LocalCluster(int size, int started, Map<String, String> extraEnv) {
        this.started = started;
        reservations = new PortReservation[size];
        ports = new int[size];
        for (int i = 0; i < size; i++) {
            reservations[i] = new PortReservation();
            ports[i] = reservations[i].port();
        }
        nodes = new TestNode[size];
        env = new HashMap<>(extraEnv);
        env.put("CACHEGRID_PEERS", IntStream.of(ports).mapToObj(p -> "127.0.0.1:" + p)
                .collect(Collectors.joining(",")));
        env.putIfAbsent("CACHEGRID_REPLICATION_FACTOR", "2");
        env.putIfAbsent("CACHEGRID_MEMBERSHIP_INTERVAL", "0.25");
    }

    /**
     * A cluster of {@code size} members of which the first {@code started} run (from the test class's
     * {@code beforeAll}), all seeing each other: {@code @RegisterExtension static final LocalCluster cluster = ...}.
     */
    static LocalCluster forEachClass(int size, int started) {
        return forEachClass(size, started, Map.of());
    }

    /** As {@link #forEachClass(int, int)}, every member with these extra variables. */
    static LocalCluster forEachClass(int size, int started, Map<String, String> extraEnv) {
        return new LocalCluster(size, started, extraEnv);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        for (int i = 0; i < started; i++) {
            startNode(i);
        }
        for (int i = 0; i < started; i++) {
            awaitMembersUp(i, started);
        }
    }

    /**
     * The engines' invariants after each test. Their cross-segment totals hold only at rest, and members may still be
     * applying copies (anti-entropy, rebalancing, background replication) when a test ends, so a failing check is
     * repeated for up to {@link #SETTLE}; a fault inside a segment fails every time and is reported.
     */
    @Override
    public void afterEach(ExtensionContext context) {
        for (TestNode node : running()) {
            long deadline = System.nanoTime() + SETTLE.toNanos();
            while (true) {
                try {
                    node.checkInvariants();
                    break;
                } catch (IllegalStateException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    pause();
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the members to settle", e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    TestNode startNode(int i) {
        Map<String, String> nodeEnv = new HashMap<>(env);
        nodeEnv.put("CACHEGRID_NODE_ID", "node-" + i);
        try {
            nodes[i] = TestNode.start(ports[i], nodeEnv);
        } finally {
            reservations[i].close(); // the member listens on the port now (or failed to); either way it is done
        }
        return nodes[i];
    }

    TestNode node(int i) {
        return nodes[i];
    }

    int size() {
        return nodes.length;
    }

    String address(int i) {
        return "127.0.0.1:" + ports[i];
    }

    /** Stops a member the way a crash looks to the others: it stops answering. */
    void kill(int i) {
        nodes[i].close();
        nodes[i] = null;
    }

    List<TestNode> running() {
        List<TestNode> running = new ArrayList<>();
        for (TestNode node : nodes) {
            if (node != null) {
                running.add(node);
            }
        }
        return running;
    }

    /** How many running members hold the key (read without touching statistics or expiry order). */
    int copies(String key) {
        return (int) running().stream().filter(n -> n.server().engine().peek(key) != null).count();
    }

    void awaitMembersUp(int i, int expected) {
        await(() -> membersUp(nodes[i]) == expected, () -> "node " + i + " to see " + expected + " members up: "
                + nodes[i].get("/cluster").body());
    }

    static long membersUp(TestNode node) {
        JsonObject view = node.get("/cluster").json();
        return view.getJsonArray("members").stream()
                .filter(m -> m.asJsonObject().getString("status").equals("up")).count();
    }

    static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A loopback port held by a bound socket that does not listen, until its member listens on the port. */
    @Override
    public void close() {
        for (int i = 0; i < nodes.length; i++) {
            reservations[i].close();
            if (nodes[i] != null) {
                kill(i);
            }
        }
    }
}
