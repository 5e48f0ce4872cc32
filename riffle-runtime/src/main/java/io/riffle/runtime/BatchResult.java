package io.riffle.runtime;

import java.util.List;

/**
 * Outcomes of one batch, in event order. Without a crash there is one outcome per event. With a crash,
 * {@code outcomes} holds the events before the one that crashed (index {@code outcomes.size()}), and the events
 * after it were not attempted; the worker is dead and must be replaced.
 */
public record BatchResult(List<EventOutcome> outcomes, WorkerCrash crash) {
    public BatchResult {
        outcomes = List.copyOf(outcomes);
    }

    public boolean crashed() {
        return crash != null;
    }
}
