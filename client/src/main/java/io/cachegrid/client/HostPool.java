package io.cachegrid.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Chooses the host for the next attempt. Hosts are kept in the order given: the first host that is not marked down
 * wins, so traffic returns to a preferred host once its back-off period is over. When every host is down, the one
 * whose back-off ends first is chosen, which rotates through the hosts across retries. A call for a key prefers the
 * key's owners (cluster members, connected on first use and kept); when none of them is up it falls back to the
 * configured hosts, which forward.
 */
final class HostPool {
    private final List<Host> hosts;
    private final long backoffNanos;
    private final Function<String, Host> connect;
    private final ConcurrentHashMap<String, Host> members = new ConcurrentHashMap<>();

    HostPool(List<Host> hosts, Duration backoff) {
        this(hosts, backoff, address -> null);
    }

    HostPool(List<Host> hosts, Duration backoff, Function<String, Host> connect) {
        this.hosts = List.copyOf(hosts);
        this.backoffNanos = backoff.toNanos();
        this.connect = connect;
        this.hosts.forEach(host -> members.put(host.address(), host));
    }

    /** The first of {@code preferred} (member addresses) that is not down, else {@link #choose()}. */
    Host choose(List<String> preferred) {
        long now = System.nanoTime();
        for (String address : preferred) {
            Host host = members.computeIfAbsent(address, connect);
            if (host != null && !host.isDown(now)) {
                return host;
            }
        }
        return choose();
    }

    Host choose() {
        long now = System.nanoTime();
        Host soonest = hosts.getFirst();
        for (Host host : hosts) {
            if (!host.isDown(now)) {
                return host;
            }
            if (host.downUntilNanos() - soonest.downUntilNanos() < 0) {
                soonest = host;
            }
        }
        return soonest;
    }

    boolean isDown(Host host) {
        return host.isDown(System.nanoTime());
    }

    void markDown(Host host) {
        host.markDown(System.nanoTime() + backoffNanos);
    }

    void markUp(Host host) {
        host.markUp();
    }

    List<Host> hosts() {
        return hosts;
    }

    /** Every host with a client: the configured ones and the members connected since. */
    List<Host> allHosts() {
        return List.copyOf(members.values());
    }
}
