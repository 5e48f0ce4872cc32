package io.riffle.engine;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.riffle.broker.InputRouting;
import io.riffle.broker.JetStreamBroker;
import io.riffle.broker.WorkerRegistry;
import io.riffle.core.BuildStatus;
import io.riffle.core.SecretResolver;
import io.riffle.core.FunctionVersion;
import io.riffle.core.PipelineState;
import io.riffle.core.PipelineStore;
import io.riffle.core.RiffleException;
import io.riffle.runtime.FunctionLoadException;
import io.riffle.runtime.FunctionRuntime;
import io.riffle.runtime.FunctionWorker;
import io.riffle.runtime.WorkerSpec;
import java.time.Clock;
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
 * The execution engine of one process: for every running pipeline whose function version is ready, it keeps the
 * number of {@link Runner}s the {@link Autoscaler} asks for (down to zero when idle, woken by the next published
 * event), and follows changes announced over NATS or found by a periodic re-read. When PostgreSQL is unreachable
 * it keeps what runs. Thread-safe.
 */
public final class Engine implements AutoCloseable {
    static final String REPLICAS = "riffle.engine.replicas";
    static final String BACKLOG = "riffle.engine.backlog";
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private final EngineConfig config;
    private final PipelineStore pipelines;
    private final JetStreamBroker broker;
    private final FunctionRuntime runtime;
    private final SecretResolver secrets;
    private final MeterRegistry registry;
    private final Clock clock;
    private final FunctionLog functionLog;
    private final ScheduledExecutorService scheduler;
    /**
     * Runs the runners' ack heartbeats. Apart from {@link #scheduler} because a reconcile that stops runners waits
     * for their batches in hand: sharing threads with it would starve every other runner's heartbeats, and their
     * events would be redelivered (and run twice) while still being worked on.
     */
    private final ScheduledExecutorService heartbeats;
    private final Map<String, PipelineRunners> groups = new ConcurrentHashMap<>();
    private final Map<String, RunnerMetrics> metrics = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> gauges = new ConcurrentHashMap<>();
    private final Map<String, java.util.Deque<ScaleEvent>> scaleHistory = new ConcurrentHashMap<>();
    private volatile java.util.Set<String> knownPipelines = java.util.Set.of();
    private final Map<String, FunctionVersion> readyVersions = new ConcurrentHashMap<>();
    private final ReentrantLock reconcileLock = new ReentrantLock();
    private final AtomicBoolean reconcileQueued = new AtomicBoolean();
    private final AutoCloseable announcements;
    private final String workerId;
    private volatile List<String> liveWorkers = List.of();
    private volatile List<WorkerRegistry.Entry> liveEntries = List.of();
    private volatile boolean closed;

