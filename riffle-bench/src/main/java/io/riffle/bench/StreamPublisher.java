package io.riffle.bench;

import io.nats.client.JetStream;
import io.nats.client.impl.Headers;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes events straight to a JetStream subject with async publish and a bounded window of unacknowledged
 * messages, with the same two headers Riffle's publish adds (so stored messages have Riffle's size).
 */
final class StreamPublisher {
    static final int WINDOW = 4_000;
    private final JetStream js;

    StreamPublisher(JetStream js) {
        this.js = js;
    }

    /** Publishes events {@code first .. first+count-1} to {@code subject}; returns when all are acknowledged. */
    void publish(String subject, long first, long count) {
        var window = new Semaphore(WINDOW);
        var failures = new AtomicLong();
        var firstError = new AtomicReference<Throwable>();
        for (long i = first; i < first + count; i++) {
            window.acquireUninterruptibly();
            var h = new Headers().put("Riffle-Request-Id", "bench-" + i)
                .put("Riffle-Receive-Time", Instant.now().toString());
            js.publishAsync(subject, h, Events.event(i, System.nanoTime())).whenComplete((ack, e) -> {
                if (e != null) {
                    failures.incrementAndGet();
                    firstError.compareAndSet(null, e);
                }
                window.release();
            });
        }
        window.acquireUninterruptibly(WINDOW);
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " publishes to " + subject + " failed",
                firstError.get());
        }
    }
}
