package io.cachegrid.cluster;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Why: a signed request recorded off the wire must not work a second time, yet remembering every nonce ever seen
 * would grow without bound. Each sender numbers its requests 1, 2, 3, ... (a new random sender id each start), so
 * per sender it is enough to keep the highest number seen and a bitmap of the {@value #WINDOW} numbers below it,
 * as IPsec does: a number already marked, or older than the window, is refused. Requests overtake each other a
 * little on pooled connections, never by a million. A sender silent for longer than the timestamp tolerance is
 * forgotten: any request of its that could be replayed is by then refused for its timestamp alone. Memory: 128 KiB
 * per sender heard from in the last {@code idleNanos}, and senders are only members (the MAC is checked first).
 */
final class ReplayWindow {

    static final int WINDOW = 1 << 20;

    private final long idleNanos;
    private final Map<Long, Window> senders = new HashMap<>();

    ReplayWindow(long idleNanos) {
        this.idleNanos = idleNanos;
    }

    /** True the first time a (sender, sequence) pair is offered, false for a repeat or one too old to tell. */
    synchronized boolean firstUse(long sender, long sequence, long nowNanos) {
        forgetIdle(nowNanos);
        Window window = senders.computeIfAbsent(sender, s -> new Window());
        window.lastUsed = nowNanos;
        return window.mark(sequence);
    }

    synchronized int senders() {
        return senders.size();
    }

    private void forgetIdle(long nowNanos) {
        Iterator<Window> it = senders.values().iterator();
        while (it.hasNext()) {
            if (nowNanos - it.next().lastUsed > idleNanos) {
                it.remove();
            }
        }
    }

    private static final class Window {
        private final long[] bits = new long[WINDOW / 64];
        private long highest;
        private long lastUsed;

        boolean mark(long seq) {
            if (seq <= 0 || seq <= highest - WINDOW) {
                return false;
            }
            if (seq > highest) {
                long clearFrom = Math.max(highest + 1, seq - WINDOW + 1);
                if (seq - highest >= WINDOW) {
                    java.util.Arrays.fill(bits, 0);
                } else {
                    for (long s = clearFrom; s <= seq; s++) {
                        clear(s);
                    }
                }
                highest = seq;
            } else if (isSet(seq)) {
                return false;
            }
            set(seq);
            return true;
        }

        private int index(long seq) {
            return (int) ((seq % WINDOW) >>> 6);
        }

        private boolean isSet(long seq) {
            return (bits[index(seq)] & (1L << (seq & 63))) != 0;
        }

        private void set(long seq) {
            bits[index(seq)] |= 1L << (seq & 63);
        }

        private void clear(long seq) {
            bits[index(seq)] &= ~(1L << (seq & 63));
        }
    }
}
