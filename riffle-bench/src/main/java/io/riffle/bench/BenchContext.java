package io.riffle.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.riffle.bench.RiffleApi.PipelineRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the benchmarks share: the options, the bench's NATS connection, the riffle process and its API, results
 * other benchmarks refer to (B2's baseline is B1's rate), and helpers for the common steps.
 */
final class BenchContext {
    static final String TRIVIAL_HANDLER = "def handler(data, log):\n    return data\n";
    static final Duration DRAIN_IDLE = Duration.ofSeconds(60);
    private final BenchOptions options;
    private final Connection nc;
    private final JetStream js;
    private final PlatformProcess platform;
    private final RiffleApi api;
    private final Map<String, Double> results = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong(1);

    BenchContext(BenchOptions options, Connection nc, PlatformProcess platform) {
        this.options = options;
        this.nc = nc;
        this.platform = platform;
        this.api = platform == null ? null : new RiffleApi(platform.baseUrl(), platform.adminToken());
        try {
            this.js = nc.jetStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    BenchOptions options() {
        return options;
    }

    Connection nats() {
        return nc;
    }

    JetStream jetStream() {
        return js;
    }

    PlatformProcess platform() {
        if (platform == null) {
            throw new IllegalStateException("this benchmark needs the riffle process, which was not started");
        }
        return platform;
    }

    RiffleApi api() {
        platform();
        return api;
    }

    /** A quick run uses {@code quick}, a full run {@code full}. */
    int scaled(int full, int quick) {
        return options.quick() ? quick : full;
    }

    /** Results kept for later benchmarks, such as {@code B1.rate}. */
    Map<String, Double> results() {
        return results;
    }

    /** Reserves {@code n} event sequence numbers, unique in the run; returns the first. */
    long reserve(long n) {
        return sequence.getAndAdd(n);
    }

    static String inSubject(String pipelineId) {
        return "riffle." + pipelineId + ".in";
    }

    static String outStream(String pipelineId) {
        return "RIFFLE_" + pipelineId + "_OUT";
    }

    OutputWatch watchOutput(String pipelineId) {
        return OutputWatch.open(nc, outStream(pipelineId));
    }

    /**
     * Publishes {@code n} events straight into the pipeline's input stream and waits for all results. Returns
     * events per second from the first publish to the arrival of the last result.
     */
    double pushThrough(PipelineRef p, OutputWatch watch, int n) {
        long expected = watch.count() + n;
        long first = reserve(n);
        long t0 = System.nanoTime();
        new StreamPublisher(js).publish(inSubject(p.id()), first, n);
        if (!watch.await(expected, DRAIN_IDLE)) {
            throw new IllegalStateException("pipeline " + p.id() + ": only " + watch.count() + " of " + expected
                + " results arrived; riffle log:\n" + platform().logTail());
        }
        return Rates.perSecond(n, watch.lastArrival() - t0);
    }

    /** Creates a running pipeline and waits for the result of a first event, so its worker is up. */
    PipelineRef readyPipeline(String name, String source, Map<String, Object> settings) {
        var p = api().createPipeline(name, source, true, settings);
        try (var watch = watchOutput(p.id())) {
            pushThrough(p, watch, 1);
        }
        return p;
    }

    /** Starts CPU accounting of the riffle JVM, its Python workers, the nats-server and the bench itself. */
    CpuUsage cpu() {
        var groups = new java.util.LinkedHashMap<String, java.util.function.Supplier<java.util.List<ProcessHandle>>>();
        if (platform != null) {
            groups.put("riffle JVM", () -> java.util.List.of(platform.handle()));
            groups.put("Python", () -> platform.handle().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("python")).toList());
        }
        groups.put("nats-server", () -> ProcessHandle.current().children()
            .filter(p -> p.info().command().orElse("").contains("nats-server")).toList());
        groups.put("bench", () -> java.util.List.of(ProcessHandle.current()));
        return CpuUsage.start(groups);
    }

    void deleteQuietly(PipelineRef p) {
        try {
            api().deletePipeline(p.id());
        } catch (RuntimeException e) {
            System.err.println("bench: could not delete pipeline " + p.id() + ": " + e.getMessage());
        }
    }
}
