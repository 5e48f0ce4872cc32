package io.riffle.server;

import io.riffle.broker.JetStreamBroker;
import io.riffle.core.BuildStatus;
import io.riffle.core.FunctionVersion;
import io.riffle.core.NotFoundException;
import io.riffle.runtime.FunctionRuntime;
import io.riffle.store.Database;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds function versions in the background (virtualenv + import check), records the outcome, and activates a
 * version once it is ready. A version that fails to build never replaces the one that runs.
 */
final class FunctionBuilds implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionBuilds.class);
    private final Database db;
    private final FunctionRuntime runtime;
    private final JetStreamBroker broker;
    private final Runnable onChange;
    private final ServerMetrics metrics;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    FunctionBuilds(Database db, FunctionRuntime runtime, JetStreamBroker broker, Runnable onChange,
                   ServerMetrics metrics) {
        this.db = db;
        this.metrics = metrics;
        this.runtime = runtime;
        this.broker = broker;
        this.onChange = onChange;
    }

    /** Starts building a version; when it is ready it becomes the pipeline's active version. */
    void start(FunctionVersion version) {
        executor.execute(() -> build(version));
    }

    /** Restarts builds that were under way when the server stopped. */
    void resumePending() {
        for (var p : db.pipelines().listAll()) {
            for (var v : db.pipelines().versions(p.id())) {
                if (v.status() == BuildStatus.BUILDING) {
                    start(v);
                }
            }
        }
    }

    /** The worker environment of a version, secret references resolved (never stored resolved). */
    Map<String, String> env(FunctionVersion v) {
        return db.secrets().environment(v.environments());
    }

    private void build(FunctionVersion v) {
        var id = v.pipelineId();
        try {
            long started = System.nanoTime();
            Map<String, String> env;
            try {
                env = env(v);
            } catch (NotFoundException missingSecret) {
                db.pipelines().updateBuild(id, v.version(), BuildStatus.FAILED, missingSecret.getMessage());
                return;
            }
            var result = runtime.build(v.source(), v.requirementsTxt(), env);
            metrics.built(result.ok(), System.nanoTime() - started);
            db.pipelines().updateBuild(id, v.version(), result.ok() ? BuildStatus.READY : BuildStatus.FAILED,
                result.log());
            LOG.info("pipeline {}: version {} {}", id, v.version(), result.ok() ? "is ready" : "failed to build");
            if (result.ok()) {
                activate(id, v.version(), false);
            }
        } catch (NotFoundException gone) {
            LOG.info("pipeline {}: deleted while version {} was building", id, v.version());
        } catch (RuntimeException e) {
            LOG.warn("pipeline {}: build of version {} failed: {}", id, v.version(), e.toString());
            try {
                db.pipelines().updateBuild(id, v.version(), BuildStatus.FAILED, "build error: " + e.getMessage());
            } catch (RuntimeException again) {
                LOG.warn("pipeline {}: cannot record the failed build: {}", id, again.toString());
            }
        }
    }

    /**
     * Makes {@code version} active. Without {@code force} (a finished build), a newer ready version that is active
     * already stays; with it (a rollback), the given version wins.
     */
    void activate(String pipelineId, int version, boolean force) {
        var pipeline = db.pipelines().find(pipelineId).orElseThrow(() -> Auth.notFound("pipeline", pipelineId));
        if (pipeline.activeVersion() != version) {
            var active = db.pipelines().findVersion(pipelineId, pipeline.activeVersion()).orElse(null);
            boolean newerReady = !force && active != null && active.status() == BuildStatus.READY
                && pipeline.activeVersion() > version;
            if (newerReady) {
                return;
            }
            db.pipelines().update(new io.riffle.core.Pipeline(pipeline.id(), pipeline.spaceId(), pipeline.name(),
                pipeline.state(), pipeline.metadata(), pipeline.sourceConnector(), pipeline.sinkConnector(),
                pipeline.settings(), version, pipeline.createdAt(), pipeline.updatedAt()));
        }
        broker.announce(pipelineId);
        onChange.run();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
