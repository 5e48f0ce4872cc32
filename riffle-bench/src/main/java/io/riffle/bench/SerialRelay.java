package io.riffle.bench;

import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.JetStream;
import io.nats.client.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;

/**
 * Riffle's runner loop (riffle-engine Runner.run/processBatch with JetStreamInputFeed.next) without the Python step:
 * one no-wait pull of up to {@code batch} events, publish each, wait for all publish acks, ack each input, repeat.
 * A diagnostic: how fast that loop structure is on its own.
 */
final class SerialRelay implements AutoCloseable {
    private final ConsumerContext consumer;
    private final JetStream js;
    private final String outSubject;
    private final String outStream;
    private final int batch;
    private final Thread thread;
    private volatile boolean running = true;
    private long fetches;
    private long fetched;
    private long fetchNanos;
    private long publishNanos;

    SerialRelay(ConsumerContext consumer, JetStream js, String outSubject, String outStream, int batch) {
        this.consumer = consumer;
        this.js = js;
        this.outSubject = outSubject;
        this.outStream = outStream;
        this.batch = batch;
        this.thread = Thread.ofVirtual().name("serial-relay").start(this::run);
    }

    private void run() {
        var options = FetchConsumeOptions.builder().maxMessages(batch).noWaitExpiresIn(1000).build();
        while (running) {
            var events = new ArrayList<Message>(batch);
            long t0 = System.nanoTime();
            try (var fetch = consumer.fetch(options)) {
                for (Message m; (m = fetch.nextMessage()) != null; ) {
                    events.add(m);
                }
                long t1 = System.nanoTime();
                fetchNanos += t1 - t0;
                fetches++;
                fetched += events.size();
                var acks = new ArrayList<CompletableFuture<?>>(events.size());
                for (var m : events) {
                    long seq = m.metaData().streamSequence();
                    acks.add(js.publishAsync(outSubject, RawJetStreamBaseline.relayHeaders(seq), m.getData(),
                        RawJetStreamBaseline.relayOptions(outStream, seq)));
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
                events.forEach(Message::ack);
                publishNanos += System.nanoTime() - t1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (running) {
                    System.err.println("bench: serial relay: " + e);
                }
            }
        }
    }

    /** Where the loop's time went; read after {@link #close()}. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "%d pulls, %.1f events per pull, %.2f ms per pull waiting for "
            + "messages, %.2f ms per batch publishing and acking", fetches, fetched / (double) Math.max(1, fetches),
            fetchNanos / 1e6 / Math.max(1, fetches), publishNanos / 1e6 / Math.max(1, fetches));
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.err.println("bench: serial relay: " + describe());
    }
}
