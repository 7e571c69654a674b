package io.cachegrid.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A gap between two ticks longer than the threshold (a freeze) is reported once; regular ticks are not. */
class PauseDetectorTest {

    @Test
    void aLongGapBetweenTicksIsAPause() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        AtomicInteger pauses = new AtomicInteger();
        try (PauseDetector detector = new PauseDetector(Duration.ofSeconds(1), pauses::incrementAndGet, now::get)) {
            for (int i = 0; i < 50; i++) {
                now.addAndGet(Duration.ofMillis(150).toNanos()); // a busy machine: late ticks, no pause
                detector.tick();
            }
            assertEquals(0, pauses.get());
            assertEquals(false, detector.overdue());
            now.addAndGet(Duration.ofSeconds(12).toNanos());     // SIGSTOP for 12 s, then SIGCONT
            assertEquals(true, detector.overdue(), "a read served before the ticker ran sees the pause");
            detector.tick();
            assertEquals(1, pauses.get());
            now.addAndGet(Duration.ofMillis(100).toNanos());
            detector.tick();
            assertEquals(1, pauses.get(), "reported once");
            assertEquals(false, detector.overdue());
        }
    }

    /**
     * From the wake-up until the pause is handled (repair marked pending), {@code overdue()} stays true: a read
     * served in between must see one or the other (FreezeTest once got two stale reads right as the frozen member resumed).
     */
    @Test
    void aWakeUpStaysOverdueUntilThePauseIsHandled() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        AtomicReference<PauseDetector> self = new AtomicReference<>();
        List<Boolean> overdueWhileHandling = new ArrayList<>();
        try (PauseDetector detector = new PauseDetector(Duration.ofSeconds(1),
                () -> overdueWhileHandling.add(self.get().overdue()), now::get)) {
            self.set(detector);
            now.addAndGet(Duration.ofSeconds(10).toNanos());
            detector.tick();
            assertEquals(List.of(true), overdueWhileHandling);
            assertEquals(false, detector.overdue(), "handled: the ticker moved on");
        }
    }
}
