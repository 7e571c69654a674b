package io.cachegrid.client;

import java.util.concurrent.atomic.AtomicLong;

import io.helidon.webclient.api.WebClient;

/** One server address with its HTTP client (and its keep-alive connections) and the time until which it is down. */
final class Host {
    private static final long UP = Long.MIN_VALUE;

    private final String address;
    private final WebClient client;
    private final AtomicLong downUntilNanos = new AtomicLong(UP);

    Host(String address, WebClient client) {
        this.address = address;
        this.client = client;
    }

    String address() {
        return address;
    }

    WebClient client() {
        return client;
    }

    boolean isDown(long nowNanos) {
        long until = downUntilNanos.get();
        return until != UP && until - nowNanos > 0;
    }

    long downUntilNanos() {
        return downUntilNanos.get();
    }

    void markDown(long untilNanos) {
        downUntilNanos.set(untilNanos);
    }

    void markUp() {
        if (downUntilNanos.get() != UP) {
            downUntilNanos.set(UP);
        }
    }

    @Override
    public String toString() {
        return address;
    }
}
