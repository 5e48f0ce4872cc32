package io.riffle.connectors.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.connectors.Source;
import io.riffle.connectors.SourceContext;
import io.riffle.connectors.SourceRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a source the way the engine does: on a thread, reopening it after a failure with a short backoff, and
 * collecting what it emits. Like JetStream's dedupe, {@link #unique()} keeps the first record per dedupe id.
 */
final class SourceLoop implements AutoCloseable, SourceContext {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Supplier<Source> opener;
    private final List<SourceRecord> emitted = new ArrayList<>();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String error;
    private volatile Source current;
    /** When positive, emit fails once this many more records have been stored (a crash after a partial store). */
    private volatile int failAfter;
    /** When positive, the next emit blocks this long first (a full input stream). */
    private volatile long blockMillis;

    SourceLoop(Supplier<Source> opener) {
        this.opener = opener;
        this.thread = Thread.ofPlatform().name("source-loop").start(this::loop);
    }

    private void loop() {
        while (running) {
            try (var source = opener.get()) {
                current = source;
                source.run(this);
            } catch (Exception e) {
                error = e.getMessage();
                failures.incrementAndGet();
                pause();
            } finally {
                current = null;
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void emit(List<SourceRecord> records) throws Exception {
        var block = blockMillis;
        if (block > 0) {
            blockMillis = 0;
            Thread.sleep(block);
        }
        synchronized (emitted) {
            for (var r : records) {
                if (failAfter > 0 && --failAfter == 0) {
                    throw new IllegalStateException("injected: the input stream refused the batch");
                }
                emitted.add(r);
            }
        }
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public void connected() {
        connects.incrementAndGet();
        error = null;
    }

    void blockNextEmit(long millis) {
        blockMillis = millis;
    }

    void failAfter(int records) {
        failAfter = records;
    }

    int connects() {
        return connects.get();
    }

    int failures() {
        return failures.get();
    }

    String error() {
        return error;
    }

    List<SourceRecord> emitted() {
        synchronized (emitted) {
            return List.copyOf(emitted);
        }
    }

    /** The first record stored per dedupe id, in order, parsed. */
    Map<String, JsonNode> unique() {
        var out = new LinkedHashMap<String, JsonNode>();
        for (var r : emitted()) {
            out.putIfAbsent(r.dedupeId(), parse(r));
        }
        return out;
    }

    static JsonNode parse(SourceRecord r) {
        try {
            return JSON.readTree(r.payload());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the loop as the engine stops a source: running() turns false, then close(), then a bounded join. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        var source = current;
        if (source != null) {
            source.close();
        }
        thread.join(10_000);
        if (thread.isAlive()) {
            throw new AssertionError("the source did not stop within 10 s");
        }
    }
}
