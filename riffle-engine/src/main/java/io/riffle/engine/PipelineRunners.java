package io.riffle.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * The runners of one pipeline in this engine, their count changed by the autoscaler, and the record of its
 * decisions. Removed runners finish their batch in hand on their own thread. Thread-safe.
 */
final class PipelineRunners {
    static final int HISTORY = 100;
    final Deployment deployment;
    final Autoscaler.State autoscale;
    private final IntFunction<Runner> factory;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runner> runners = new ArrayList<>();
    private final List<Runner> stopping = new ArrayList<>();
    private final Deque<ScaleEvent> history;
    private AutoCloseable wake;
    private volatile long backlog;

    /** {@code history} is the pipeline's record of scale decisions; it outlives this group (new versions, pauses). */
    PipelineRunners(Deployment deployment, IntFunction<Runner> factory, int desired, int local, Instant now,
                    Deque<ScaleEvent> history) {
        this.deployment = deployment;
        this.factory = factory;
        this.history = history;
        this.autoscale = new Autoscaler.State(desired, now);
        scaleTo(local, now, "started with version " + deployment.version().version());
    }

    int replicas() {
        lock.lock();
        try {
            return runners.size();
        } finally {
            lock.unlock();
        }
    }

    long backlog() {
        return backlog;
    }

    void backlog(long value) {
        backlog = value;
    }

    /** Starts or stops runners to reach {@code target}; records the change with its reason. */
    void scaleTo(int target, Instant now, String reason) {
        lock.lock();
        try {
            int from = runners.size();
            if (target == from) {
                return;
            }
            while (runners.size() < target) {
                runners.add(factory.apply(runners.size()));
            }
            while (runners.size() > target) {
                var r = runners.remove(runners.size() - 1);
                stopping.add(r);
                Thread.ofVirtual().name("stop-runner").start(() -> {
                    r.close();
                    lock.lock();
                    try {
                        stopping.remove(r);
                    } finally {
                        lock.unlock();
                    }
                });
            }
            synchronized (history) {
                history.addLast(new ScaleEvent(now, from, target, reason));
                while (history.size() > HISTORY) {
                    history.removeFirst();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The wake-up subscription held while at zero runners; replaces (and closes) any previous one. */
    void wake(AutoCloseable subscription) {
        lock.lock();
        try {
            closeQuietly(wake);
            wake = subscription;
        } finally {
            lock.unlock();
        }
    }


    RunnerStatus status() {
        lock.lock();
        try {
            long restarts = 0;
            int alive = 0;
            String error = null;
            for (var r : runners) {
                restarts += r.restarts();
                alive += r.alive() ? 1 : 0;
                error = r.lastError() != null ? r.lastError() : error;
            }
            return new RunnerStatus(deployment.version().version(), alive, restarts, error);
        } finally {
            lock.unlock();
        }
    }

    /** Stops every runner and waits for all of them, those being removed included. */
    void close() {
        List<Runner> all;
        lock.lock();
        try {
            closeQuietly(wake);
            wake = null;
            all = new ArrayList<>(runners);
            all.addAll(stopping);
            runners.clear();
        } finally {
            lock.unlock();
        }
        Parallel.runAll(all.stream().<Runnable>map(r -> r::close).toList());
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // a subscription of a closed connection
        }
    }
}
