package io.riffle.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * B8: a handler doing about 200 µs of pure-Python work per event, with 1 and then 2 replicas. The loop count is
 * calibrated on this machine's python3 before the run, so "200 µs" holds whatever the CPU.
 */
final class CpuScaling implements Benchmark {
    static final double TARGET_MICROS = 200;

    @Override
    public String id() {
        return "B8";
    }

    @Override
    public List<Row> run(BenchContext ctx) {
        int n = Math.min(ctx.options().eventCount(), ctx.scaled(20_000, 400));
        double perIteration = nanosPerIteration();
        long loops = Math.max(1, Math.round(TARGET_MICROS * 1000 / perIteration));
        var source = handler(loops);
        double one = measure(ctx, source, 1, n);
        double two = measure(ctx, source, 2, n);
        var note = String.format(java.util.Locale.ROOT, "%d events, %d loop iterations ≈ %.0f µs per event "
            + "(calibrated: %.1f ns per iteration)", n, loops, loops * perIteration / 1000, perIteration);
        return List.of(
            Row.of("B8 CPU handler, 1 replica", "events/s", one, null).withNote(note),
            Row.of("B8 CPU handler, 2 replicas", "events/s", two, Target.ratioAtLeast(1.8)).withBaseline(one)
                .withNote("ratio = scaling factor 2 replicas / 1 replica"));
    }

    private static double measure(BenchContext ctx, String source, int replicas, int n) {
        var p = ctx.readyPipeline("bench-b8-" + replicas, source, Map.of("replicas", replicas));
        try (var watch = ctx.watchOutput(p.id())) {
            Waits.until(() -> ctx.api().status(p.id()).path("replicas").asInt() >= replicas,
                java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(30));
            ctx.pushThrough(p, watch, Math.max(replicas * 100, n / 10));
            var cpu = ctx.cpu();
            double rate = ctx.pushThrough(p, watch, n);
            System.err.println("bench: B8 " + replicas + " replica(s) CPU: " + cpu.stop(n));
            return rate;
        } finally {
            ctx.deleteQuietly(p);
        }
    }

    static String handler(long loops) {
        return "N = " + loops + "\n\n"
            + "def handler(data, log):\n"
            + "    x = 0\n"
            + "    for i in range(N):\n"
            + "        x = (x * 31 + i) % 1000003\n"
            + "    data[\"x\"] = x\n"
            + "    return data\n";
    }

    /** Times the handler's loop body in this machine's python3 (best of 5 runs of 200,000 iterations). */
    static double nanosPerIteration() {
        var script = "import timeit\n"
            + "def f(n):\n    x = 0\n    for i in range(n):\n        x = (x * 31 + i) % 1000003\n    return x\n"
            + "print(min(timeit.repeat(lambda: f(200000), number=1, repeat=5)) / 200000 * 1e9)\n";
        var python = System.getenv().getOrDefault("RIFFLE_PYTHON", "python3");
        try {
            var proc = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
            var out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!proc.waitFor(60, TimeUnit.SECONDS) || proc.exitValue() != 0) {
                throw new IllegalStateException("calibrating with " + python + " failed: " + out);
            }
            return Double.parseDouble(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + python + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
