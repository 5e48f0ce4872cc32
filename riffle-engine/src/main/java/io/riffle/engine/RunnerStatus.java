package io.riffle.engine;

/**
 * What one pipeline's runners are doing in this engine.
 *
 * @param version   the function version they run
 * @param replicas  runners alive
 * @param restarts  worker processes replaced after a crash or timeout since the deployment started
 * @param lastError the last worker crash or load error, or null
 */
public record RunnerStatus(int version, int replicas, long restarts, String lastError) {
}
