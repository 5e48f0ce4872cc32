package io.riffle.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** Per-pipeline counters and timers of the runners. */
final class RunnerMetrics {
    static final String EVENTS = "riffle.engine.events";
    static final String BATCH_DURATION = "riffle.engine.batch.duration";
    static final String SUCCEEDED = "succeeded";
    static final String FILTERED = "filtered";
    static final String FAILED = "failed";
    private final Counter succeeded;
    private final Counter filtered;
    private final Counter failed;
    private final Timer batches;
    private final java.util.concurrent.atomic.LongAdder processed = new java.util.concurrent.atomic.LongAdder();

    RunnerMetrics(MeterRegistry registry, String pipelineId) {
        this.succeeded = counter(registry, pipelineId, SUCCEEDED);
        this.filtered = counter(registry, pipelineId, FILTERED);
        this.failed = counter(registry, pipelineId, FAILED);
        this.batches = Timer.builder(BATCH_DURATION).tag("pipeline", pipelineId)
            .description("time the Python worker took for one batch").register(registry);
    }

    private static Counter counter(MeterRegistry registry, String pipelineId, String outcome) {
        return Counter.builder(EVENTS).tag("pipeline", pipelineId).tag("outcome", outcome)
            .description("events processed by the function, by outcome").register(registry);
    }

    void outcome(String which) {
        processed.increment();
        switch (which) {
            case SUCCEEDED -> succeeded.increment();
            case FILTERED -> filtered.increment();
            default -> failed.increment();
        }
    }

    /** Events finished so far, whatever their outcome. */
    long processed() {
        return processed.sum();
    }

    void recordBatch(int events, long nanos) {
        if (events > 0) {
            batches.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
