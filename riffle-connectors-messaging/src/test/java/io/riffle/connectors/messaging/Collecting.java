package io.riffle.connectors.messaging;

import io.riffle.connectors.SourceContext;
import io.riffle.connectors.SourceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SourceContext} that keeps what was emitted (a fake of the runtime's JetStream writer); it can be told
 * to fail the k-th emit, as a JetStream outage would, after which nothing of that batch counts as stored.
 */
final class Collecting implements SourceContext {
    private final List<SourceRecord> stored = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger emits = new AtomicInteger();
    private final AtomicInteger connects = new AtomicInteger();
    private volatile int failAt = -1;

    private volatile int holdAt = Integer.MAX_VALUE;
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

    /**
     * Makes the emit that brings the stored count to {@code n} or more wait until {@link #release()}, so a test can
     * close a source while it is surely mid-stream (a fast machine reads everything between two polls otherwise).
     */
    Collecting holdAt(int n) {
        holdAt = n;
        return this;
    }

    /** Lets a held emit return. */
    void release() {
        released.countDown();
    }

    /** Makes emit call number {@code k} (1-based, counted from now) throw. */
    Collecting failEmit(int k) {
        failAt = emits.get() + k;
        return this;
    }

    @Override
    public void emit(List<SourceRecord> records) throws Exception {
        if (emits.incrementAndGet() == failAt) {
            throw new IllegalStateException("JetStream unavailable (injected)");
        }
        synchronized (stored) {
            stored.addAll(records);
        }
        if (size() >= holdAt && !released.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("held emit never released");
        }
    }

    @Override
    public boolean running() {
        return running.get();
    }

    @Override
    public void connected() {
        connects.incrementAndGet();
    }

    void stop() {
        running.set(false);
    }

    int connects() {
        return connects.get();
    }

    int size() {
        synchronized (stored) {
            return stored.size();
        }
    }

    List<SourceRecord> records() {
        synchronized (stored) {
            return List.copyOf(stored);
        }
    }

    /** The distinct {@code n} of the stored events (duplicates from redelivery collapse). */
    Set<Integer> distinct() {
        var out = new TreeSet<Integer>();
        records().forEach(r -> out.add(Harness.n(r.payload())));
        return out;
    }

    /** The distinct dedupe ids of the stored records. */
    Set<String> dedupeIds() {
        var out = new TreeSet<String>();
        records().forEach(r -> out.add(r.dedupeId()));
        return out;
    }
}
