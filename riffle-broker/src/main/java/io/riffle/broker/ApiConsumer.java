package io.riffle.broker;

import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The consume API's pull subscription on one output or failed stream: one message per call, acked when taken
 * (a destructive read, as GlassFlow's consume is). Thread-safe.
 */
final class ApiConsumer implements AutoCloseable {
    private static final Duration FETCH_WAIT = Duration.ofMillis(100);
    private final ReentrantLock lock = new ReentrantLock();
    private final JetStreamSubscription sub;

    ApiConsumer(JetStream js, String stream) throws IOException, JetStreamApiException {
        this.sub = js.subscribe(null, PullSubscribeOptions.bind(stream, StreamNames.API));
    }

    /** The next message, not yet acked, or null when none arrives within a short wait. */
    Message take() throws IOException, JetStreamApiException {
        var msgs = takeMany(1, FETCH_WAIT);
        return msgs.isEmpty() ? null : msgs.get(0);
    }

    /**
     * Up to {@code max} messages, not yet acked: returns as soon as at least one is there, or empty after
     * {@code wait} (one "no wait" pull request with an expiry).
     */
    java.util.List<Message> takeMany(int max, Duration wait) throws IOException, JetStreamApiException {
        lock.lock();
        try {
            var out = new java.util.ArrayList<Message>(Math.min(max, 256));
            sub.pullNoWait(max, wait.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : wait);
            long deadline = System.nanoTime() + wait.toNanos() + 1_000_000_000L;
            while (out.size() < max) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    break;
                }
                var m = sub.nextMessage(Duration.ofMillis(left));
                if (m == null) {
                    break;
                }
                out.add(m);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.List.of();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        try {
            sub.unsubscribe();
        } catch (RuntimeException e) {
            // the connection is gone already
        }
    }
}
