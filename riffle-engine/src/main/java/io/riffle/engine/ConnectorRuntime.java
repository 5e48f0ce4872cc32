package io.riffle.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.riffle.broker.JetStreamBroker;
import io.riffle.connectors.ConnectorRegistry;
import io.riffle.connectors.Direction;
import io.riffle.core.Pipeline;
import io.riffle.core.PipelineStore;
import io.riffle.core.SecretResolver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the source and sink connectors of every pipeline this engine owns. Each connector of a pipeline runs on
 * exactly one live engine, chosen from the worker registry by {@link Shares} (every engine computes the same
 * choice); when that engine dies, the next reconcile elsewhere starts it. Runs for running and paused pipelines
 * alike: pausing stops the function, not the connectors. Follows announced changes and re-reads the store
 * periodically; keeps what runs when the store is unreachable. Thread-safe.
 */
public final class ConnectorRuntime implements AutoCloseable {
    static final Duration RECONCILE = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRuntime.class);
    private final Engine engine;
    private final PipelineStore pipelines;
    private final JetStreamBroker broker;
    private final ConnectorRegistry registry;
    private final SecretResolver secrets;
    private final MeterRegistry meters;
    private final Duration firstBackoff;
    private final ScheduledExecutorService scheduler;
    private final Map<String, ConnectorTask> tasks = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AutoCloseable announcements;
    private volatile boolean closed;

    private ConnectorRuntime(Engine engine, PipelineStore pipelines, JetStreamBroker broker,
                             ConnectorRegistry registry, SecretResolver secrets, MeterRegistry meters,
                             Duration firstBackoff) {
        this.engine = engine;
        this.pipelines = pipelines;
        this.broker = broker;
        this.registry = registry;
        this.secrets = secrets;
        this.meters = meters;
        this.firstBackoff = firstBackoff;
        this.scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("connectors-", 0)
            .factory());
        this.announcements = broker.onAnnouncement(id -> reconcileSoon());
        scheduler.scheduleWithFixedDelay(this::reconcileQuietly, 0, RECONCILE.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::publishStatuses, RECONCILE.toMillis(), RECONCILE.toMillis(),
            TimeUnit.MILLISECONDS);
    }

    /**
     * Starts running connectors alongside {@code engine} (whose worker id and live-engine list decide which
     * connectors run here). {@code secrets} resolves {@code secret_ref} fields at every connector start.
     */
    public static ConnectorRuntime start(Engine engine, PipelineStore pipelines, JetStreamBroker broker,
                                         ConnectorRegistry registry, SecretResolver secrets, MeterRegistry meters) {
        return new ConnectorRuntime(engine, pipelines, broker, registry, secrets, meters, Backoff.FIRST);
    }

    /** Connectors running here, as {@code <pipeline>:<source|sink>}. */
    public Set<String> running() {
        return Set.copyOf(tasks.keySet());
    }

    /** Asks for a reconcile as soon as possible (coalesced). */
    public void reconcileSoon() {
        if (!closed && queued.compareAndSet(false, true)) {
            scheduler.execute(() -> {
                queued.set(false);
                reconcileQuietly();
            });
        }
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warn("connectors: cannot read pipelines, keeping what runs: {}", e.getMessage());
        }
    }

    /** Brings the connectors running here in line with the store and the live engines. */
    public void reconcile() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            var all = pipelines.listAll();
            var wanted = wanted(all);
            var present = new HashSet<String>();
            for (var p : all) {
                if (p.sourceConnector() != null) {
                    present.add(p.id() + ":source");
                }
                if (p.sinkConnector() != null) {
                    present.add(p.id() + ":sink");
                }
            }
            var stopping = new ArrayList<ConnectorTask>();
            tasks.forEach((key, task) -> {
                var w = wanted.get(key);
                if (w == null || !w.connector().equals(task.connector)) {
                    stopping.add(task);
                }
            });
            stopping.forEach(t -> tasks.remove(key(t)));
            Parallel.runAll(stopping.stream().<Runnable>map(t -> () -> stop(t, present.contains(key(t)))).toList());
            wanted.forEach((key, w) -> {
                if (!tasks.containsKey(key)) {
                    tasks.put(key, startTask(w));
                }
            });
        } finally {
            lock.unlock();
        }
    }

    private record Wanted(Pipeline pipeline, Direction direction, JsonNode connector) {
    }

    private Map<String, Wanted> wanted(List<Pipeline> all) {
        var self = engine.workerId();
        var out = new HashMap<String, Wanted>();
        for (var p : all) {
            for (var d : Direction.values()) {
                var connector = d == Direction.SOURCE ? p.sourceConnector() : p.sinkConnector();
                if (connector == null || connector.isNull()) {
                    continue;
                }
                var key = p.id() + ":" + name(d);
                // only engines that run the pipeline (RIFFLE_WORKER_PIPELINES) run its connectors
                if (engine.accepts(p.id()) && Shares.of(1, key, engine.workersFor(p.id()), self) == 1) {
                    out.put(key, new Wanted(p, d, connector));
                }
            }
        }
        return out;
    }

    private static String name(Direction d) {
        return d == Direction.SOURCE ? "source" : "sink";
    }

    private static String key(ConnectorTask t) {
        return t.pipelineId + ":" + t.direction();
    }

    private ConnectorTask startTask(Wanted w) {
        var id = w.pipeline().id();
        var direction = name(w.direction());
        var kind = w.connector().path("kind").asText("?");
        var state = new ConnectorState(broker.connectors().statuses(), id, direction, kind, engine.workerId(),
            Clock.systemUTC());
        var metrics = new ConnectorMetrics(meters, id, direction, kind);
        var parts = new ConnectorTask.Parts(registry, secrets, state, metrics, new Backoff(firstBackoff, Backoff.MAX));
        ConnectorTask task = w.direction() == Direction.SOURCE
            ? new SourceTask(id, w.connector(), parts, broker.connectors())
            : new SinkTask(id, w.connector(), parts, broker.connectors(), scheduler, broker.config().ackWait());
        LOG.info("pipeline {}: starting the {} connector ({}) here", id, direction, kind);
        task.start();
        return task;
    }

    private void stop(ConnectorTask t, boolean stillConfigured) {
        t.close();
        try {
            if (stillConfigured) {
                t.state.stopped();
            } else {
                broker.connectors().statuses().delete(t.pipelineId, t.direction());
            }
        } catch (RuntimeException e) {
            LOG.debug("pipeline {}: {} status not updated: {}", t.pipelineId, t.direction(), e.toString());
        }
    }

    private void publishStatuses() {
        tasks.values().forEach(t -> t.state.publish());
    }

    /** Stops every connector (each finishes its batch in hand), then the scheduler. */
    @Override
    public void close() {
        closed = true;
        try {
            announcements.close();
        } catch (Exception e) {
            LOG.debug("connectors: closing announcements: {}", e.toString());
        }
        lock.lock();
        try {
            var all = new ArrayList<>(tasks.values());
            tasks.clear();
            Parallel.runAll(all.stream().<Runnable>map(t -> () -> stop(t, true)).toList());
        } finally {
            lock.unlock();
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
