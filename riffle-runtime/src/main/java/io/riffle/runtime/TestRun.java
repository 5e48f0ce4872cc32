package io.riffle.runtime;

import java.util.List;

/**
 * The result of running a handler on one sample event: exactly one of {@code outcome} and {@code crash} is set,
 * or {@code loadError} when the handler did not import. {@code logs} are the log entries it wrote.
 */
public record TestRun(EventOutcome outcome, WorkerCrash crash, FunctionLoadException loadError, List<byte[]> logs) {
    public TestRun {
        logs = List.copyOf(logs);
    }
}
