package io.riffle.bench;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.riffle.testkit.TestNats;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code riffle bench}: starts its own nats-server and a riffle process, runs the selected benchmarks (each with a
 * warm-up), prints the result table and optionally writes it as markdown.
 */
public final class Bench {
    /** Run order: memory first, on a fresh process; B1 before B2, whose baseline it is. */
    static final List<Benchmark> SUITE = List.of(new MemoryFootprint(), new ColdStart(),
        new RawJetStreamBaseline(), new PipelineThroughput(), new HttpRoundTrip(), new SinglePublish(),
        new SteadyLatency(), new CpuScaling());

    private Bench() {
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (List.of(args).contains("--help")) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        System.exit(run(options) ? 0 : 1);
    }

    /** Runs the suite; false when a benchmark could not run. */
    static boolean run(BenchOptions options) {
        var selected = selected(options);
        var rows = new ArrayList<Row>();
        var facts = MachineFacts.collect(TestNats.findNatsServer());
        try (var nats = TestNats.start(); var nc = connect(nats.url());
             var platform = needsPlatform(selected) ? PlatformProcess.start(options.jar(), options.jvmOpts(),
                 options.jfr(), nats.url()) : null) {
            var ctx = new BenchContext(options, nc, platform);
            for (var b : selected) {
                System.err.println("bench: " + b.id() + " ...");
                long t0 = System.nanoTime();
                try {
                    rows.addAll(b.run(ctx));
                } catch (RuntimeException e) {
                    e.printStackTrace();
                    if (platform != null) {
                        System.err.println("bench: riffle log, last lines:\n" + platform.logTail());
                    }
                    rows.add(Row.failed(b.id(), String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
                }
                System.err.printf("bench: %s done in %.1f s%n", b.id(), (System.nanoTime() - t0) / 1e9);
            }
        } catch (Exception e) {
            System.err.println("bench: " + e);
            e.printStackTrace();
            return false;
        }
        var table = new ResultTable(rows);
        System.out.println();
        System.out.print(table.text());
        System.out.println();
        System.out.print(facts.markdown());
        if (options.out() != null) {
            write(options, table, facts);
        }
        return rows.stream().noneMatch(r -> r.metric().equals("error"));
    }

    static List<Benchmark> selected(BenchOptions options) {
        return SUITE.stream().filter(b -> options.selected(b.id())
            || b.id().equals("B1") && options.selected("B2")).toList();
    }

    private static boolean needsPlatform(List<Benchmark> selected) {
        return selected.stream().anyMatch(b -> !b.id().equals("B1"));
    }

    private static Connection connect(String url) throws IOException, InterruptedException {
        return Nats.connect(Options.builder().server(url).connectionName("riffle-bench")
            .connectionTimeout(Duration.ofSeconds(5)).build());
    }

    private static void write(BenchOptions options, ResultTable table, MachineFacts facts) {
        var text = table.markdown() + "\n" + facts.markdown() + "- command: `riffle bench"
            + (options.quick() ? " --quick" : "") + (options.only().isEmpty() ? "" : " --only "
            + String.join(",", options.only().stream().sorted().toList())) + "`, " + options.eventCount()
            + " events per throughput run\n";
        try {
            if (options.out().getParent() != null) {
                Files.createDirectories(options.out().getParent());
            }
            Files.writeString(options.out(), text);
        } catch (IOException e) {
            System.err.println("bench: cannot write " + options.out() + ": " + e.getMessage());
        }
    }
}
