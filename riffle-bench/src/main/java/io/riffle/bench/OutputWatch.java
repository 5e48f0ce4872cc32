package io.riffle.bench;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.MessageConsumer;
import io.nats.client.api.OrderedConsumerConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a stream from its start with an ordered consumer (no acks, so it never disturbs Riffle's own consumers) and
 * counts the messages; with latency recording on, keeps {@code now - sent} of each event by its {@code seq}.
 */
final class OutputWatch implements AutoCloseable {
    private final MessageConsumer consumer;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong lastArrival = new AtomicLong();
    private volatile long[] latencies;
    private volatile long seqOffset;

    private OutputWatch(Connection nc, String stream) throws IOException, JetStreamApiException {
        this.consumer = nc.getStreamContext(stream).createOrderedConsumer(new OrderedConsumerConfiguration())
            .consume(msg -> onMessage(msg.getData()));
    }

    static OutputWatch open(Connection nc, String stream) {
        try {
            return new OutputWatch(nc, stream);
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot read stream " + stream + ": " + e.getMessage(), e);
        }
    }

    /** From now on, records the latency of events with {@code seq} in {@code [firstSeq, firstSeq + n)}. */
    void recordLatencies(long firstSeq, int n) {
        seqOffset = firstSeq;
        latencies = new long[n];
    }

    /** Latencies recorded since {@link #recordLatencies}, nanoseconds, 0 for events not seen. */
    long[] latencies() {
        return latencies;
    }

    private void onMessage(byte[] data) {
        long now = System.nanoTime();
        var lat = latencies;
        if (lat != null) {
            long seq = Events.longField(data, "seq") - seqOffset;
            if (seq >= 0 && seq < lat.length) {
                lat[(int) seq] = now - Events.longField(data, "sent");
            }
        }
        lastArrival.set(now);
        count.incrementAndGet();
    }

    long count() {
        return count.get();
    }

    /** {@link System#nanoTime()} of the latest message. */
    long lastArrival() {
        return lastArrival.get();
    }

    /**
     * Waits until at least {@code n} messages arrived; false when none arrived for {@code idle}. Polls every few
     * milliseconds: timings use {@link #lastArrival()}, so the poll interval does not enter the numbers.
     */
    boolean await(long n, Duration idle) {
        long seen = count.get();
        long quietSince = System.nanoTime();
        while (count.get() < n) {
            Waits.sleep(Duration.ofMillis(5));
            long c = count.get();
            if (c != seen) {
                seen = c;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > idle.toNanos()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        try {
            consumer.close();
        } catch (Exception ignored) {
            // the connection may be gone already
        }
    }
}