    private Engine(EngineConfig config, PipelineStore pipelines, JetStreamBroker broker, FunctionRuntime runtime,
                   SecretResolver secrets, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.pipelines = pipelines;
        this.broker = broker;
        this.runtime = runtime;
        this.secrets = secrets;
        this.registry = registry;
        this.clock = clock;
        this.functionLog = new FunctionLog(broker);
        this.scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("engine-", 0)
            .factory());
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
            .name("engine-heartbeat").factory());
        broker.useRouting(id -> pipelines.find(id).map(p -> InputRouting.of(p.settings()))
            .orElse(InputRouting.NONE));
        this.announcements = broker.onAnnouncement(id -> reconcileSoon());
        this.workerId = newWorkerId();
        heartbeat();
        scheduler.scheduleWithFixedDelay(this::heartbeat, WorkerRegistry.HEARTBEAT.toMillis(),
            WorkerRegistry.HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::reconcileQuietly, 0, config.reconcileInterval().toMillis(),
            TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::autoscaleQuietly, config.scaleInterval().toMillis(),
            config.scaleInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the engine; it reconciles at once and then periodically. {@code secrets} resolves environment variables
     * that reference stored secrets, at every worker start.
     */
    public static Engine start(EngineConfig config, PipelineStore pipelines, JetStreamBroker broker,
                               FunctionRuntime runtime, SecretResolver secrets, MeterRegistry registry) {
        return new Engine(config, pipelines, broker, runtime, secrets, registry, Clock.systemUTC());
    }

    /** An engine for pipelines whose environment references no secrets (a reference fails the worker's start). */
    public static Engine start(EngineConfig config, PipelineStore pipelines, JetStreamBroker broker,
                               FunctionRuntime runtime, MeterRegistry registry) {
        return start(config, pipelines, broker, runtime, key -> {
            throw new io.riffle.core.NotFoundException("secret '" + key + "': this engine has no secret store");
        }, registry);
    }

    private static String newWorkerId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        return host.replaceAll("[^A-Za-z0-9_-]", "_") + "-" + ProcessHandle.current().pid() + "-"
            + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000));
    }

    /** This engine's id in the worker registry. */
    public String workerId() {
        return workerId;
    }

    /** Engines alive at the last heartbeat, this one included. */
    public List<String> liveWorkers() {
        return liveWorkers;
    }

    private void heartbeat() {
        try {
            var registry = broker.workers();
            registry.heartbeat(new WorkerRegistry.Entry(workerId, config.pipelines(), config.fixedRunners()));
            var entries = registry.entries();
            liveEntries = entries;
            var ids = entries.stream().map(WorkerRegistry.Entry::id).toList();
            if (!ids.equals(liveWorkers)) {
                LOG.info("engine {}: {} engines live: {}", workerId, ids.size(), ids);
            }
            liveWorkers = ids;
        } catch (RuntimeException e) {
            LOG.debug("engine {}: heartbeat failed: {}", workerId, e.toString());
        }
    }

    private int localShare(int desired, String pipelineId) {
        if (config.fixedRunners() > 0) {
            return config.fixedRunners();
        }
        return Shares.of(desired, pipelineId, Shares.eligible(liveEntries, pipelineId), workerId);
    }

    /** True when this engine runs the pipeline ({@code RIFFLE_WORKER_PIPELINES}). */
    public boolean accepts(String pipelineId) {
        return config.accepts(pipelineId);
    }

    /** Live engines that run the pipeline (this one included when it does), sorted. */
    public List<String> workersFor(String pipelineId) {
        var out = new ArrayList<String>();
        for (var e : liveEntries) {
            if (e.accepts(pipelineId)) {
                out.add(e.id());
            }
        }
        if (accepts(pipelineId) && !out.contains(workerId)) {
            out.add(workerId);
        }
        out.sort(null);
        return out;
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

    /** The last scale decisions for a pipeline in this engine, oldest first (empty when it runs elsewhere). */
    public List<ScaleEvent> scaleEvents(String pipelineId) {
        var history = scaleHistory.get(pipelineId);
        if (history == null) {
            return List.of();
        }
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /**
     * Publish-to-stored latency of a pipeline's recent events in this engine, in milliseconds, at the given
     * percentile (0.5 or 0.99); empty when it has processed nothing here.
     */
    public java.util.OptionalDouble latencyMillis(String pipelineId, double percentile) {
        var m = metrics.get(pipelineId);
        if (m == null || m.latency().count() == 0) {
            return java.util.OptionalDouble.empty();
        }
        for (var v : m.latency().takeSnapshot().percentileValues()) {
            if (Math.abs(v.percentile() - percentile) < 1e-9) {
                return java.util.OptionalDouble.of(v.value(TimeUnit.MILLISECONDS));
            }
        }
        return java.util.OptionalDouble.empty();
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warn("engine: cannot read pipelines, keeping what runs: {}", e.getMessage());
        }
    }

    /** Brings the running pipelines in line with the store. */
    public void reconcile() {
        reconcileLock.lock();
        try {
            if (closed) {
                return;
            }
            var desired = desired();
            var stopping = new ArrayList<PipelineRunners>();
            groups.forEach((id, g) -> {
                if (!g.deployment.sameRunnersAs(desired.get(id))) {
                    stopping.add(g);
                }
            });
            for (var g : stopping) {
                groups.remove(g.deployment.pipelineId());
                LOG.info("pipeline {}: stopping runners of version {}", g.deployment.pipelineId(),
                    g.deployment.version().version());
            }
            closeAll(stopping);
            desired.forEach((id, d) -> groups.computeIfAbsent(id, k -> startGroup(d)));
            for (var g : stopping) {
                if (!groups.containsKey(g.deployment.pipelineId())) {
                    removeMeters(g.deployment.pipelineId());
                }
            }
            // forget the history of pipelines that no longer exist (a paused one keeps it)
            scaleHistory.keySet().retainAll(knownPipelines);
        } finally {
            reconcileLock.unlock();
        }
    }

    private Map<String, Deployment> desired() {
        var out = new HashMap<String, Deployment>();
        var known = new java.util.HashSet<String>();
        for (var p : pipelines.listAll()) {
            known.add(p.id());
            if (p.state() != PipelineState.RUNNING || !config.accepts(p.id())) {
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
        knownPipelines = known;
        return out;
    }

    private PipelineRunners startGroup(Deployment d) {
        var s = d.pipeline().settings();
        int desired = config.fixedRunners() > 0 ? config.fixedRunners() : s.minReplicas();
        if (desired == 0) {
            try {
                desired = broker.inputState(d.pipelineId()).pending() > 0 ? 1 : 0;
            } catch (RiffleException e) {
                desired = 1;
            }
        }
        int local = localShare(desired, d.pipelineId());
        LOG.info("pipeline {}: version {} with {} of {} runner(s) here (min {}, max {})", d.pipelineId(),
            d.version().version(), local, desired, s.minReplicas(), s.maxReplicas());
        var m = metrics.computeIfAbsent(d.pipelineId(), id -> new RunnerMetrics(registry, id));
        var group = new PipelineRunners(d, i -> new Runner(d, i, broker, workerFactory(d, i), heartbeats, config, m,
            functionLog), desired, local, clock.instant(),
            scaleHistory.computeIfAbsent(d.pipelineId(), id -> new java.util.ArrayDeque<>()));
        registerMeters(d.pipelineId(), group);
        if (desired == 0) {
            sleep(group);
        }
        return group;
    }

    private void registerMeters(String pipelineId, PipelineRunners group) {
        removeMeters(pipelineId);
        gauges.put(pipelineId, List.of(
            Gauge.builder(REPLICAS, group, PipelineRunners::replicas).tag("pipeline", pipelineId)
                .description("runners of the pipeline in this engine").register(registry),
            Gauge.builder(BACKLOG, group, PipelineRunners::backlog).tag("pipeline", pipelineId)
                .description("events waiting or in flight in the pipeline's input").register(registry)));
    }

    private void removeMeters(String pipelineId) {
        var old = gauges.remove(pipelineId);
        if (old != null) {
            old.forEach(registry::remove);
        }
    }

    /** At zero runners: the next published event wakes the pipeline at once. */
    private void sleep(PipelineRunners group) {
        var id = group.deployment.pipelineId();
        group.wake(broker.onNextInput(id, () -> scheduler.execute(() -> wake(id))));
    }

    private void wake(String pipelineId) {
        var g = groups.get(pipelineId);
        if (g == null || closed || g.autoscale.replicas > 0) {
            return;
        }
        g.wake(null);
        var now = clock.instant();
        int desired = Math.max(1, g.deployment.pipeline().settings().minReplicas());
        g.autoscale.replicas = desired;
        g.autoscale.lastActivity = now;
        g.autoscale.lastChange = now;
        g.scaleTo(localShare(desired, pipelineId), now, "an event arrived while at zero");
    }

    private void autoscaleQuietly() {
        for (var g : groups.values()) {
            try {
                autoscale(g);
            } catch (RuntimeException e) {
                LOG.debug("pipeline {}: no scaling decision: {}", g.deployment.pipelineId(), e.toString());
            }
        }
    }

    private void autoscale(PipelineRunners g) {
        var id = g.deployment.pipelineId();
        if (config.fixedRunners() > 0) {
            // the pod's count is decided outside (KEDA): only the backlog gauge is kept current
            var in = broker.inputState(id);
            g.backlog(in.pending() + in.ackPending());
            return;
        }
        Autoscaler.Observation observation = null;
        try {
            var in = broker.inputState(id);
            g.backlog(in.pending() + in.ackPending());
            var m = metrics.get(id);
            observation = new Autoscaler.Observation(in.pending(), in.ackPending(), in.lastSeq(),
                m == null ? 0 : m.processed(), g.replicas());
        } catch (RiffleException e) {
            LOG.debug("pipeline {}: backlog unknown ({}); keeping {} runner(s)", id, e.getMessage(), g.replicas());
        }
        var now = clock.instant();
        int desiredBefore = g.autoscale.replicas;
        var decision = Autoscaler.decide(g.deployment.pipeline().settings(), g.autoscale, observation, now);
        int local = localShare(decision.replicas(), id);
        if (local != g.replicas()) {
            var reason = decision.reason() != null ? decision.reason()
                : "share of " + decision.replicas() + " over " + Math.max(1, liveWorkers.size()) + " engine(s)";
            LOG.info("pipeline {}: {} -> {} runner(s) here ({} in all): {}", id, g.replicas(), local,
                decision.replicas(), reason);
            g.scaleTo(local, now, reason);
        }
        if (decision.replicas() == 0 && desiredBefore != 0) {
            sleep(g);
        } else if (decision.replicas() > 0) {
            g.wake(null);
        }
    }

    private Supplier<FunctionWorker> workerFactory(Deployment d, int replica) {
        var v = d.version();
        return () -> {
            try {
                // resolved at every start, so a changed secret reaches the next worker
                var env = secrets.environment(v.environments());
                var spec = new WorkerSpec(runtime.pythonFor(v.requirementsTxt()),
                    runtime.handlerFile(d.pipelineId(), v.version(), v.source()), runtime.workDir(d.pipelineId(),
                    replica), env, d.pipeline().settings().memoryLimitMb(),
                    Math.min(WorkerSpec.DEFAULT_MAX_RESULT_BYTES, broker.maxMessageBytes()),
                    entry -> broker.appendLog(d.pipelineId(), entry), d.pipeline().settings().asyncConcurrency());
                return runtime.startWorker(spec);
            } catch (FunctionLoadException e) {
                throw e;
            } catch (RiffleException e) {
                throw new FunctionLoadException(e.getMessage(), "");
            }
        };
    }

    private static void closeAll(List<PipelineRunners> stopping) {
        Parallel.runAll(stopping.stream().<Runnable>map(g -> g::close).toList());
    }

    /** Stops every runner (each finishes its batch in hand), then the schedulers. */
    @Override
    public void close() {
        closed = true;
        try {
            broker.workers().leave(workerId);
        } catch (RuntimeException e) {
            LOG.debug("engine {}: leaving the registry: {}", workerId, e.toString());
        }
        try {
            announcements.close();
        } catch (Exception e) {
            LOG.debug("engine: closing announcements: {}", e.toString());
        }
        reconcileLock.lock();
        try {
            closeAll(new ArrayList<>(groups.values()));
            groups.keySet().forEach(this::removeMeters);
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
}
