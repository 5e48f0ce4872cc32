package io.riffle.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Workers under their own uids: runs only where Riffle could isolate them (as root, with setpriv). */
@Timeout(120)
class SandboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An interpreter every uid can run; pyenv's under /root is not one. */
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SNOOP = """
            import os, json
            def attempt(f):
                try:
                    return "READ " + str(f())[:40]
                except Exception as e:
                    return type(e).__name__
            def handler(data, log):
                data_dir = data["data_dir"]
                return {
                    "uid": os.getuid(), "gid": os.getgid(), "groups": os.getgroups(),
                    "key": attempt(lambda: open(os.path.join(data_dir, "master.key")).read()),
                    "list": attempt(lambda: os.listdir(data_dir)),
                    "parent": attempt(lambda: open("/proc/%d/environ" % os.getppid(), "rb").read()),
                    "init": attempt(lambda: open("/proc/1/environ", "rb").read()),
                    "other": attempt(lambda: os.listdir(data["other_work"])),
                    "write": attempt(lambda: open("mine.txt", "w").write("x")),
                }
            """;

    @TempDir
    Path tmp;
    private Path dataDir;

    @BeforeEach
    void onlyWhereIsolationIsPossible() throws Exception {
        assumeThat(Files.isExecutable(PYTHON)).as("/usr/bin/python3").isTrue();
        assumeThat(Files.isExecutable(Path.of("/usr/bin/setpriv"))).as("setpriv").isTrue();
        assumeThat(SandboxFiles.processUid(ProcessHandle.current().pid())).as("running as root").isZero();
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        dataDir = tmp.resolve("data");
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("master.key"), "SECRET-KEY");
        Files.setPosixFilePermissions(dataDir.resolve("master.key"), PosixFilePermissions.fromString("rw-------"));
    }

    private FunctionRuntime runtime(WorkerIsolation.Mode mode) {
        return FunctionRuntime.create(new RuntimeConfig(dataDir, PYTHON.toString(), Map.of(), Duration.ofMinutes(2),
                new WorkerIsolation(mode, 41_000, 100, -1, 64)));
    }

    private static JsonNode run(FunctionWorker worker, String event) throws Exception {
        BatchResult result = worker.process(List.of(event.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(30));
        assertThat(result.crashed()).as("crash: %s", result.crash()).isFalse();
        return switch (result.outcomes().getFirst()) {
            case EventOutcome.Results r -> JSON.readTree(r.values().getFirst());
            case EventOutcome.Failure f -> JSON.createObjectNode().put("error", f.message());
        };
    }

    private FunctionWorker start(FunctionRuntime runtime, String pipeline, String source) {
        Path handler = runtime.handlerFile(pipeline, 1, source);
        return runtime.startWorker(new WorkerSpec(PYTHON, handler, runtime.workDir(pipeline, 0), Map.of(), 0,
                WorkerSpec.DEFAULT_MAX_RESULT_BYTES, LogSink.DISCARD));
    }

    @Test
    void eachPipelineRunsUnderItsOwnUidAndSeesNoneOfRifflesFiles() throws Exception {
        FunctionRuntime runtime = runtime(WorkerIsolation.Mode.REQUIRED);
        String event = JSON.createObjectNode().put("data_dir", dataDir.toString())
                .put("other_work", dataDir.resolve("work/p2/0").toString()).toString();

        JsonNode first;
        JsonNode second;
        try (FunctionWorker a = start(runtime, "p1", SNOOP); FunctionWorker b = start(runtime, "p2", SNOOP)) {
            first = run(a, event);
            second = run(b, event);
        }

        assertThat(runtime.isolation()).startsWith("isolated, one uid per pipeline from 41000");
        assertThat(first.path("uid").asInt()).isBetween(41_000, 41_099).isEqualTo(first.path("gid").asInt())
                .isEqualTo(SandboxFiles.uid(dataDir.resolve("work/p1/0")));
        assertThat(second.path("uid").asInt()).isBetween(41_000, 41_099).isNotEqualTo(first.path("uid").asInt());
        assertThat(first.path("groups")).isEmpty();
        for (String attack : List.of("key", "list", "parent", "init", "other")) {
            assertThat(first.path(attack).asText()).as(attack).isEqualTo("PermissionError");
        }
        assertThat(first.path("write").asText()).isEqualTo("READ 1");
        assertThat(Files.readString(dataDir.resolve("work/p1/0/mine.txt"))).isEqualTo("x");
        assertThat(SandboxFiles.uid(dataDir.resolve("work/p1"))).as("the pipeline's dir stays Riffle's").isZero();
    }

    @Test
    void aWorkDirReplacedByALinkIsNeverFollowed() throws Exception {
        FunctionRuntime runtime = runtime(WorkerIsolation.Mode.REQUIRED);
        Path work = runtime.workDir("p1", 0);
        Path target = tmp.resolve("target");
        Files.createDirectories(target);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        VenvBuilder.deleteTree(work);
        Files.createSymbolicLink(work, target); // what a worker owning work/p1 could have done

        Path again = runtime.workDir("p1", 0);

        assertThat(again).isDirectory();
        assertThat(Files.isSymbolicLink(again)).isFalse();
        assertThat(SandboxFiles.uid(target)).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void aForkBombFailsInsideTheFunctionAndItsLeftoversAreKilled() throws Exception {
        FunctionRuntime runtime = runtime(WorkerIsolation.Mode.REQUIRED);
        String bomb = """
                import os, time
                def handler(data, log):
                    made = 0
                    try:
                        while True:
                            if os.fork() == 0:
                                time.sleep(600)
                                os._exit(0)
                            made += 1
                    except OSError as e:
                        raise RuntimeError("fork failed after %d children: %s" % (made, type(e).__name__))
                """;
        JsonNode outcome;
        int uid;
        try (FunctionWorker worker = start(runtime, "bomb", bomb)) {
            uid = SandboxFiles.uid(dataDir.resolve("work/bomb/0"));
            outcome = run(worker, "{}");
            assertThat(processesOf(uid)).isGreaterThan(10);
        }

        assertThat(outcome.path("error").asText()).startsWith("RuntimeError: fork failed after")
                .endsWith("BlockingIOError");
        assertThat(processesOf(uid)).isZero();
    }

    @Test
    void requiredIsolationRefusesADataDirOtherUsersCannotEnter() throws Exception {
        Path hidden = tmp.resolve("home");
        Files.createDirectories(hidden);
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rwx------")); // like /root
        Path inside = hidden.resolve(".riffle");

        assertThatThrownBy(() -> FunctionRuntime.create(new RuntimeConfig(inside, PYTHON.toString(), Map.of(),
                Duration.ofMinutes(2), new WorkerIsolation(WorkerIsolation.Mode.REQUIRED, 41_000, 100, -1, 64))))
                .hasMessageContaining("RIFFLE_WORKER_ISOLATION=required").hasMessageContaining("cannot run");
        FunctionRuntime degraded = FunctionRuntime.create(new RuntimeConfig(inside, PYTHON.toString(), Map.of(),
                Duration.ofMinutes(2), new WorkerIsolation(WorkerIsolation.Mode.AUTO, 41_000, 100, -1, 64)));
        assertThat(degraded.isolation()).startsWith("not isolated: uid 410").contains("cannot run");
    }

    @Test
    void packageBuildScriptsRunUnprivilegedAndTheVirtualenvBecomesRifflesReadOnly() throws Exception {
        Path pkg = tmp.resolve("evilpkg");
        Files.createDirectories(pkg);
        Files.setPosixFilePermissions(pkg, PosixFilePermissions.fromString("rwxrwxrwx")); // pip builds in the tree
        Files.writeString(pkg.resolve("setup.py"), """
                import os
                from setuptools import setup
                def attempt(path):
                    try:
                        return "READ " + open(path).read()
                    except Exception as e:
                        return type(e).__name__
                os.makedirs("evilpkg", exist_ok=True)
                with open("evilpkg/__init__.py", "w") as f:
                    f.write("FOUND = %r\\nUID = %d\\n" % (attempt(KEY_PATH), os.getuid()))
                setup(name="evilpkg", version="1.0", packages=["evilpkg"])
                """.replace("KEY_PATH", "'" + dataDir.resolve("master.key") + "'"));
        FunctionRuntime runtime = FunctionRuntime.create(new RuntimeConfig(dataDir, PYTHON.toString(),
                Map.of("PIP_NO_INDEX", "1", "PIP_NO_BUILD_ISOLATION", "0"), Duration.ofMinutes(4),
                new WorkerIsolation(WorkerIsolation.Mode.REQUIRED, 41_000, 100, -1, 64)));

        TestRun run = runtime.test("import evilpkg\ndef handler(data, log):\n    return [evilpkg.FOUND, evilpkg.UID]\n",
                pkg + "\n", Map.of(), "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30), 0);

        assertThat(run.loadError()).isNull();
        JsonNode found = JSON.readTree(((EventOutcome.Results) run.outcome()).values().getFirst());
        assertThat(found.get(0).asText()).isEqualTo("PermissionError");
        assertThat(found.get(1).asInt()).isBetween(41_000, 41_099);
        Path venv = runtime.pythonFor(pkg + "\n").getParent().getParent();
        try (var tree = Files.walk(venv)) {
            assertThat(tree.filter(p -> !Files.isSymbolicLink(p)).toList()).allSatisfy(p -> {
                assertThat(SandboxFiles.uid(p)).as("owner of %s", p).isZero();
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertThat(mode.charAt(6)).as("others may read %s (%s)", p, mode).isEqualTo('r');
                assertThat(mode.charAt(4)).as("group may not write %s (%s)", p, mode).isEqualTo('-');
                assertThat(mode.charAt(7)).as("others may not write %s (%s)", p, mode).isEqualTo('-');
            });
        }
    }

    @Test
    void tasksAreCountedAsTheProcessLimitCountsThem() {
        long threadsHere = Thread.getAllStackTraces().size();

        assertThat(Sandbox.tasksOf(0)).as("root's processes and threads").isGreaterThan(threadsHere);
        assertThat(Sandbox.tasksOf(41_099)).isZero();
        assertThat(Sandbox.disabled("test").unisolated()).isSameAs(Launch.PLAIN);
    }

    private static long processesOf(int uid) {
        return ProcessHandle.allProcesses().filter(p -> SandboxFiles.processUid(p.pid()) == uid).count();
    }
}
