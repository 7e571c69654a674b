package io.cachegrid;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connection cap fits the descriptor limit: descriptors open now and a reserve are left out. */
class ConnectionCapTest {

    @Test
    void capLeavesTheDescriptorsTheProcessNeeds() {
        // ulimit -n 400 with 100 open: 400 - 100 - 64 (the minimum reserve)
        assertEquals(236, ConnectionGuard.effectiveCap(10_000, 400, 100));
        // 20000: a tenth is reserved, so 17900 fit and the configured 10000 stands
        assertEquals(10_000, ConnectionGuard.effectiveCap(10_000, 20_000, 100));
        assertEquals(17_900, ConnectionGuard.effectiveCap(100_000, 20_000, 100));
        assertEquals(10, ConnectionGuard.effectiveCap(10, 20_000, 100));
        // no room at all: still one connection, never zero or negative
        assertEquals(1, ConnectionGuard.effectiveCap(10_000, 100, 100));
    }

    @Test
    void thisProcessGetsAPositiveCap() {
        int cap = ConnectionGuard.effectiveCap(10_000);
        assertTrue(cap >= 1 && cap <= 10_000, "cap " + cap);
    }
}
