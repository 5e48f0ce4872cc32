package io.riffle.server;

import io.riffle.broker.JetStreamBroker;
import io.riffle.engine.Engine;
import io.riffle.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Riffle's own short history of every pipeline's throughput, backlog, replicas and latency, sampled from
 * JetStream (so it is right whichever process runs the engine) every {@link #STEP}, kept for {@link #KEEP}. It
 * feeds the web app's charts and the CLI without a Prometheus server. Thread-safe.
 */
final class MetricsHistory implements AutoCloseable {
    static final Duration STEP = Duration.ofSeconds(5);
    static final Duration KEEP = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHistory.class);
    private final Database db;
    private final JetStreamBroker broker;
    private final Engine engine;
    private final Clock clock;
    private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("metrics-history").factory());

    /**
     * One sample; totals are running counts (rates come from the difference of two samples).
     */
    record Sample(Instant at, long inputTotal, long outputTotal, long failedTotal, long backlog, int replicas,
                  Double latencyP50, Double latencyP99) {
    }

    MetricsHistory(Database db, JetStreamBroker broker, Engine engine, Clock clock) {
        this.db = db;
        this.broker = broker;
        this.engine = engine;
        this.clock = clock;
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::sampleAll, 0, STEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sampleAll() {
        try {
            var seen = new java.util.HashSet<String>();
            for (var p : db.pipelines().listAll()) {
                seen.add(p.id());
                sample(p.id());
            }
            samples.keySet().retainAll(seen);
        } catch (RuntimeException e) {
            LOG.debug("metrics history: skipped a sample: {}", e.toString());
        }
    }

    void sample(String pipelineId) {
        var stats = broker.stats(pipelineId);
        var runners = engine == null ? null : engine.status().get(pipelineId);
        var sample = new Sample(clock.instant(), stats.inputTotal(), stats.outputTotal(), stats.failedTotal(),
            stats.backlog() + stats.inFlight(), runners == null ? 0 : runners.replicas(),
            latency(pipelineId, 0.5), latency(pipelineId, 0.99));
        var series = samples.computeIfAbsent(pipelineId, k -> new ArrayDeque<>());
        synchronized (series) {
            series.addLast(sample);
            var oldest = sample.at().minus(KEEP);
            while (!series.isEmpty() && series.peekFirst().at().isBefore(oldest)) {
                series.removeFirst();
            }
        }
    }

    private Double latency(String pipelineId, double percentile) {
        if (engine == null) {
            return null;
        }
        var v = engine.latencyMillis(pipelineId, percentile);
        return v.isPresent() ? v.getAsDouble() : null;
    }

    /** Samples of the last {@code window}, oldest first. */
    List<Sample> window(String pipelineId, Duration window) {
        var series = samples.get(pipelineId);
        if (series == null) {
            return List.of();
        }
        var from = clock.instant().minus(window);
        var out = new ArrayList<Sample>();
        synchronized (series) {
            for (var s : series) {
                if (!s.at().isBefore(from)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
