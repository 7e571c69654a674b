package io.cachegrid.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HillClimberTest {
    private static final int CAPACITY = 10;
    private static final int SAMPLE = HillClimber.SAMPLE_REQUESTS_PER_ENTRY * CAPACITY;   // 100 requests

    /** Feeds one sample with this many hits out of 100 and returns the move it ends with. */
    private static double sample(HillClimber climber, int hits) {
        double move = 0;
        for (int i = 0; i < SAMPLE; i++) {
            double result = climber.record(i < hits);
            if (i < SAMPLE - 1) {
                assertEquals(0, result, "no move before the sample is complete");
            }
            move = result;
        }
        climber.checkInvariants();
        return move;
    }

    @Test
    void keepsDirectionWhileTheHitRateImprovesAndReversesWhenItDrops() {
        HillClimber climber = new HillClimber(CAPACITY);
        double step = HillClimber.INITIAL_STEP;
        assertEquals(step, sample(climber, 50), 1e-12);                 // 0 -> 0.50: sharp rise, grow, restart
        assertEquals(step, sample(climber, 52), 1e-12);                 // +0.02 helped: grow again, decay
        step *= HillClimber.STEP_DECAY;
        assertEquals(step, sample(climber, 53), 1e-12);                 // +0.01: again
        step *= HillClimber.STEP_DECAY;
        assertEquals(-step, sample(climber, 51), 1e-12);                // -0.02 hurt: shrink
        step *= HillClimber.STEP_DECAY;
        assertEquals(-step, sample(climber, 51), 1e-12);                // no change counts as no harm: keep going
    }

    @Test
    void aSharpChangeRestartsTheFullStepInTheNewDirection() {
        HillClimber climber = new HillClimber(CAPACITY);
        sample(climber, 50);
        for (int i = 0; i < 20; i++) {
            sample(climber, 50);                                        // the step decays while nothing changes
        }
        assertEquals(HillClimber.INITIAL_STEP * Math.pow(HillClimber.STEP_DECAY, 20), climber.step(), 1e-12);
        double move = sample(climber, 30);                              // -0.20: the workload changed
        assertEquals(-HillClimber.INITIAL_STEP * Math.pow(HillClimber.STEP_DECAY, 20), move, 1e-12);
        assertEquals(-HillClimber.INITIAL_STEP, climber.step(), 1e-12);
    }

    @Test
    void restartingTheSampleDiscardsItsRequests() {
        HillClimber climber = new HillClimber(CAPACITY);
        for (int i = 0; i < SAMPLE - 1; i++) {
            climber.record(true);
        }
        climber.restartSample();
        assertEquals(0, climber.sampled());
        assertEquals(0, climber.record(false));
    }
}
