package io.riffle.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * B6: how soon a pipeline answers. "Create": POST /v1/pipelines (no requirements, running), publish one event over
 * HTTP, time until its result is in the output stream; includes the function build, the engine noticing the
 * pipeline, the worker start. "Wake": a paused pipeline (0 runners) with one event waiting, PATCH state running, time
 * until the result is in the output stream. Riffle has no scale-to-zero yet, so waking is resume-from-pause.
 */
final class ColdStart implements Benchmark {
    @Override
    public String id() {
        return "B6";
    }

    @Override
    public List<Row> run(BenchContext ctx) {
        createToResult(ctx); // warm-up: class loading in riffle and in the bench
        var create = new long[ctx.scaled(5, 2)];
        for (int i = 0; i < create.length; i++) {
            create[i] = createToResult(ctx);
        }
        var wake = wakes(ctx, ctx.scaled(10, 3));
        var c = Latencies.of(create);
        var w = Latencies.of(wake);
        return List.of(
            Row.of("B6 create pipeline → first result", "p50 ms", c.p50Millis(), Target.atMost(1000))
                .withNote("samples ms: " + samples(create)),
            Row.of("B6 create pipeline → first result", "max ms", c.maxMillis(), null),
            Row.of("B6 wake: paused → PATCH running → result", "p50 ms", w.p50Millis(), Target.atMost(300))
                .withNote("resume-from-pause (no scale-to-zero yet); samples ms: " + samples(wake)),
            Row.of("B6 wake: paused → PATCH running → result", "max ms", w.maxMillis(), null));
    }

    private static long createToResult(BenchContext ctx) {
        long t0 = System.nanoTime();
        var p = ctx.api().createPipeline("bench-b6", BenchContext.TRIVIAL_HANDLER, true, Map.of());
        try {
            ctx.api().publish(p, Events.event(ctx.reserve(1), t0));
            try (var watch = ctx.watchOutput(p.id())) {
                if (!watch.await(1, BenchContext.DRAIN_IDLE)) {
                    throw new IllegalStateException("no first result within " + BenchContext.DRAIN_IDLE);
                }
                return watch.lastArrival() - t0;
            }
        } finally {
            ctx.deleteQuietly(p);
        }
    }

    private static long[] wakes(BenchContext ctx, int n) {
        var p = ctx.readyPipeline("bench-b6-wake", BenchContext.TRIVIAL_HANDLER, Map.of());
        var out = new long[n];
        try (var watch = ctx.watchOutput(p.id())) {
            watch.await(1, BenchContext.DRAIN_IDLE);
            for (int i = 0; i < n; i++) {
                ctx.api().setRunning(p.id(), false);
                if (!Waits.until(() -> ctx.api().status(p.id()).path("replicas").asInt() == 0,
                    Duration.ofMillis(50), Duration.ofSeconds(30))) {
                    throw new IllegalStateException("the paused pipeline still has runners after 30 s");
                }
                long expected = watch.count() + 1;
                ctx.api().publish(p, Events.event(ctx.reserve(1), 0));
                Waits.sleep(Duration.ofMillis(300)); // the event waits in the input stream
                long t0 = System.nanoTime();
                ctx.api().setRunning(p.id(), true);
                if (!watch.await(expected, BenchContext.DRAIN_IDLE)) {
                    throw new IllegalStateException("no result after waking");
                }
                out[i] = watch.lastArrival() - t0;
            }
        } finally {
            ctx.deleteQuietly(p);
        }
        return out;
    }

    private static String samples(long[] nanos) {
        return Arrays.stream(nanos).mapToObj(x -> Format.number(Latencies.millis(x)))
            .collect(Collectors.joining(", "));
    }
}
