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
 */
public record WorkerSpec(Path python, Path handlerFile, Path workDir, Map<String, String> environment,
                         int memoryLimitMb, int maxResultBytes, LogSink logs) {
    public static final int DEFAULT_MAX_RESULT_BYTES = 1 << 20;

    public WorkerSpec {
        environment = Map.copyOf(environment);
    }
}
