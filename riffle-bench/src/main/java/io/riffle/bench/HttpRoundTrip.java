package io.riffle.bench;

import io.riffle.bench.RiffleApi.PipelineRef;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * B3: the REST API at both ends. Publishers send batches of 500 events (a JSON array) to the batch endpoint; at the
 * same time consumers take results with GlassFlow's consume call, one result per request (Riffle has no batch
 * consume). The rate is events over the time from the first publish to the last consumed result; the table also
 * shows each side's own rate within that run.
 */
final class HttpRoundTrip implements Benchmark {
    static final int BATCH = 500;
    static final int PUBLISHERS = 4;
    static final int CONSUMERS = 8;

    @Override
    public String id() {
        return "B3";
    }

    @Override
    public List<Row> run(BenchContext ctx) {
        int n = Math.min(ctx.options().eventCount(), ctx.scaled(50_000, 1_000));
        n = Math.max(BATCH, n / BATCH * BATCH);
        var p = ctx.readyPipeline("bench-b3", BenchContext.TRIVIAL_HANDLER, Map.of());
        try {
            consume(ctx, p, 1); // the warm-up event of readyPipeline
            roundTrip(ctx, p, Math.max(BATCH, n / 10 / BATCH * BATCH));
            var r = roundTrip(ctx, p, n);
            var note = n + " events; " + PUBLISHERS + " publishers × batches of " + BATCH + " (JSON array), "
                + CONSUMERS + " consumers calling POST .../topics/output/events/consume";
            return List.of(
                Row.of("B3 HTTP batch publish → pipeline → HTTP consume", "events/s", r.endToEnd(),
                    Target.atLeast(25_000)).withNote(note),
                Row.of("B3 of which: batch publish", "events/s", r.publish(), null),
                Row.of("B3 of which: one-by-one consume", "events/s", r.consume(), null)
                    .withNote("consume is one request per event: no batch consume endpoint exists"));
        } finally {
            ctx.deleteQuietly(p);
        }
    }

    record Result(double endToEnd, double publish, double consume) {
    }

    private static Result roundTrip(BenchContext ctx, PipelineRef p, int n) {
        var uri = URI.create(ctx.api().baseUrl());
        var consumed = new AtomicLong();
        var firstConsumed = new AtomicLong();
        long first = ctx.reserve(n);
        long t0 = System.nanoTime();
        var threads = new ArrayList<Thread>();
        var published = new AtomicLong();
        for (int w = 0; w < PUBLISHERS; w++) {
            int worker = w;
            threads.add(Thread.ofVirtual().start(() -> publish(uri, p, first, n, worker, published)));
        }
        var consumers = new ArrayList<Thread>();
        for (int c = 0; c < CONSUMERS; c++) {
            consumers.add(Thread.ofVirtual().start(() -> consume(uri, p, n, consumed, firstConsumed)));
        }
        join(threads);
        long publishDone = System.nanoTime();
        join(consumers);
        long consumeDone = System.nanoTime();
        if (consumed.get() < n) {
            throw new IllegalStateException("only " + consumed.get() + " of " + n + " results were consumed");
        }
        return new Result(Rates.perSecond(n, consumeDone - t0), Rates.perSecond(n, publishDone - t0),
            Rates.perSecond(n, consumeDone - firstConsumed.get()));
    }

    private static void publish(URI uri, PipelineRef p, long first, int n, int worker, AtomicLong published) {
        var path = "/v1/pipelines/" + p.id() + "/topics/input/events/batch";
        var headers = "X-PIPELINE-ACCESS-TOKEN: " + p.token() + "\r\n";
        try (var conn = new RawHttpConnection(uri.getHost(), uri.getPort())) {
            for (int b = worker; b * BATCH < n; b += PUBLISHERS) {
                var body = new ByteArrayOutputStream(BATCH * 140);
                body.write('[');
                for (int i = 0; i < BATCH; i++) {
                    if (i > 0) {
                        body.write(',');
                    }
                    body.writeBytes(Events.event(first + (long) b * BATCH + i, System.nanoTime()));
                }
                body.write(']');
                int status = conn.exchange(RawHttpConnection.post(path, headers, body.toByteArray()));
                if (status != 200) {
                    throw new IllegalStateException("batch publish answered " + status);
                }
                published.addAndGet(BATCH);
            }
        }
    }

    /** Consumes until {@code n} results were taken by all consumers together; 204 means none yet. */
    private static void consume(URI uri, PipelineRef p, int n, AtomicLong consumed, AtomicLong firstAt) {
        var request = RawHttpConnection.post("/v1/pipelines/" + p.id() + "/topics/output/events/consume",
            "X-PIPELINE-ACCESS-TOKEN: " + p.token() + "\r\n", new byte[0]);
        long idleSince = System.nanoTime();
        try (var conn = new RawHttpConnection(uri.getHost(), uri.getPort())) {
            while (consumed.get() < n) {
                int status = conn.exchange(request);
                if (status == 200) {
                    firstAt.compareAndSet(0, System.nanoTime());
                    consumed.incrementAndGet();
                    idleSince = System.nanoTime();
                } else if (status == 204) {
                    if (System.nanoTime() - idleSince > BenchContext.DRAIN_IDLE.toNanos()) {
                        return;
                    }
                    Waits.sleep(Duration.ofMillis(2));
                } else {
                    throw new IllegalStateException("consume answered " + status);
                }
            }
        }
    }

    private static void consume(BenchContext ctx, PipelineRef p, int n) {
        var uri = URI.create(ctx.api().baseUrl());
        consume(uri, p, n, new AtomicLong(), new AtomicLong());
    }

    private static void join(List<Thread> threads) {
        for (var t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
