package io.riffle.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * B4: GlassFlow's one-event publish from 32 concurrent keep-alive clients, each a virtual thread with its own
 * connection in a closed loop (wrk-like: a prepared request, the response read and dropped). The pipeline is paused,
 * so the function does not compete for the 2 cores: this is the publish endpoint's own capacity.
 */
final class SinglePublish implements Benchmark {
    static final int CLIENTS = 32;

    @Override
    public String id() {
        return "B4";
    }

    @Override
    public List<Row> run(BenchContext ctx) {
        var p = ctx.api().createPipeline("bench-b4", BenchContext.TRIVIAL_HANDLER, false, Map.of());
        try {
            var uri = URI.create(ctx.api().baseUrl());
            var request = RawHttpConnection.post("/v1/pipelines/" + p.id() + "/topics/input/events",
                "X-PIPELINE-ACCESS-TOKEN: " + p.token() + "\r\n", Events.event(0, 0));
            load(uri, request, Duration.ofSeconds(ctx.scaled(5, 1)));
            var duration = Duration.ofSeconds(ctx.scaled(20, 2));
            var result = load(uri, request, duration);
            var lat = Latencies.of(result.latencies());
            var note = CLIENTS + " clients × keep-alive connection, " + duration.toSeconds() + " s after a warm-up, "
                + result.errors() + " non-200 answers; pipeline paused";
            return List.of(
                Row.of("B4 single-event publish", "requests/s", result.rate(), Target.atLeast(8_000)).withNote(note),
                Row.of("B4 single-event publish", "p50 ms", lat.p50Millis(), null),
                Row.of("B4 single-event publish", "p99 ms", lat.p99Millis(), Target.atMost(20)),
                Row.of("B4 single-event publish", "max ms", lat.maxMillis(), null));
        } finally {
            ctx.deleteQuietly(p);
        }
    }

    record Result(double rate, long[] latencies, long errors) {
    }

    private static Result load(URI uri, byte[] request, Duration duration) {
        var errors = new AtomicLong();
        var perClient = new long[CLIENTS][];
        var threads = new ArrayList<Thread>(CLIENTS);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            threads.add(Thread.ofVirtual().start(() -> {
                var samples = new long[1 << 14];
                int count = 0;
                try (var conn = new RawHttpConnection(uri.getHost(), uri.getPort())) {
                    for (long t = System.nanoTime(); t < end; ) {
                        int status = conn.exchange(request);
                        long now = System.nanoTime();
                        if (status != 200) {
                            errors.incrementAndGet();
                        }
                        if (count == samples.length) {
                            samples = Arrays.copyOf(samples, count * 2);
                        }
                        samples[count++] = now - t;
                        t = now;
                    }
                }
                perClient[client] = Arrays.copyOf(samples, count);
            }));
        }
        for (var t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        long elapsed = System.nanoTime() - start;
        var all = Arrays.stream(perClient).filter(a -> a != null).flatMapToLong(Arrays::stream).toArray();
        return new Result(Rates.perSecond(all.length, elapsed), all, errors.get());
    }
}
