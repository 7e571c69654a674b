package io.cachegrid.engine;

import java.util.List;

/** Up to a limit of matching keys, plus how many matched in all. */
public record KeyPage(List<String> keys, long totalFound) {
    public KeyPage {
        keys = List.copyOf(keys);
    }
}
