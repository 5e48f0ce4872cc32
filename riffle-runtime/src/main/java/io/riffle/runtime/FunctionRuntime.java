package io.riffle.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Entry point of the Python runtime: builds function environments, writes handler files, starts workers and runs
 * one-off tests. Thread-safe; builds of the same requirements on one machine are done once.
 */
public interface FunctionRuntime {
    static FunctionRuntime create(RuntimeConfig config) {
        return PythonRuntime.create(config);
    }

    /**
     * Prepares a function version: the virtualenv for its requirements (cached by a hash of the normalised text;
     * none when empty) and an import check of the handler with the given environment. Blocking.
     */
    BuildResult build(String source, String requirementsTxt, Map<String, String> environment);

    /**
     * The interpreter for these requirements, building the virtualenv on this machine when it is not cached yet
     * (workers on other machines call this).
     *
     * @throws io.riffle.core.RiffleException when the build fails
     */
    Path pythonFor(String requirementsTxt);

    /** Writes the handler source of a version to disk (once) and returns the file. */
    Path handlerFile(String pipelineId, int version, String source);

    /** The working directory for a replica of a pipeline, created if missing. */
    Path workDir(String pipelineId, int replica);

    /** Starts a worker process. */
    FunctionWorker startWorker(WorkerSpec spec);

    /**
     * How workers are isolated from Riffle and from each other, in one line for the start-up banner, e.g.
     * {@code "isolated, one uid per pipeline from 40001, at most 256 processes each"}.
     */
    default String isolation() {
        return "not isolated";
    }

    /** Runs the handler once on a sample event in a fresh process; nothing is published. */
    TestRun test(String source, String requirementsTxt, Map<String, String> environment, byte[] event,
                 Duration timeout, int memoryLimitMb);
}
