package io.riffle.engine;

import io.riffle.core.PipelineSettings;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides how many runners a pipeline should have, the way KEDA's NATS JetStream scaler does, plus the measured
 * processing rate: {@code lag = pending + ack pending}, one runner per {@code lag_per_replica}; enough runners to
 * keep up with the arrival rate at the rate one runner achieved; up at once, down only after the cooldown, to zero
 * only after the idle timeout. Pure: time and observations are passed in, so tests never sleep.
 */
final class Autoscaler {
    private Autoscaler() {
    }

    /**
     * What the engine saw of one pipeline at one moment.
     *
     * @param pending    events not yet delivered to any runner
     * @param ackPending events delivered and not yet acked
     * @param lastSeq    last sequence of the input stream (grows with every accepted event)
     * @param processed  events this engine's runners finished so far (a running total)
     * @param localRunners runners of this engine that produced {@code processed} (-1: all of the pipeline's)
     */
    record Observation(long pending, long ackPending, long lastSeq, long processed, int localRunners) {
        Observation(long pending, long ackPending, long lastSeq, long processed) {
            this(pending, ackPending, lastSeq, processed, -1);
        }

        long lag() {
            return pending + ackPending;
        }
    }

    /** A decision: the replica count and, when it changes, why. */
    record Decision(int replicas, String reason) {
    }

    /** What the autoscaler remembers of one pipeline between observations. Not thread-safe. */
    static final class State {
        /** The pipeline's desired runner count over all engines. */
        int replicas;
        Instant lastChange;
        Instant lastActivity;
        Instant lastObserved;
        long lastSeq = -1;
        long lastProcessed = -1;
        double perReplicaRate;

        State(int replicas, Instant now) {
            this.replicas = replicas;
            this.lastChange = now;
            this.lastActivity = now;
        }
    }

    /**
     * Decides and updates {@code state}. A missing observation (the consumer could not be read) keeps the current
     * count: a vanished consumer never scales a pipeline to its maximum.
     */
    static Decision decide(PipelineSettings s, State state, Observation o, Instant now) {
        if (o == null) {
            return new Decision(state.replicas, null);
        }
        double arrivalRate = observeRates(state, o, now);
        if (o.lag() > 0 || (state.lastSeq >= 0 && o.lastSeq() != state.lastSeq)) {
            state.lastActivity = now;
        }
        state.lastSeq = o.lastSeq();
        int desired = clamp(wanted(s, o, arrivalRate, state), s);
        int current = state.replicas;
        String reason = null;
        if (desired > current) {
            reason = "backlog " + o.lag() + (arrivalRate > 0 ? String.format(", %.0f events/s arriving", arrivalRate)
                : "") + " wants " + desired;
        } else if (desired < current) {
            boolean idle = Duration.between(state.lastActivity, now).compareTo(s.idleTimeout()) >= 0;
            boolean cooled = Duration.between(state.lastChange, now).compareTo(s.cooldown()) >= 0;
            if (desired == 0 && !idle) {
                desired = Math.max(1, s.minReplicas());
                reason = desired < current && cooled ? "backlog " + o.lag() + " after cooldown" : null;
            } else if (desired == 0) {
                reason = "idle for " + s.idleTimeout().toSeconds() + " s";
            } else if (cooled) {
                reason = "backlog " + o.lag() + " after cooldown";
            }
            if (reason == null) {
                desired = current;
            }
        }
        if (desired != current) {
            state.replicas = desired;
            state.lastChange = now;
        }
        return new Decision(desired, reason);
    }

    private static int wanted(PipelineSettings s, Observation o, double arrivalRate, State state) {
        long byLag = (o.lag() + s.lagPerReplica() - 1) / s.lagPerReplica();
        long byRate = 0;
        if (o.lag() > 0 && arrivalRate > 0 && state.perReplicaRate > 0) {
            byRate = (long) Math.ceil(arrivalRate / state.perReplicaRate);
        }
        long wanted = Math.max(byLag, byRate);
        return (int) Math.min(Integer.MAX_VALUE, wanted);
    }

    /** Updates the per-replica processing rate and returns the arrival rate (events/s) since the last look. */
    private static double observeRates(State state, Observation o, Instant now) {
        double arrival = 0;
        if (state.lastObserved != null) {
            double seconds = Duration.between(state.lastObserved, now).toNanos() / 1e9;
            if (seconds > 0) {
                if (state.lastSeq >= 0) {
                    arrival = Math.max(0, o.lastSeq() - state.lastSeq) / seconds;
                }
                int runners = o.localRunners() >= 0 ? o.localRunners() : state.replicas;
                if (state.lastProcessed >= 0 && runners > 0 && o.ackPending() > 0) {
                    double perReplica = Math.max(0, o.processed() - state.lastProcessed) / seconds / runners;
                    state.perReplicaRate = state.perReplicaRate == 0 ? perReplica
                        : 0.5 * state.perReplicaRate + 0.5 * perReplica;
                }
            }
        }
        state.lastObserved = now;
        state.lastProcessed = o.processed();
        return arrival;
    }

    /** Within min..max; with ordering by key at most one runner per partition (more would have nothing to do). */
    private static int clamp(int desired, PipelineSettings s) {
        int max = s.orderedByKey() ? Math.min(s.maxReplicas(), s.partitions()) : s.maxReplicas();
        return Math.max(Math.min(s.minReplicas(), max), Math.min(max, desired));
    }
}
