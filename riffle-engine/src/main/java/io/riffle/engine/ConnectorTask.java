package io.riffle.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.ConnectorRegistry;
import io.riffle.connectors.Direction;
import io.riffle.core.SecretResolver;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connector of one pipeline running on its own thread until {@link #close}: the loop, its backoff, its state and
 * metrics. Subclasses implement one attempt ({@link #attempt}): open, work until stopped or failed.
 */
abstract class ConnectorTask implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorTask.class);
    static final Duration STOP_WAIT = Duration.ofSeconds(15);
    final String pipelineId;
    final JsonNode connector;
    final Direction side;
    final String kind;
    final ConnectorState state;
    final ConnectorMetrics metrics;
    private final ConnectorRegistry registry;
    private final SecretResolver secrets;
    private final Backoff backoff;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final Thread thread;

    ConnectorTask(String pipelineId, JsonNode connector, Direction side, Parts parts) {
        this.pipelineId = pipelineId;
        this.connector = connector;
        this.side = side;
        this.kind = connector.path("kind").asText("?");
        this.state = parts.state();
        this.metrics = parts.metrics();
        this.backoff = parts.backoff();
        this.registry = parts.registry();
        this.secrets = parts.secrets();
        this.thread = Thread.ofPlatform().daemon().name("connector-" + pipelineId + "-" + direction())
            .unstarted(this::loop);
    }

    /** What every task is built with. */
    record Parts(ConnectorRegistry registry, SecretResolver secrets, ConnectorState state, ConnectorMetrics metrics,
                 Backoff backoff) {
    }

    /** A factory and configuration, resolved at every attempt so that a fixed secret or kind is picked up. */
    record Opened(ConnectorFactory factory, ConnectorConfig config) {
    }

    /**
     * Finds the kind on this engine and reads the configuration (resolving secret references).
     *
     * @throws io.riffle.core.InvalidInputException when the kind is not here or a field no longer validates
     */
    final Opened resolve() {
        var factory = registry.factory(side, connector);
        var config = ConnectorConfig.of(side, connector, secrets);
        factory.validate(config);
        return new Opened(factory, config);
    }

    /** {@code source} or {@code sink}. */
    final String direction() {
        return side.name().toLowerCase(java.util.Locale.ROOT);
    }

    final void start() {
        state.publish();
        thread.start();
    }

    final boolean running() {
        return stopSignal.getCount() > 0;
    }

    /** Waits up to {@code d}; true when the task was stopped meanwhile. */
    final boolean stoppedWithin(Duration d) {
        try {
            return stopSignal.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** A success: the next failure waits the shortest delay again. */
    final void succeeded() {
        backoff.reset();
        state.running();
    }

    /** One attempt: opens the connector and works until stopped (returns) or failed (throws). */
    abstract void attempt() throws Exception;

    /** Called from {@link #close} on the closing thread, to unblock an attempt waiting in the external system. */
    abstract void interrupt();

    private void loop() {
        LOG.info("pipeline {}: {} connector {} started", pipelineId, direction(), kind);
        while (running()) {
            try {
                attempt();
            } catch (Exception e) {
                if (!running()) {
                    break;
                }
                var delay = backoff.next();
                metrics.error();
                state.failed(describe(e));
                LOG.warn("pipeline {}: {} connector {} failed, retrying in {} ms: {}", pipelineId, direction(),
                    kind, delay.toMillis(), describe(e));
                stoppedWithin(delay);
            }
        }
    }

    static String describe(Throwable e) {
        var message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return e instanceof io.riffle.core.RiffleException || e instanceof IllegalArgumentException ? message
            : e.getClass().getSimpleName() + ": " + message;
    }

    /** Stops the loop (the batch in hand finishes), waiting at most {@link #STOP_WAIT}. */
    @Override
    public void close() {
        stopSignal.countDown();
        interrupt();
        try {
            if (!thread.join(STOP_WAIT)) {
                LOG.warn("pipeline {}: {} connector did not stop within {} s; interrupting it", pipelineId,
                    direction(), STOP_WAIT.toSeconds());
                thread.interrupt();
                thread.join(Duration.ofSeconds(2));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
        LOG.info("pipeline {}: {} connector {} stopped", pipelineId, direction(), kind);
    }
}
