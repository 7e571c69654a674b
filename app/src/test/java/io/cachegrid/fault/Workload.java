package io.cachegrid.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Why: faults matter while clients write. This is a steady load of puts and deletes (and, if asked, reads) by
 * several client threads, each operation recorded in a {@link History}: either each key has one writer (keys
 * partitioned among the threads, so the history of a key is sequential), or every thread writes every key
 * (concurrent writers of the same keys).
 * The members a thread sends to are asked anew for every operation, so a test can steer the load away from a
 * member it is about to stop. Can be started and stopped repeatedly; operations keep one history. Closing the
 * cluster stops its loads too, so a test failing half-way leaves no writer running.
 */
final class Workload implements AutoCloseable {

    /** No writer runs longer than this, even if a failing test never stops it. */
    private static final long MAX_RUN_NANOS = 5L * 60 * 1_000_000_000L;

    private static final AtomicLong WRITES = new AtomicLong();

    private final ProcessCluster cluster;
    private final NodeClient client;
    private final History history;
    private final List<String> keys;
    private final int writers;
    private final boolean partitioned;
    private final double deleteShare;
    private volatile double readShare;
    private final IntFunction<List<Integer>> targets;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    /**
     * @param client      the client the writers use (its timeout decides when an answer is "unknown")
     * @param partitioned true: key i belongs to writer i % writers alone; false: every writer writes every key
     * @param deleteShare the share of the writes that are deletes (0 .. 1)
     * @param targets     for writer w, the members it may send to now (one is picked at random per operation)
     */
    Workload(ProcessCluster cluster, NodeClient client, History history, List<String> keys, int writers,
             boolean partitioned, double deleteShare, IntFunction<List<Integer>> targets) {
        this.cluster = cluster;
        this.client = client;
        this.history = history;
        this.keys = List.copyOf(keys);
        this.writers = writers;
        this.partitioned = partitioned;
        this.deleteShare = deleteShare;
        this.targets = targets;
        cluster.closeWith(this);
    }

    /**
     * From now on this share of the operations are reads of the writer's own keys, recorded and judged by
     * {@link LiveReads} (0 by default).
     */
    Workload withReads(double share) {
        this.readShare = share;
        return this;
    }

    /** Every writer may send to whatever {@code members} says when it sends. */
    static IntFunction<List<Integer>> anyOf(Supplier<List<Integer>> members) {
        return w -> members.get();
    }

    void start() {
        if (running) {
            throw new IllegalStateException("already running");
        }
        running = true;
        threads.clear();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                if (!partitioned || i % writers == writer) {
                    mine.add(keys.get(i));
                }
            }
            threads.add(Thread.ofPlatform().daemon().name("writer-" + w).start(() -> loop(writer, mine)));
        }
    }

    /** Stops every writer after its current operation and waits for them (each is bounded by the client timeout). */
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(60_000);
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " did not finish its operation within 60 s");
            }
        }
    }

    /** Stops the writers (if running) without failing: for the end of a test, whatever happened in it. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(60_000);
        }
    }

    private void loop(int writer, List<String> mine) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long began = System.nanoTime();
        while (running && System.nanoTime() - began < MAX_RUN_NANOS) {
            String key = mine.get(random.nextInt(mine.size()));
            List<Integer> to = targets.apply(writer);
            int member = to.get(random.nextInt(to.size()));
            double dice = random.nextDouble();
            if (dice < readShare) {
                read(key, member);
            } else if (random.nextDouble() < deleteShare) {
                delete(key, member);
            } else {
                put(key, member, "w" + writer + "-" + WRITES.incrementAndGet());
            }
            Await.pause(5); // a steady load, not a flood: the machine is shared
        }
    }

    /** One recorded put of {@code value} through {@code member}. */
    Op put(String key, int member, String value) {
        long start = System.nanoTime();
        Reply reply = client.put(cluster.port(member), key, value);
        Op op = new Op(key, Op.Kind.PUT, value, reply.outcome(), start, System.nanoTime(), member,
                reply.outcome() == Op.Outcome.ACK ? reply.version() : "", reply.toString());
        history.record(op);
        return op;
    }

    /** One read through {@code member}, recorded if it got an answer. */
    void read(String key, int member) {
        long start = System.nanoTime();
        Reply reply = client.get(cluster.port(member), key);
        long end = System.nanoTime();
        java.util.Optional<String> seen = reply.readValue();
        if (seen != null) {
            history.record(new Read(key, member, start, end, seen, reply.toString()));
        }
    }

    /** One recorded delete through {@code member}. */
    Op delete(String key, int member) {
        long start = System.nanoTime();
        Reply reply = client.delete(cluster.port(member), key);
        Op op = new Op(key, Op.Kind.DELETE, null, reply.outcome(), start, System.nanoTime(), member, "",
                reply.toString());
        history.record(op);
        return op;
    }

    /** Writes a first value of every key through these members in turn (recorded); all must be acknowledged. */
    void preload(List<Integer> members) {
        for (int i = 0; i < keys.size(); i++) {
            Op op = put(keys.get(i), members.get(i % members.size()), "initial-" + WRITES.incrementAndGet());
            if (op.outcome() != Op.Outcome.ACK) {
                throw new AssertionError("preloading " + op.key() + " failed with a healthy cluster: " + op.detail());
            }
        }
    }
}
