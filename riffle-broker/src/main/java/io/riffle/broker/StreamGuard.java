package io.riffle.broker;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Enforces the byte limit of every pipeline stream (RIFFLE_MAX_STREAM_BYTES), refusing at 90% of it. The streams
 * carry no JetStream byte limit because nats-server reserves it up front, and because nats-server 2.9 checks
 * "discard new" against payload and header sizes only while its store counts subject and record overhead too: an
 * event that passes the check can push the store over its limit, and the store then silently evicts the oldest
 * event.
 *
 * <p>Each stream's stored bytes are read from JetStream at most once a second, plus whenever the bytes written since
 * the last reading could reach the mark. Thread-safe.
 */
final class StreamGuard {
    static final double HIGH_WATER = 0.9;
    private static final long REFRESH_NANOS = 1_000_000_000L;
    private final JetStreamManagement jsm;
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();
    private volatile DiskGuard disk;

    StreamGuard(JetStreamManagement jsm) {
        this.jsm = jsm;
    }

    /** From now on, refuses every write while {@code guard} finds too little disk space. */
    void watchDisk(DiskGuard guard) {
        this.disk = guard;
    }

    /**
     * True when {@code bytes} more fit under the stream's high-water mark; counts them as written when so.
     *
     * @throws io.riffle.core.InsufficientStorageException when the disk is (nearly) full
     */
    boolean admit(String stream, long limit, long bytes) throws IOException, JetStreamApiException {
        var d = disk;
        if (d != null) {
            d.require();
        }
        var u = usage.computeIfAbsent(stream, k -> new Usage());
        long mark = (long) (limit * HIGH_WATER);
        long now = System.nanoTime();
        if (u.stored + u.written.get() + bytes <= mark && now - u.readAt < REFRESH_NANOS) {
            u.written.addAndGet(bytes);
            return true;
        }
        u.lock.lock();
        try {
            u.stored = jsm.getStreamInfo(stream).getStreamState().getByteCount();
            u.written.set(0);
            u.readAt = System.nanoTime();
            if (u.stored + bytes > mark) {
                return false;
            }
            u.written.addAndGet(bytes);
            return true;
        } finally {
            u.lock.unlock();
        }
    }

    void forget(String stream) {
        usage.remove(stream);
    }

    /** What is known of one stream. */
    private static final class Usage {
        final ReentrantLock lock = new ReentrantLock();
        final AtomicLong written = new AtomicLong();
        volatile long stored;
        volatile long readAt = Long.MIN_VALUE / 2;
    }
}
