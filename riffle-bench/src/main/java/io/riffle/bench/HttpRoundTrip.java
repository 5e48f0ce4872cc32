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
 * same time consumers take results with Riffle's batch consume (up to 500 per request). The rate is events over
 * the time from the first publish to the last consumed result; the table also shows each side's own rate within
 * that run. (GlassFlow's one-result-per-request consume is what the SDKs call; B4's single-request costs apply.)
 */
final class HttpRoundTrip implements Benchmark {
    static final int BATCH = 500;
    static final int PUBLISHERS = 4;
    static final int CONSUMERS = 2;
    private static final java.util.regex.Pattern COUNT = java.util.regex.Pattern.compile("\"count\":(\\d+)");

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
                + CONSUMERS + " consumers calling POST .../topics/output/events/consume/batch?max=500";
            return List.of(
                Row.of("B3 HTTP batch publish → pipeline → HTTP consume", "events/s", r.endToEnd(),
                    Target.atLeast(25_000)).withNote(note),
                Row.of("B3 of which: batch publish", "events/s", r.publish(), null),
                Row.of("B3 of which: batch consume", "events/s", r.consume(), null));
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

    /** Consumes until {@code n} results were taken by all consumers together, in batches of up to 500. */
    private static void consume(URI uri, PipelineRef p, int n, AtomicLong consumed, AtomicLong firstAt) {
        var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        var request = java.net.http.HttpRequest.newBuilder(uri.resolve("/v1/pipelines/" + p.id()
                + "/topics/output/events/consume/batch?max=500&wait_ms=200"))
            .header("X-PIPELINE-ACCESS-TOKEN", p.token()).POST(java.net.http.HttpRequest.BodyPublishers.noBody())
            .build();
        long idleSince = System.nanoTime();
        while (consumed.get() < n) {
            String body;
            try {
                var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("batch consume answered " + response.statusCode());
                }
                body = response.body();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            var m = COUNT.matcher(body);
            int got = m.find() ? Integer.parseInt(m.group(1)) : 0;
            if (got > 0) {
                firstAt.compareAndSet(0, System.nanoTime());
                consumed.addAndGet(got);
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > BenchContext.DRAIN_IDLE.toNanos()) {
                return;
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
