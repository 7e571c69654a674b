package io.cachegrid.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrequencySketchTest {

    @Test
    void countsUpToFifteen() {
        FrequencySketch sketch = new FrequencySketch(1024);
        for (int i = 0; i < 7; i++) {
            sketch.increment(Keys.hash("seven"));
        }
        assertEquals(7, sketch.frequency(Keys.hash("seven")));
        for (int i = 0; i < 20; i++) {
            sketch.increment(Keys.hash("many"));
        }
        assertEquals(FrequencySketch.MAX_COUNT, sketch.frequency(Keys.hash("many")));
        assertEquals(0, sketch.frequency(Keys.hash("never-seen")));
    }

    @Test
    void halvesEveryCounterWhenTheSampleOfTenTimesCapacityIsComplete() {
        int capacity = 64;
        FrequencySketch sketch = new FrequencySketch(capacity);
        for (int i = 0; i < 12; i++) {
            sketch.increment(Keys.hash("hot"));
        }
        int before = sketch.frequency(Keys.hash("hot"));
        int others = 0;
        while (sketch.frequency(Keys.hash("hot")) >= before) {
            before = sketch.frequency(Keys.hash("hot"));     // collisions may still raise it a little
            sketch.increment(Keys.hash("other-" + others++));
            sketch.checkInvariants();
        }
        assertEquals(10 * capacity - 12, others);
        assertTrue(sketch.frequency(Keys.hash("hot")) <= (before + 1) / 2, "halved from " + before);
    }

    @Test
    void distinctKeysRarelyCollideWithinCapacity() {
        FrequencySketch sketch = new FrequencySketch(1000);
        for (int i = 0; i < 1000; i++) {
            sketch.increment(Keys.hash("key-" + i));
        }
        int overestimated = 0;
        for (int i = 0; i < 1000; i++) {
            overestimated += sketch.frequency(Keys.hash("key-" + i)) > 1 ? 1 : 0;
        }
        assertTrue(overestimated < 50, overestimated + " of 1000 keys overestimated");
    }
}
