package io.riffle.bench;

import io.riffle.bench.RiffleApi.PipelineRef;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * B5: a steady 2,000 events/s of single-event HTTP publishes (open loop: each event has an intended send time, and
 * its latency counts from that time, so a stall is not hidden by sending less), results read from the output stream
 * by an ordered consumer. Latency = arrival of the result − intended send time, both on the bench's clock.
 */
final class SteadyLatency implements Benchmark {
    static final int RATE = 2_000;
    static final int SENDERS = 16;

    @Override
    public String id() {
        return "B5";
    }

    @Override
    public List<Row> run(BenchContext ctx) {
        var p = ctx.readyPipeline("bench-b5", BenchContext.TRIVIAL_HANDLER, Map.of());
        try (var watch = ctx.watchOutput(p.id())) {
            run(ctx, p, watch, RATE * ctx.scaled(5, 1));
            int n = RATE * ctx.scaled(30, 2);
            long[] lat = run(ctx, p, watch, n);
            long lost = Arrays.stream(lat).filter(x -> x == 0).count();
            var got = Arrays.stream(lat).filter(x -> x != 0).toArray();
            var l = Latencies.of(got);
            var note = n + " events at " + RATE + "/s over HTTP single publish (" + SENDERS + " keep-alive "
                + "connections), 1 replica; " + lost + " results missing";
            return List.of(
                Row.of("B5 publish → result in output stream", "p50 ms", l.p50Millis(), null).withNote(note),
                Row.of("B5 publish → result in output stream", "p99 ms", l.p99Millis(), Target.atMost(25)),
                Row.of("B5 publish → result in output stream", "max ms", l.maxMillis(), null));
        } finally {
            ctx.deleteQuietly(p);
        }
    }

    private static long[] run(BenchContext ctx, PipelineRef p, OutputWatch watch, int n) {
        long first = ctx.reserve(n);
        long expected = watch.count() + n;
        watch.recordLatencies(first, n);
        var queue = new LinkedBlockingQueue<long[]>();
        var uri = URI.create(ctx.api().baseUrl());
        var path = "/v1/pipelines/" + p.id() + "/topics/input/events";
        var headers = "X-PIPELINE-ACCESS-TOKEN: " + p.token() + "\r\n";
        var errors = new AtomicLong();
        var senders = new ArrayList<Thread>();
        for (int s = 0; s < SENDERS; s++) {
            senders.add(Thread.ofVirtual().start(() -> send(uri, path, headers, queue, errors)));
        }
        long start = System.nanoTime() + 1_000_000;
        long interval = 1_000_000_000L / RATE;
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            queue.add(new long[] {first + i, due});
        }
        for (int s = 0; s < SENDERS; s++) {
            queue.add(new long[0]);
        }
        senders.forEach(t -> {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (errors.get() > 0) {
            System.err.println("bench: B5: " + errors.get() + " publishes were not answered 200");
        }
        watch.await(expected, Duration.ofSeconds(10));
        return watch.latencies().clone();
    }

    private static void send(URI uri, String path, String headers, LinkedBlockingQueue<long[]> queue,
                             AtomicLong errors) {
        try (var conn = new RawHttpConnection(uri.getHost(), uri.getPort())) {
            while (true) {
                var job = queue.take();
                if (job.length == 0) {
                    return;
                }
                if (conn.exchange(RawHttpConnection.post(path, headers, Events.event(job[0], job[1]))) != 200) {
                    errors.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
