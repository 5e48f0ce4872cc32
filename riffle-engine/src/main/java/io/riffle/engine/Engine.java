package io.riffle.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.riffle.broker.JetStreamBroker;
import io.riffle.core.BuildStatus;
import io.riffle.core.EnvVar;
import io.riffle.core.FunctionVersion;
import io.riffle.core.PipelineState;
import io.riffle.core.PipelineStore;
import io.riffle.core.RiffleException;
import io.riffle.runtime.FunctionLoadException;
import io.riffle.runtime.FunctionRuntime;
import io.riffle.runtime.FunctionWorker;
import io.riffle.runtime.WorkerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution engine of one process: keeps, for every running pipeline whose function version is ready, the
 * configured number of {@link Runner}s, and follows changes announced over NATS or found by a periodic re-read.
 * When PostgreSQL is unreachable it keeps what runs. Thread-safe.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private final EngineConfig config;
    private final PipelineStore pipelines;
    private final JetStreamBroker broker;
    private final FunctionRuntime runtime;
    private final MeterRegistry registry;
    private final FunctionLog functionLog;
    private final ScheduledExecutorService scheduler;
    /**
     * Runs the runners' ack heartbeats. Apart from {@link #scheduler} because a reconcile that stops runners waits
     * for their batches in hand: sharing threads with it would starve every other runner's heartbeats, and their
     * events would be redelivered (and run twice) while still being worked on.
     */
    private final ScheduledExecutorService heartbeats;
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final Map<String, FunctionVersion> readyVersions = new ConcurrentHashMap<>();
    private final ReentrantLock reconcileLock = new ReentrantLock();
    private final AtomicBoolean reconcileQueued = new AtomicBoolean();
    private final AutoCloseable announcements;
    private volatile boolean closed;

    private Engine(EngineConfig config, PipelineStore pipelines, JetStreamBroker broker, FunctionRuntime runtime,
                   MeterRegistry registry) {
        this.config = config;
        this.pipelines = pipelines;
        this.broker = broker;
        this.runtime = runtime;
        this.registry = registry;
        this.functionLog = new FunctionLog(broker);
        this.scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("engine-", 0)
            .factory());
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
            .name("engine-heartbeat").factory());
        this.announcements = broker.onAnnouncement(id -> reconcileSoon());
        scheduler.scheduleWithFixedDelay(this::reconcileQuietly, 0, config.reconcileInterval().toMillis(),
            TimeUnit.MILLISECONDS);
    }

    /** Starts the engine; it reconciles at once and then periodically. */
    public static Engine start(EngineConfig config, PipelineStore pipelines, JetStreamBroker broker,
                               FunctionRuntime runtime, MeterRegistry registry) {
        return new Engine(config, pipelines, broker, runtime, registry);
    }

    /** Asks for a reconcile as soon as possible (coalesced). */
    public void reconcileSoon() {
        if (!closed && reconcileQueued.compareAndSet(false, true)) {
            scheduler.execute(() -> {
                reconcileQueued.set(false);
                reconcileQuietly();
            });
        }
    }

    /** What runs here, by pipeline id. */
    public Map<String, RunnerStatus> status() {
        var out = new HashMap<String, RunnerStatus>();
        groups.forEach((id, g) -> out.put(id, g.status()));
        return out;
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warn("engine: cannot read pipelines, keeping what runs: {}", e.getMessage());
        }
    }

    /** Brings the running runners in line with the store. */
    public void reconcile() {
        reconcileLock.lock();
        try {
            if (closed) {
                return;
            }
            var desired = desired();
            var stopping = new ArrayList<Group>();
            groups.forEach((id, g) -> {
                if (!g.deployment.sameRunnersAs(desired.get(id))) {
                    stopping.add(g);
                }
            });
            stopping.forEach(g -> groups.remove(g.deployment.pipelineId()));
            closeAll(stopping);
            desired.forEach((id, d) -> groups.computeIfAbsent(id, k -> startGroup(d)));
        } finally {
            reconcileLock.unlock();
        }
    }

    private Map<String, Deployment> desired() {
        var out = new HashMap<String, Deployment>();
        for (var p : pipelines.listAll()) {
            if (p.state() != PipelineState.RUNNING || p.settings().replicas() == 0) {
                continue;
            }
            var key = p.id() + ":" + p.activeVersion();
            var v = readyVersions.get(key);
            if (v == null) {
                v = pipelines.findVersion(p.id(), p.activeVersion()).orElse(null);
                if (v == null || v.status() != BuildStatus.READY) {
                    continue;
                }
                readyVersions.put(key, v);
            }
            out.put(p.id(), new Deployment(p, v));
        }
        return out;
    }

    private Group startGroup(Deployment d) {
        LOG.info("pipeline {}: starting {} runner(s) of version {}", d.pipelineId(), d.pipeline().settings().replicas(),
            d.version().version());
        var metrics = new RunnerMetrics(registry, d.pipelineId());
        var runners = new ArrayList<Runner>();
        for (int i = 0; i < d.pipeline().settings().replicas(); i++) {
            runners.add(new Runner(d, i, broker, workerFactory(d, i), heartbeats, config, metrics, functionLog));
        }
        return new Group(d, runners);
    }

    private Supplier<FunctionWorker> workerFactory(Deployment d, int replica) {
        var v = d.version();
        var env = new HashMap<String, String>();
        for (EnvVar e : v.environments()) {
            env.put(e.name(), e.value());
        }
        return () -> {
            try {
                var spec = new WorkerSpec(runtime.pythonFor(v.requirementsTxt()),
                    runtime.handlerFile(d.pipelineId(), v.version(), v.source()), runtime.workDir(d.pipelineId(),
                    replica), env, d.pipeline().settings().memoryLimitMb(), WorkerSpec.DEFAULT_MAX_RESULT_BYTES,
                    entry -> broker.appendLog(d.pipelineId(), entry));
                return runtime.startWorker(spec);
            } catch (FunctionLoadException e) {
                throw e;
            } catch (RiffleException e) {
                throw new FunctionLoadException(e.getMessage(), "");
            }
        };
    }

    private static void closeAll(List<Group> stopping) {
        var threads = new ArrayList<Thread>();
        for (var g : stopping) {
            LOG.info("pipeline {}: stopping runners of version {}", g.deployment.pipelineId(),
                g.deployment.version().version());
            for (var r : g.runners) {
                threads.add(Thread.ofVirtual().start(r::close));
            }
        }
        for (var t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops every runner (each finishes its batch in hand), then the schedulers. */
    @Override
    public void close() {
        closed = true;
        try {
            announcements.close();
        } catch (Exception e) {
            LOG.debug("engine: closing announcements: {}", e.toString());
        }
        reconcileLock.lock();
        try {
            closeAll(new ArrayList<>(groups.values()));
            groups.clear();
        } finally {
            reconcileLock.unlock();
        }
        scheduler.shutdownNow();
        heartbeats.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
            heartbeats.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The runners of one pipeline. */
    private record Group(Deployment deployment, List<Runner> runners) {
        RunnerStatus status() {
            long restarts = 0;
            int alive = 0;
            String error = null;
            for (var r : runners) {
                restarts += r.restarts();
                alive += r.alive() ? 1 : 0;
                error = r.lastError() != null ? r.lastError() : error;
            }
            return new RunnerStatus(deployment.version().version(), alive, restarts, error);
        }
    }
}
