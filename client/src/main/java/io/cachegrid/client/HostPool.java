package io.cachegrid.client;

import java.time.Duration;
import java.util.List;

/**
 * Chooses the host for the next attempt. Hosts are kept in the order given: the first host that is not marked down
 * wins, so traffic returns to a preferred host once its back-off period is over. When every host is down, the one
 * whose back-off ends first is chosen, which rotates through the hosts across retries.
 */
final class HostPool {
    private final List<Host> hosts;
    private final long backoffNanos;

    HostPool(List<Host> hosts, Duration backoff) {
        this.hosts = List.copyOf(hosts);
        this.backoffNanos = backoff.toNanos();
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
}
