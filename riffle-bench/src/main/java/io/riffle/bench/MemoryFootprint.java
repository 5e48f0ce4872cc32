package io.riffle.bench;

import io.riffle.bench.RiffleApi.PipelineRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * B7: resident memory of the platform: the riffle JVM, its PostgreSQL processes, the nats-server, and Python workers.
 * Idle with 20 paused pipelines, then with one running pipeline and so one Python worker. Run first in the suite, on
 * a fresh riffle process, so "idle" means idle. RSS counts shared pages in every process that maps them (PostgreSQL's
 * shared buffers are counted once per backend), so the notes add PSS, which divides them.
 */
final class MemoryFootprint implements Benchmark {
    static final int PAUSED = 20;

    @Override
    public String id() {
        return "B7";
    }

    @Override
    public List<Row> run(BenchContext ctx) {
        var pipelines = new ArrayList<PipelineRef>();
        try {
            for (int i = 0; i < PAUSED; i++) {
                pipelines.add(ctx.api().createPipeline("bench-b7-" + i, BenchContext.TRIVIAL_HANDLER, false,
                    Map.of()));
            }
            Waits.sleep(Duration.ofSeconds(ctx.scaled(10, 2))); // builds finish, the engine settles
            var idle = Snapshot.take(ctx);
            var rows = new ArrayList<Row>();
            rows.add(Row.of("B7 idle, 20 paused pipelines", "RSS MB, total", idle.totalMb(), Target.atMost(500))
                .withNote(idle.describe()));
            rows.add(Row.of("B7 idle: riffle JVM", "RSS MB", mb(idle.jvmKb()), null));
            rows.add(Row.of("B7 idle: PostgreSQL (" + idle.postgres().size() + " processes)", "RSS MB",
                mb(ProcessMemory.rssKb(idle.postgres())), null));
            rows.add(Row.of("B7 idle: nats-server", "RSS MB", mb(ProcessMemory.rssKb(idle.nats())), null));
            var active = ctx.readyPipeline("bench-b7-active", BenchContext.TRIVIAL_HANDLER, Map.of());
            pipelines.add(active);
            Waits.sleep(Duration.ofSeconds(ctx.scaled(3, 1)));
            var one = Snapshot.take(ctx);
            rows.add(Row.of("B7 one active Python worker", "RSS MB", mb(ProcessMemory.rssKb(one.workers())),
                Target.atMost(25)).withNote(one.workers().size() + " worker process(es), PSS "
                + Format.number(mb(ProcessMemory.pssKb(one.workers()))) + " MB"));
            rows.add(Row.of("B7 with one worker", "RSS MB, total", one.totalMb(), null).withNote(one.describe()));
            return rows;
        } finally {
            pipelines.forEach(ctx::deleteQuietly);
        }
    }

    static double mb(long kb) {
        return kb / 1024.0;
    }

    /** The platform's processes at one moment. */
    record Snapshot(ProcessHandle jvm, List<ProcessHandle> postgres, List<ProcessHandle> workers,
                    List<ProcessHandle> others, List<ProcessHandle> nats) {
        static Snapshot take(BenchContext ctx) {
            var jvm = ctx.platform().handle();
            var postgres = new ArrayList<ProcessHandle>();
            var workers = new ArrayList<ProcessHandle>();
            var others = new ArrayList<ProcessHandle>();
            jvm.descendants().forEach(p -> {
                var cmd = p.info().commandLine().orElse(p.info().command().orElse(""));
                if (cmd.contains("postgres")) {
                    postgres.add(p);
                } else if (cmd.contains("python") || cmd.contains("riffle_runtime")) {
                    workers.add(p);
                } else {
                    others.add(p);
                }
            });
            postmaster(ctx).ifPresent(pm -> java.util.stream.Stream.concat(java.util.stream.Stream.of(pm),
                pm.descendants()).filter(p -> !postgres.contains(p)).forEach(postgres::add));
            var nats = ProcessHandle.current().children()
                .filter(p -> p.info().command().orElse("").contains("nats-server")).toList();
            return new Snapshot(jvm, postgres, workers, others, nats);
        }

        /** The embedded PostgreSQL daemonises (pg_ctl), so it is no descendant of the JVM: its pid file names it. */
        private static java.util.Optional<ProcessHandle> postmaster(BenchContext ctx) {
            var pidFile = ctx.platform().dataDir().resolve("postgres").resolve("postmaster.pid");
            try {
                var first = java.nio.file.Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
                return ProcessHandle.of(Long.parseLong(first));
            } catch (java.io.IOException | NumberFormatException e) {
                return java.util.Optional.empty();
            }
        }

        long jvmKb() {
            return ProcessMemory.rssKb(jvm.pid());
        }

        List<ProcessHandle> all() {
            var all = new ArrayList<ProcessHandle>();
            all.add(jvm);
            all.addAll(postgres);
            all.addAll(workers);
            all.addAll(others);
            all.addAll(nats);
            return all;
        }

        double totalMb() {
            return mb(ProcessMemory.rssKb(all()));
        }

        String describe() {
            return "RSS MB: JVM " + Format.number(mb(jvmKb())) + ", PostgreSQL " + Format.number(
                mb(ProcessMemory.rssKb(postgres))) + " (" + postgres.size() + " processes), nats-server "
                + Format.number(mb(ProcessMemory.rssKb(nats))) + ", Python " + Format.number(
                mb(ProcessMemory.rssKb(workers))) + " (" + workers.size() + "), other " + Format.number(
                mb(ProcessMemory.rssKb(others))) + "; PSS total " + Format.number(mb(ProcessMemory.pssKb(all())))
                + " MB";
        }
    }
}
