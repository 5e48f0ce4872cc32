package io.riffle.engine;

import io.nats.client.api.PublishAck;
import io.riffle.broker.InputEvent;
import io.riffle.broker.InputFeed;
import io.riffle.broker.InputRouting;
import io.riffle.broker.JetStreamBroker;
import io.riffle.runtime.BatchResult;
import io.riffle.runtime.EventOutcome;
import io.riffle.runtime.FunctionLoadException;
import io.riffle.runtime.FunctionWorker;
import io.riffle.runtime.WorkerCrash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of a pipeline: pulls batches from the input stream, runs them through its Python worker, publishes
 * results and dead letters, and only then acks the inputs. A crash or timeout restarts the worker; the event it
 * was on is redelivered with backoff up to the retry limit, then dead-lettered. Runs on its own virtual thread.
 */
final class Runner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
    private final Deployment deployment;
    private final int replica;
    private final JetStreamBroker broker;
    private final Supplier<FunctionWorker> workers;
    private final ScheduledExecutorService scheduler;
    private final EngineConfig config;
    private final RunnerMetrics metrics;
    private final FunctionLog functionLog;
    private volatile boolean running = true;
    private volatile long restarts;
    private volatile String lastError;
    private final Thread thread;
    private FunctionWorker worker;
    private CompletableFuture<Void> settling = CompletableFuture.completedFuture(null);

    Runner(Deployment deployment, int replica, JetStreamBroker broker, Supplier<FunctionWorker> workers,
           ScheduledExecutorService scheduler, EngineConfig config, RunnerMetrics metrics, FunctionLog functionLog) {
        this.deployment = deployment;
        this.replica = replica;
        this.broker = broker;
        this.workers = workers;
        this.scheduler = scheduler;
        this.config = config;
        this.metrics = metrics;
        this.functionLog = functionLog;
        this.thread = Thread.ofVirtual().name("runner-" + deployment.pipelineId() + "-" + replica).start(this::run);
    }

    long restarts() {
        return restarts;
    }

    String lastError() {
        return lastError;
    }

    boolean alive() {
        return thread.isAlive();
    }

    private void run() {
        var settings = deployment.pipeline().settings();
        InputFeed feed = null;
        startWorkerEagerly();
        while (running) {
            try {
                if (feed == null) {
                    feed = broker.inputFeed(deployment.pipelineId(), InputRouting.of(settings), settings.batchSize());
                }
                var events = feed.next(settings.batchSize(), config.fetchWait());
                if (!running) {
                    // stopped (paused, new version) while the fetch waited: give the events back untouched
                    events.forEach(ev -> ev.nak(Duration.ZERO));
                    break;
                }
                if (!events.isEmpty()) {
                    processBatch(events);
                }
            } catch (RuntimeException e) {
                lastError = e.getMessage();
                LOG.warn("pipeline {} replica {}: {}", deployment.pipelineId(), replica, e.toString());
                if (feed != null) {
                    feed.close();
                    feed = null;
                }
                pause(Duration.ofSeconds(1));
            }
        }
        awaitSettled();
        if (feed != null) {
            feed.close();
        }
        closeWorker();
    }

    private void processBatch(List<InputEvent> events) {
        var heartbeat = scheduler.scheduleAtFixedRate(() -> events.forEach(InputEvent::inProgress),
            ackHeartbeat().toMillis(), ackHeartbeat().toMillis(), TimeUnit.MILLISECONDS);
        try {
            var done = new ArrayList<InputEvent>(events.size());
            var pending = new ArrayList<CompletableFuture<PublishAck>>();
            int next = 0;
            while (next < events.size() && running) {
                if (!ensureWorker(events.subList(next, events.size()))) {
                    settle(done, pending); // the rest were nak'ed; what was done before stays done
                    return;
                }
                var slice = events.subList(next, events.size());
                long started = System.nanoTime();
                BatchResult result = worker.process(payloads(slice), deployment.pipeline().settings().eventTimeout());
                metrics.recordBatch(result.outcomes().size(), System.nanoTime() - started);
                awaitSettled();
                for (int k = 0; k < result.outcomes().size(); k++) {
                    pending.addAll(publishOutcome(slice.get(k), result.outcomes().get(k)));
                    done.add(slice.get(k));
                }
                next += result.outcomes().size();
                if (result.crashed()) {
                    var culprit = slice.get(result.outcomes().size());
                    var dead = handleCrash(culprit, result.crash());
                    if (dead != null) {
                        pending.add(dead);
                        done.add(culprit);
                    }
                    next++;
                }
            }
            for (int k = next; k < events.size(); k++) {
                events.get(k).nak(Duration.ZERO);
            }
            settle(done, pending);
        } finally {
            heartbeat.cancel(false);
        }
    }

    /**
     * Acks the batch's inputs once every one of its publishes is confirmed, without waiting here: the next batch is
     * fetched and run while JetStream confirms this one. On a failed publish nothing is acked (redelivery; the
     * message ids keep the results single). At most one batch is unsettled at a time ({@link #awaitSettled}).
     */
    private void settle(List<InputEvent> done, List<CompletableFuture<PublishAck>> pending) {
        var batch = List.copyOf(done);
        settling = CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((ok, failure) -> {
            if (failure == null) {
                var now = java.time.Instant.now();
                for (var ev : batch) {
                    ev.ack();
                    metrics.stored(ev.receiveTime(), now);
                }
            } else {
                lastError = "results not stored: " + failure.getMessage();
                LOG.warn("pipeline {}: results not stored, the batch will be redelivered: {}",
                    deployment.pipelineId(), failure.toString());
                batch.forEach(ev -> ev.nak(config.retryBackoff()));
            }
            return null;
        });
    }

    /** Waits until the previous batch is settled (acked or nak'ed). */
    private void awaitSettled() {
        try {
            settling.join();
        } catch (RuntimeException e) {
            LOG.debug("pipeline {}: settling failed: {}", deployment.pipelineId(), e.toString());
        }
    }

    private List<CompletableFuture<PublishAck>> publishOutcome(InputEvent in, EventOutcome result) {
        var p = deployment.pipelineId();
        var outcome = fitting(result);
        if (outcome instanceof EventOutcome.Results r) {
            long bytes = 0;
            for (var v : r.values()) {
                bytes += JetStreamBroker.estimate(v);
            }
            long total = bytes;
            waitForRoom(() -> broker.admitResults(p, total));
            var futures = new ArrayList<CompletableFuture<PublishAck>>(r.values().size());
            for (int i = 0; i < r.values().size(); i++) {
                futures.add(broker.publishResult(p, in, i, r.values().get(i)));
            }
            metrics.outcome(r.values().isEmpty() ? RunnerMetrics.FILTERED : RunnerMetrics.SUCCEEDED,
                r.values().size());
            return futures;
        }
        var f = (EventOutcome.Failure) outcome;
        metrics.outcome(RunnerMetrics.FAILED, 0);
        long size = JetStreamBroker.estimate(in.data()) + f.traceback().length() + f.message().length();
        waitForRoom(() -> broker.admitFailures(p, size));
        return List.of(broker.publishFailure(p, in, f.message(), f.traceback(), in.deliveries()));
    }

    /** Results too big for one message become a failure: publishing them would cost the connection. */
    private EventOutcome fitting(EventOutcome outcome) {
        if (outcome instanceof EventOutcome.Results r) {
            int limit = broker.maxMessageBytes();
            for (var v : r.values()) {
                if (v.length > limit) {
                    return new EventOutcome.Failure("ResultTooLarge", "ResultTooLarge: a result of " + v.length
                        + " bytes is over the limit of " + limit + " bytes per message (NATS max_payload less room "
                        + "for headers)", "");
                }
            }
        }
        return outcome;
    }

    private void waitForRoom(java.util.function.BooleanSupplier probe) {
        var delay = Duration.ofMillis(50);
        while (running && !probe.getAsBoolean()) {
            lastError = "output stream full: waiting for results to be consumed";
            pause(delay);
            delay = delay.multipliedBy(2).compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2)
                : delay.multipliedBy(2);
        }
    }

    /** Returns the dead-letter publish when the event has used up its retries; otherwise naks it. */
    private CompletableFuture<PublishAck> handleCrash(InputEvent culprit, WorkerCrash crash) {
        restarts++;
        metrics.crash(crash.reason().name().toLowerCase(java.util.Locale.ROOT));
        closeWorker();
        var settings = deployment.pipeline().settings();
        var what = switch (crash.reason()) {
            case TIMEOUT -> "event timed out after " + settings.eventTimeout().toMillis() + " ms";
            case EXITED -> "worker process exited";
            case PROTOCOL_ERROR -> "worker broke the protocol";
        };
        lastError = what + ": " + crash.detail();
        functionLog.error(deployment.pipelineId(), what + " (attempt " + culprit.deliveries() + " of "
            + (settings.maxRetries() + 1) + "): " + crash.detail());
        if (culprit.deliveries() > settings.maxRetries()) {
            metrics.outcome(RunnerMetrics.FAILED, 0);
            return broker.publishFailure(deployment.pipelineId(), culprit, what + ": " + crash.detail(), "",
                culprit.deliveries());
        }
        culprit.nak(backoff(culprit.deliveries()));
        return null;
    }

    private Duration backoff(long deliveries) {
        long factor = 1L << Math.min(deliveries - 1, 6);
        return config.retryBackoff().multipliedBy(factor);
    }

    /** Starts a worker when none runs; on a load error naks the events and waits. False when the batch was given up. */
    private boolean ensureWorker(List<InputEvent> events) {
        if (worker != null && worker.alive()) {
            return true;
        }
        closeWorker();
        try {
            worker = workers.get();
            return true;
        } catch (FunctionLoadException e) {
            lastError = e.getMessage();
            functionLog.error(deployment.pipelineId(), "function did not load: " + e.getMessage());
            events.forEach(ev -> ev.nak(Duration.ofSeconds(5)));
            pause(Duration.ofSeconds(5));
            return false;
        }
    }

    /** A worker ready before the first event arrives: a woken pipeline answers without the interpreter start. */
    private void startWorkerEagerly() {
        try {
            worker = workers.get();
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            functionLog.error(deployment.pipelineId(), "function did not load: " + e.getMessage());
        }
    }

    private static List<byte[]> payloads(List<InputEvent> events) {
        var out = new ArrayList<byte[]>(events.size());
        for (var e : events) {
            out.add(e.data());
        }
        return out;
    }

    private Duration ackHeartbeat() {
        var third = broker.config().ackWait().dividedBy(3);
        return third.isZero() ? Duration.ofMillis(100) : third;
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void closeWorker() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }

    /** Stops after the batch in hand, then closes the worker. */
    @Override
    public void close() {
        running = false;
        try {
            if (!thread.join(Duration.ofSeconds(30))) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
