package io.cachegrid.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrequencySketchTest {

    @Test
    void countsUpToFifteen() {
        FrequencySketch sketch = new FrequencySketch(1024);
        for (int i = 0; i < 7; i++) {
            sketch.increment("seven");
        }
        assertEquals(7, sketch.frequency("seven"));
        for (int i = 0; i < 20; i++) {
            sketch.increment("many");
        }
        assertEquals(FrequencySketch.MAX_COUNT, sketch.frequency("many"));
        assertEquals(0, sketch.frequency("never-seen"));
    }

    @Test
    void halvesEveryCounterWhenTheSampleOfTenTimesCapacityIsComplete() {
        int capacity = 64;
        FrequencySketch sketch = new FrequencySketch(capacity);
        for (int i = 0; i < 12; i++) {
            sketch.increment("hot");
        }
        int before = sketch.frequency("hot");
        int others = 0;
        while (sketch.frequency("hot") >= before) {
            before = sketch.frequency("hot");     // collisions may still raise it a little
            sketch.increment("other-" + others++);
            sketch.checkInvariants();
        }
        assertEquals(10 * capacity - 12, others);
        assertTrue(sketch.frequency("hot") <= (before + 1) / 2, "halved from " + before);
    }

    @Test
    void distinctKeysRarelyCollideWithinCapacity() {
        FrequencySketch sketch = new FrequencySketch(1000);
        for (int i = 0; i < 1000; i++) {
            sketch.increment("key-" + i);
        }
        int overestimated = 0;
        for (int i = 0; i < 1000; i++) {
            overestimated += sketch.frequency("key-" + i) > 1 ? 1 : 0;
        }
        assertTrue(overestimated < 50, overestimated + " of 1000 keys overestimated");
    }
}
