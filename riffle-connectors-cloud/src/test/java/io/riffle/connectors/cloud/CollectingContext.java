package io.riffle.connectors.cloud;

import io.riffle.connectors.SourceContext;
import io.riffle.connectors.SourceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A fake of the engine's side of a source: keeps what was emitted; can fail the next emits. */
final class CollectingContext implements SourceContext {
    final List<SourceRecord> records = new CopyOnWriteArrayList<>();
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger failNext = new AtomicInteger();
    final AtomicInteger connected = new AtomicInteger();

    @Override
    public void emit(List<SourceRecord> batch) {
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("input stream unavailable (test)");
        }
        records.addAll(batch);
    }

    @Override
    public boolean running() {
        return running.get();
    }

    @Override
    public void connected() {
        connected.incrementAndGet();
    }

    List<String> payloads() {
        var out = new ArrayList<String>();
        records.forEach(r -> out.add(new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }
}
