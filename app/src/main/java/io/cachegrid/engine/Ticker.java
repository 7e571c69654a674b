package io.cachegrid.engine;

/** A source of monotonic nanoseconds; tests inject a fake clock instead of sleeping. */
@FunctionalInterface
public interface Ticker {
    long nanos();

    static Ticker system() {
        return System::nanoTime;
    }
}
