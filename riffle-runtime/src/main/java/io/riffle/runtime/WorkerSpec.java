package io.riffle.runtime;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to start one function worker process.
 *
 * @param python         interpreter: the version's virtualenv python, or the base python when no requirements
 * @param handlerFile    the handler source file; its directory is put first on {@code sys.path}
 * @param workDir        the process's working directory and HOME (created if missing)
 * @param environment    the pipeline's environment variables; the worker gets only these plus PATH, LANG, HOME
 * @param memoryLimitMb  RLIMIT_AS of the process in MiB, 0 for none
 * @param maxResultBytes largest JSON result one event may produce; a larger one is a {@link EventOutcome.Failure}
 * @param logs           where the function's log entries go
 * @param asyncConcurrency events of one batch an {@code async def} handler runs at once (1..10000)
 */
public record WorkerSpec(Path python, Path handlerFile, Path workDir, Map<String, String> environment,
                         int memoryLimitMb, int maxResultBytes, LogSink logs, int asyncConcurrency) {
    public static final int DEFAULT_MAX_RESULT_BYTES = 1 << 20;
    public static final int DEFAULT_ASYNC_CONCURRENCY = 64;

    public WorkerSpec {
        environment = Map.copyOf(environment);
        if (asyncConcurrency < 1 || asyncConcurrency > 10_000) {
            throw new IllegalArgumentException("async concurrency must be between 1 and 10000; got "
                + asyncConcurrency);
        }
    }

    /** A spec with the default async concurrency. */
    public WorkerSpec(Path python, Path handlerFile, Path workDir, Map<String, String> environment,
                      int memoryLimitMb, int maxResultBytes, LogSink logs) {
        this(python, handlerFile, workDir, environment, memoryLimitMb, maxResultBytes, logs,
            DEFAULT_ASYNC_CONCURRENCY);
    }
}
