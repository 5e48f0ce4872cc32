package io.riffle.runtime;

import java.time.Duration;
import java.util.List;

/**
 * One CPython process running a handler, fed batches over the length-prefixed protocol in
 * {@code docs/worker-protocol.md}. Not thread-safe: one caller (a runner) uses it at a time.
 */
public interface FunctionWorker extends AutoCloseable {
    /**
     * Starts a process, imports the handler and waits for its hello.
     *
     * @throws FunctionLoadException when the handler cannot be imported or defines no callable {@code handler}
     */
    static FunctionWorker start(WorkerSpec spec) {
        return PythonWorker.start(spec);
    }

    /**
     * Runs the handler on each event (JSON bytes) and returns the outcomes. When one event takes longer than
     * {@code perEventTimeout}, the process is killed and the result says {@link WorkerCrash.Reason#TIMEOUT}.
     */
    BatchResult process(List<byte[]> events, Duration perEventTimeout);

    /** True while the process runs and has not crashed. */
    boolean alive();

    /** The process id. */
    long pid();

    /** Asks the process to exit, waits a bounded time, then kills it. Idempotent. */
    @Override
    void close();
}
