package io.riffle.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-pipeline meters of the runners (names in docs/metrics.md; the only tag is the pipeline id, never event data).
 */
final class RunnerMetrics {
    static final String EVENTS_OUT = "riffle.pipeline.events.out";
    static final String EVENTS_FAILED = "riffle.pipeline.events.failed";
    static final String EVENTS_FILTERED = "riffle.pipeline.events.filtered";
    static final String EVENTS_PROCESSED = "riffle.pipeline.events.processed";
    static final String FUNCTION_DURATION = "riffle.pipeline.function.duration";
    static final String LATENCY = "riffle.pipeline.latency";
    static final String WORKER_CRASHES = "riffle.pipeline.worker.crashes";
    static final String SUCCEEDED = "succeeded";
    static final String FILTERED = "filtered";
    static final String FAILED = "failed";
    private final Counter out;
    private final Counter failed;
    private final Counter filtered;
    private final Counter processedCounter;
    private final Timer function;
    private final Timer latency;
    private final LongAdder processed = new LongAdder();
    private final MeterRegistry registry;
    private final String pipelineId;

    RunnerMetrics(MeterRegistry registry, String pipelineId) {
        this.registry = registry;
        this.pipelineId = pipelineId;
        this.out = Counter.builder(EVENTS_OUT).tag("pipeline", pipelineId)
            .description("results the function produced and Riffle stored").register(registry);
        this.failed = Counter.builder(EVENTS_FAILED).tag("pipeline", pipelineId)
            .description("events sent to the dead letters").register(registry);
        this.filtered = Counter.builder(EVENTS_FILTERED).tag("pipeline", pipelineId)
            .description("events the function filtered out (returned None)").register(registry);
        this.processedCounter = Counter.builder(EVENTS_PROCESSED).tag("pipeline", pipelineId)
            .description("input events finished, whatever their outcome").register(registry);
        this.function = Timer.builder(FUNCTION_DURATION).tag("pipeline", pipelineId)
            .description("time in the Python function per event (batch time divided by its events)")
            .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(1_000)).maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry);
        this.latency = Timer.builder(LATENCY).tag("pipeline", pipelineId)
            .description("end to end: publish accepted to result stored")
            .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofMinutes(10))
            .register(registry);
    }

    /** Counts one input event's outcome; {@code results} is how many results it produced. */
    void outcome(String which, int results) {
        processed.increment();
        processedCounter.increment();
        switch (which) {
            case SUCCEEDED -> out.increment(results);
            case FILTERED -> filtered.increment();
            default -> failed.increment();
        }
    }

    /** Counts a worker that timed out, exited or broke the protocol ({@code reason}: the crash kind, lower case). */
    void crash(String reason) {
        Counter.builder(WORKER_CRASHES).tag("pipeline", pipelineId).tag("reason", reason)
            .description("worker processes that timed out, exited or broke the protocol (each is restarted)")
            .register(registry).increment();
    }

    /** Events finished so far, whatever their outcome. */
    long processed() {
        return processed.sum();
    }

    void recordBatch(int events, long nanos) {
        if (events > 0) {
            long each = nanos / events;
            for (int i = 0; i < events; i++) {
                function.record(each, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Publish-to-stored latency of an input whose results were just stored. */
    void stored(Instant receivedAt, Instant now) {
        var d = Duration.between(receivedAt, now);
        if (!d.isNegative()) {
            latency.record(d);
        }
    }

    Timer latency() {
        return latency;
    }
}
