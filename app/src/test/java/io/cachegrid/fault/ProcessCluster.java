package io.cachegrid.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.cachegrid.ChildNode;
import io.cachegrid.PortReservation;
import io.cachegrid.cluster.HashRing;
import io.cachegrid.cluster.NodeAddress;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Why: the faults a cluster must survive (a frozen JVM, kill -9, a restart, a member joining and leaving) only
 * happen to real processes, so these tests run each member as its own {@code java io.cachegrid.Main}
 * ({@link ChildNode}) on 127.0.0.1 and act on it with signals: {@code kill -STOP} / {@code -CONT} / {@code -9}.
 * <p>
 * There is a fixed number of slots; every slot's HTTP port is reserved up front ({@link PortReservation}) so that
 * every member's {@code CACHEGRID_PEERS} lists all of them, including members started later (the 4th member of a
 * scale-out). A slot whose member is not running holds its port again, so peers get "connection refused" and a
 * restart finds the port free.
 * <p>
 * No process outlives a test: tests hold a cluster in try-with-resources ({@link #close()} kills every member,
 * frozen ones too), {@link NoOrphanProcesses} kills and checks after each test class, and a shutdown hook kills
 * whatever still runs if the test JVM ends first.
 */
final class ProcessCluster implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ProcessCluster.class.getName());
    /**
     * Small members that start fast on a shared machine: the tests hold a few hundred small keys, and the quick
     * compiler alone is plenty for that load (the full JIT would compete with the tests for the few cores).
     */
    static final List<String> JVM = List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    static final int REPLICATION_FACTOR = 2;
    private static final Duration VIEW_DEADLINE = Duration.ofSeconds(45);
    static final Set<ChildNode> EVERY_RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> EVERY_RUNNING.forEach(ChildNode::kill)));
    }

    private final PortReservation[] reservations;
    private final int[] ports;
    private final ChildNode[] members;
    private final boolean[] frozen;
    private final Map<String, String> env;
    private final NodeClient client = new NodeClient(Duration.ofSeconds(5));
    private final List<AutoCloseable> loads = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ProcessCluster(int slots, Map<String, String> extraEnv) {
        reservations = new PortReservation[slots];
        ports = new int[slots];
        for (int i = 0; i < slots; i++) {
            reservations[i] = new PortReservation();
            ports[i] = reservations[i].port();
        }
        members = new ChildNode[slots];
        frozen = new boolean[slots];
        env = new HashMap<>();
        env.put("CACHEGRID_PEERS", IntStream.range(0, slots).mapToObj(this::address).collect(Collectors.joining(",")));
        env.put("CACHEGRID_REPLICATION_FACTOR", String.valueOf(REPLICATION_FACTOR));
        // health-check membership: a fault is noticed within about 2 s, and a busy member gets 1 s to answer
        env.put("CACHEGRID_MEMBERSHIP_INTERVAL", "1");
        env.put("CACHEGRID_FAILURE_TIMEOUT", "3"); // group membership: out of the view after 3 s
        env.put("CACHEGRID_MAX_MEMORY_MB", "64");
        env.putAll(extraEnv);
    }

    /** {@code slots} members' worth of reserved ports, none started; these variables on top of the defaults. */
    static ProcessCluster of(int slots, Map<String, String> extraEnv) {
        return new ProcessCluster(slots, extraEnv);
    }

    static ProcessCluster of(int slots) {
        return of(slots, Map.of());
    }

    int slots() {
        return members.length;
    }

    int port(int i) {
        return ports[i];
    }

    String address(int i) {
        return "127.0.0.1:" + ports[i];
    }

    NodeClient client() {
        return client;
    }

    ChildNode member(int i) {
        return members[i];
    }

    /** The slots whose member runs (frozen ones included). */
    List<Integer> running() {
        List<Integer> result = new ArrayList<>();
        for (int i = 0; i < members.length; i++) {
            if (members[i] != null) {
                result.add(i);
            }
        }
        return result;
    }

    /** Starts these members at once, each on its slot's port, and waits until each listens. */
    void start(int... slots) throws Exception {
        long began = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(slots.length);
        try {
            List<Future<ChildNode>> started = new ArrayList<>();
            for (int i : slots) {
                if (members[i] != null) {
                    throw new IllegalStateException("member " + i + " runs already");
                }
                Map<String, String> memberEnv = new HashMap<>(env);
                memberEnv.put("CACHEGRID_NODE_ID", "node-" + i);
                started.add(pool.submit(() -> ChildNode.start(JVM, ports[i], memberEnv)));
            }
            Exception failure = null;
            for (int n = 0; n < slots.length; n++) {
                int i = slots[n];
                try {
                    members[i] = started.get(n).get(90, TimeUnit.SECONDS);
                    EVERY_RUNNING.add(members[i]);
                    frozen[i] = false;
                } catch (Exception e) {
                    failure = failure == null ? e : failure;
                } finally {
                    reservations[i].close(); // it listens on the port now (or failed to start)
                }
            }
            if (failure != null) {
                throw failure;
            }
            LOG.log(System.Logger.Level.INFO, "members {0} listen after {1} ms", java.util.Arrays.toString(slots),
                    (System.nanoTime() - began) / 1_000_000);
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code kill -STOP}: the process stops dead (no thread runs, sockets stay open): a long GC pause, a frozen VM. */
    void freeze(int i) {
        signal(i, "-STOP");
        frozen[i] = true;
    }

    /** {@code kill -CONT}: the frozen process runs on, with whatever it held before. */
    void thaw(int i) {
        signal(i, "-CONT");
        frozen[i] = false;
    }

    /** {@code kill -9}: the member is gone at once, with everything it held in memory. */
    void kill(int i) {
        ChildNode member = members[i];
        members[i] = null;
        member.kill();
        EVERY_RUNNING.remove(member);
        reservations[i] = new PortReservation(ports[i]);
    }

    /** Stops the member as an operator does (SIGTERM, an orderly shutdown). */
    void stop(int i) {
        ChildNode member = members[i];
        members[i] = null;
        member.close();
        EVERY_RUNNING.remove(member);
        reservations[i] = new PortReservation(ports[i]);
    }

    private void signal(int i, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, String.valueOf(members[i].pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " of member " + i + " failed: "
                        + new String(kill.getInputStream().readAllBytes()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The ports of the members that {@code GET /cluster} on this member reports up (null if it did not answer). */
    Set<Integer> seenUp(int i) {
        Reply reply = client.cluster(ports[i]);
        if (reply.status() != 200) {
            return null;
        }
        Set<Integer> up = new TreeSet<>();
        for (JsonValue member : reply.json().getJsonArray("members")) {
            JsonObject m = member.asJsonObject();
            if ("up".equals(m.getString("status", ""))) {
                String address = m.getString("address");
                up.add(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
            }
        }
        return up;
    }

    /** Waits (bounded) until each of these members reports exactly these members up. */
    void awaitView(List<Integer> expected) {
        long began = System.nanoTime();
        Set<Integer> wanted = expected.stream().map(i -> ports[i]).collect(Collectors.toCollection(TreeSet::new));
        Await.until(VIEW_DEADLINE, () -> {
            for (int i : expected) {
                Set<Integer> up = seenUp(i);
                if (!wanted.equals(up)) {
                    return "member " + i + " sees " + up + " up, not " + wanted;
                }
            }
            return null;
        }, "every member in " + expected + " to see exactly those up");
        LOG.log(System.Logger.Level.INFO, "members {0} see each other after {1} ms", expected,
                (System.nanoTime() - began) / 1_000_000);
    }

    /** The ring the members compute for these live members (their HTTP addresses), as the routing code builds it. */
    HashRing ring(List<Integer> live) {
        Reply reply = client.cluster(ports[live.getFirst()]);
        int vnodes = reply.status() == 200 ? reply.json().getInt("ring_vnodes", 512) : 512;
        return HashRing.of(live.stream().map(i -> NodeAddress.parse(address(i))).toList(), vnodes);
    }

    /** Which of these members hold their own copy of each key ({@code /admin/entry/{key}?local=true}). */
    Map<String, List<Integer>> holders(java.util.Collection<String> keys, List<Integer> of) {
        Map<String, List<Integer>> result = new ConcurrentHashMap<>();
        Parallel.forEach(keys, key -> {
            List<Integer> holding = new ArrayList<>();
            for (int m : of) {
                java.util.Optional<String> got = client.localEntry(ports[m], key).readValue();
                if (got != null && got.isPresent()) {
                    holding.add(m);
                }
            }
            result.put(key, holding);
        });
        return result;
    }

    /** The slot of a member by its address as the ring names it. */
    int slotOf(NodeAddress address) {
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] == address.port()) {
                return i;
            }
        }
        throw new IllegalArgumentException("no slot for " + address);
    }

    /** Something to close with the cluster (a client load aimed at its members). */
    void closeWith(AutoCloseable load) {
        loads.add(load);
    }

    /**
     * Kills every member still running (frozen ones too: SIGKILL needs no SIGCONT), frees the ports, and then stops
     * the loads aimed at the members (whose requests now fail at once instead of waiting on a frozen member).
     */
    @Override
    public void close() {
        for (int i = 0; i < members.length; i++) {
            if (members[i] != null) {
                ChildNode member = members[i];
                members[i] = null;
                member.kill();
                EVERY_RUNNING.remove(member);
            }
            reservations[i].close();
        }
        for (AutoCloseable load : loads) {
            try {
                load.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "stopping a load failed: {0}", e.toString());
            }
        }
    }
}
