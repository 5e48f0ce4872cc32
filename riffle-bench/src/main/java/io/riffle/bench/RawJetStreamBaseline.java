package io.riffle.bench;

import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.ConsumerContext;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * B1: Riffle's event path without Riffle. Events are published to stream A; a relay with its own connection reads
 * A through a durable consumer, publishes each event to stream B with a message id and acks the input once that
 * publish is acknowledged; an ordered consumer drains B. Two broker hops with Riffle's guarantees and no Python:
 * the floor of Riffle's path on this machine, measured in the same run.
 *
 * <p>A second, diagnostic row runs the same hops with Riffle's runner loop ({@link SerialRelay}): what the loop's
 * structure costs before any Python runs.
 */
final class RawJetStreamBaseline implements Benchmark {
    static final int BATCH = 100;

    @Override
    public String id() {
        return "B1";
    }

    @Override
    public List<Row> run(BenchContext ctx) {
        int n = ctx.options().eventCount();
        var floor = relayRun(ctx, n, (in, out) -> new PipelinedRelay(in.consumer(), in.js(), out.subject(),
            out.stream()));
        ctx.results().put("B1.rate", floor.rate());
        var serial = relayRun(ctx, n, (in, out) -> new SerialRelay(in.consumer(), in.js(), out.subject(),
            out.stream(), BATCH));
        return List.of(
            Row.of("B1 raw JetStream, 2 hops", "events/s", floor.rate(), null).withNote(n + " events of ~130 B, "
                + "async publish (window " + StreamPublisher.WINDOW + "); relay: prefetching consumer ("
                + BATCH * 5 + "), publish with msg id, ack on its ack; ordered-consumer drain; CPU: " + floor.cpu()),
            Row.of("B1 variant: Riffle's runner loop, no Python", "events/s", serial.rate(), null)
                .withBaseline(floor.rate()).withNote("diagnostic: fetch ≤ " + BATCH + " (no-wait pull) → publish "
                    + "each → wait for all acks → ack inputs, one batch at a time, as Runner does; CPU: "
                    + serial.cpu()));
    }

    record Measured(double rate, String cpu) {
    }

    /** The relay's input (its consumer and its own JetStream context) and output. */
    record Input(ConsumerContext consumer, JetStream js) {
    }

    record Output(String stream, String subject) {
    }

    private static Measured relayRun(BenchContext ctx, int n,
                                     java.util.function.BiFunction<Input, Output, AutoCloseable> relays) {
        var jsm = management(ctx);
        var tag = Long.toString(System.nanoTime(), 36).toUpperCase();
        var a = "BENCH_" + tag + "_A";
        var b = "BENCH_" + tag + "_B";
        Connection relayConnection = null;
        try {
            createStream(jsm, a, "bench." + tag + ".a");
            createStream(jsm, b, "bench." + tag + ".b");
            jsm.addOrUpdateConsumer(a, ConsumerConfiguration.builder().durable("relay").ackPolicy(AckPolicy.Explicit)
                .ackWait(Duration.ofSeconds(30)).maxAckPending(20_000).build());
            // the relay has its own connection, as the riffle process has its own
            relayConnection = Nats.connect(Options.builder().server(ctx.nats().getConnectedUrl())
                .connectionName("riffle-bench-relay").build());
            var input = new Input(relayConnection.getConsumerContext(a, "relay"), relayConnection.jetStream());
            try (var relay = relays.apply(input, new Output(b, "bench." + tag + ".b"));
                 var watch = OutputWatch.open(ctx.nats(), b)) {
                measure(ctx, watch, "bench." + tag + ".a", Math.max(1, n / 5));
                var cpu = ctx.cpu();
                double rate = measure(ctx, watch, "bench." + tag + ".a", n);
                return new Measured(rate, cpu.stop(n));
            }
        } catch (Exception e) {
            throw new IllegalStateException("B1: " + e.getMessage(), e);
        } finally {
            if (relayConnection != null) {
                try {
                    relayConnection.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            deleteQuietly(jsm, a);
            deleteQuietly(jsm, b);
        }
    }

    private static double measure(BenchContext ctx, OutputWatch watch, String subject, int n) {
        long expected = watch.count() + n;
        long first = ctx.reserve(n);
        long t0 = System.nanoTime();
        new StreamPublisher(ctx.jetStream()).publish(subject, first, n);
        if (!watch.await(expected, BenchContext.DRAIN_IDLE)) {
            throw new IllegalStateException("only " + watch.count() + " of " + expected + " relayed events arrived");
        }
        return Rates.perSecond(n, watch.lastArrival() - t0);
    }

    private static JetStreamManagement management(BenchContext ctx) {
        try {
            return ctx.nats().jetStreamManagement();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createStream(JetStreamManagement jsm, String name, String subject) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name(name).subjects(subject).storageType(StorageType.File)
            .duplicateWindow(Duration.ofMinutes(20)).build());
    }

    private static void deleteQuietly(JetStreamManagement jsm, String stream) {
        try {
            jsm.deleteStream(stream);
        } catch (Exception ignored) {
            // gone already
        }
    }

    static Headers relayHeaders(long seq) {
        return new Headers().put("Riffle-Request-Id", "r").put("Riffle-Source-Seq", Long.toString(seq));
    }

    static PublishOptions relayOptions(String outStream, long seq) {
        return PublishOptions.builder().expectedStream(outStream).messageId("b1:" + seq + ":0").build();
    }

    /**
     * The physical floor of a relay: a prefetching consumer; each message is republished with a message id and
     * acked when that publish is acknowledged (a result stored before its input is acked, as in Riffle).
     */
    private static final class PipelinedRelay implements AutoCloseable {
        private final MessageConsumer consumer;

        PipelinedRelay(ConsumerContext input, JetStream js, String outSubject, String outStream) {
            try {
                this.consumer = input.consume(ConsumeOptions.builder().batchSize(BATCH * 5).build(), m -> {
                    var seq = m.metaData().streamSequence();
                    js.publishAsync(outSubject, relayHeaders(seq), m.getData(), relayOptions(outStream, seq))
                        .whenComplete((ack, e) -> {
                            if (e == null) {
                                m.ack();
                            } else {
                                m.nak();
                            }
                        });
                });
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the relay: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                consumer.close();
            } catch (Exception ignored) {
                // the connection closes next
            }
        }
    }
}
