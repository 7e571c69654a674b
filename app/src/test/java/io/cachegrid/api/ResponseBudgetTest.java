package io.cachegrid.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.helidon.http.Status;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bound on response bytes in flight: reserve, wait, refuse. No sleeps decide an outcome. */
class ResponseBudgetTest {

    @Test
    void anAnswerLargerThanTheWholeBudgetIs413NamingTheSetting() {
        ResponseBudget budget = new ResponseBudget(1000);
        ApiException e = assertThrows(ApiException.class, () -> budget.reserve(1001, "the answer to this batch"));
        assertEquals(Status.REQUEST_ENTITY_TOO_LARGE_413, e.status());
        assertTrue(e.detail().contains("CACHEGRID_MAX_RESPONSE_BYTES") && e.detail().contains("1000")
                && e.detail().contains("the answer to this batch"), e.detail());
        assertEquals(0, budget.inFlight());
    }

    @Test
    void reservationsAddUpAndAreReleasedOnce() {
        ResponseBudget budget = new ResponseBudget(1000);
        ResponseBudget.Lease a = budget.reserve(600, "a");
        ResponseBudget.Lease b = budget.reserve(400, "b");
        assertEquals(1000, budget.inFlight());
        a.close();
        a.close();
        assertEquals(400, budget.inFlight());
        b.close();
        assertEquals(0, budget.inFlight());
    }

    @Test
    void aFullBudgetAnswers503WithRetryAfterAfterItsBoundedWait() {
        ResponseBudget budget = new ResponseBudget(1000);
        try (ResponseBudget.Lease held = budget.reserve(1000, "held")) {
            ApiException e = assertThrows(ApiException.class, () -> budget.reserve(1, "the value of \"k\""));
            assertEquals(Status.SERVICE_UNAVAILABLE_503, e.status());
            assertTrue(e.retryAfterSeconds() > 0);
            assertTrue(e.detail().contains("CACHEGRID_MAX_RESPONSE_BYTES"), e.detail());
            assertEquals(1000, budget.inFlight());
        }
        assertEquals(0, budget.inFlight());
    }

    @Test
    void aWaitingAnswerProceedsWhenRoomIsReleased() throws Exception {
        ResponseBudget budget = new ResponseBudget(1000);
        ResponseBudget.Lease held = budget.reserve(900, "held");
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<ResponseBudget.Lease> waiter = CompletableFuture.supplyAsync(() -> {
            started.countDown();
            return budget.reserve(500, "waiter");
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        held.close(); // whether the waiter already waits or not yet, it must get its room
        ResponseBudget.Lease got = waiter.get(10, TimeUnit.SECONDS);
        assertEquals(500, budget.inFlight());
        got.close();
        assertEquals(0, budget.inFlight());
    }
}
