package io.riffle.bench;

import java.util.List;
import java.util.Map;

/**
 * B2: the B1 workload through a Riffle pipeline whose handler returns its input. Events go straight into the
 * pipeline's input stream over NATS (the same publisher as B1, so the difference is Riffle's processing path: runner,
 * worker protocol, CPython); results are drained from the output stream with an ordered consumer.
 */
final class PipelineThroughput implements Benchmark {
    @Override
    public String id() {
        return "B2";
    }

    @Override
    public List<Row> run(BenchContext ctx) {
        int n = ctx.options().eventCount();
        var p = ctx.readyPipeline("bench-b2", BenchContext.TRIVIAL_HANDLER, Map.of());
        try (var watch = ctx.watchOutput(p.id())) {
            ctx.pushThrough(p, watch, Math.max(1, n / 5));
            double before = functionSeconds(ctx, p.id());
            var cpu = ctx.cpu();
            long t0 = System.nanoTime();
            double rate = ctx.pushThrough(p, watch, n);
            double wall = (System.nanoTime() - t0) / 1e9;
            var used = cpu.stop(n);
            double python = functionSeconds(ctx, p.id()) - before;
            var inPython = Double.isNaN(python) ? String.format(java.util.Locale.ROOT, "%.1f s wall", wall)
                : String.format(java.util.Locale.ROOT, "time in worker.process %.1f s of %.1f s wall", python, wall);
            double baseline = ctx.results().getOrDefault("B1.rate", Double.NaN);
            return List.of(Row.of("B2 pipeline, return data", "events/s", rate, Target.ratioAtLeast(0.6))
                .withBaseline(baseline)
                .withNote(n + " events published over NATS into the input stream, 1 replica, batch_size 100; "
                    + "baseline = B1; " + inPython + "; CPU: " + used));
        } finally {
            ctx.deleteQuietly(p);
        }
    }

    /** Riffle's own account of time in the Python function (its timer records batch time / batch size per event). */
    static double functionSeconds(BenchContext ctx, String pipelineId) {
        return ctx.api().metric("riffle_pipeline_function_duration_seconds_sum", pipelineId);
    }
}
