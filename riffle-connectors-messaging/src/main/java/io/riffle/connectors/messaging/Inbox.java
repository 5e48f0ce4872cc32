package io.riffle.connectors.messaging;

import io.riffle.core.UnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands messages from a client library's delivery thread (RabbitMQ consumer, MQTT callback) to the source's run
 * loop, with the connection's failure. Bounded: the delivery thread blocks when the run loop is behind. Thread-safe.
 */
final class Inbox<T> {
    private final BlockingQueue<T> queue;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    Inbox(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Adds a message, waiting while the inbox is full. */
    void put(T message) throws InterruptedException {
        queue.put(message);
    }

    /** Records that the connection failed; the first failure is kept and thrown by {@link #take}. */
    void fail(RuntimeException cause) {
        failure.compareAndSet(null, cause);
    }

    /**
     * Waits up to {@code waitMillis} for a first message, then takes the ones already there, at most {@code max}.
     *
     * @return the messages, empty when none came in time
     * @throws UnavailableException (or what {@link #fail} recorded) once the connection failed
     */
    List<T> take(int max, long waitMillis) throws InterruptedException {
        throwIfFailed();
        var out = new ArrayList<T>();
        var first = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (first != null) {
            out.add(first);
            queue.drainTo(out, max - 1);
        }
        throwIfFailed();
        return out;
    }

    private void throwIfFailed() {
        var cause = failure.get();
        if (cause != null) {
            throw cause;
        }
    }
}
