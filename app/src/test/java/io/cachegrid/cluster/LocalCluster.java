package io.cachegrid.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.cachegrid.TestNode;
import jakarta.json.JsonObject;

/**
 * Real cluster members in this JVM on 127.0.0.1: the ports are chosen first, so every member's CACHEGRID_PEERS
 * lists all of them, including members started later.
 */
final class LocalCluster implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(15);

    private final int[] ports;
    private final TestNode[] nodes;
    private final Map<String, String> env;

    private LocalCluster(int size, Map<String, String> extraEnv) {
        ports = freePorts(size);
        nodes = new TestNode[size];
        env = new HashMap<>(extraEnv);
        env.put("CACHEGRID_PEERS", IntStream.of(ports).mapToObj(p -> "127.0.0.1:" + p)
                .collect(Collectors.joining(",")));
        env.putIfAbsent("CACHEGRID_REPLICATION_FACTOR", "2");
        env.putIfAbsent("CACHEGRID_MEMBERSHIP_INTERVAL", "0.25");
    }

    /** A cluster of {@code size} members of which the first {@code started} run, all seeing each other. */
    static LocalCluster start(int size, int started) {
        return start(size, started, Map.of());
    }

    /** As {@link #start(int, int)}, every member with these extra variables. */
    static LocalCluster start(int size, int started, Map<String, String> extraEnv) {
        LocalCluster cluster = new LocalCluster(size, extraEnv);
        for (int i = 0; i < started; i++) {
            cluster.startNode(i);
        }
        for (int i = 0; i < started; i++) {
            cluster.awaitMembersUp(i, started);
        }
        return cluster;
    }

    TestNode startNode(int i) {
        Map<String, String> nodeEnv = new HashMap<>(env);
        nodeEnv.put("CACHEGRID_NODE_ID", "node-" + i);
        nodes[i] = TestNode.start(ports[i], nodeEnv);
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

    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the port is free again either way
                }
            }
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null) {
                kill(i);
            }
        }
    }
}
