package io.riffle.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.core.RiffleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@link FunctionRuntime} on CPython: virtualenvs from {@link VenvBuilder}, processes from {@link PythonWorker}. */
final class PythonRuntime implements FunctionRuntime {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Logger LOG = LoggerFactory.getLogger(PythonRuntime.class);

    private final Path dataDir;
    private final Path harness;
    private final VenvBuilder venvs;
    private final Sandbox sandbox;

    private PythonRuntime(Path dataDir, String python, RuntimeConfig config) {
        this.dataDir = dataDir;
        this.harness = Harness.extract(dataDir);
        this.sandbox = Sandbox.create(config.isolation(), dataDir, python, harness);
        this.venvs = new VenvBuilder(dataDir.resolve("venvs"), python, config.pipEnvironment(), config.buildTimeout(),
                sandbox.enabled() ? sandbox.venvBuilder() : VenvBuilder.Builder.SELF);
    }

    static PythonRuntime create(RuntimeConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.dataDir() == null) {
            throw new IllegalArgumentException("RuntimeConfig.dataDir is required");
        }
        if (config.basePython() == null || config.basePython().isBlank()) {
            throw new IllegalArgumentException("RIFFLE_PYTHON must name an interpreter, got '" + config.basePython() + "'");
        }
        if (config.buildTimeout() == null || !config.buildTimeout().isPositive()) {
            throw new IllegalArgumentException("RuntimeConfig.buildTimeout must be positive, got " + config.buildTimeout());
        }
        Path dataDir = config.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new RiffleException("cannot create the data directory " + dataDir, e);
        }
        return new PythonRuntime(dataDir, resolve(config.basePython(), dataDir), config);
    }

    /** The real interpreter behind a name such as {@code python3}, so shims run once, not per worker. */
    private static String resolve(String python, Path dir) {
        Map<String, String> env = new HashMap<>();
        Launch.isolate(env, Map.of(), dir);
        try {
            ChildProcess.Result result = ChildProcess.run(List.of(python, "-c", "import sys; print(sys.executable)"),
                    env, dir, PythonWorker.START_TIMEOUT, false);
            String executable = result.text().strip();
            if (result.ok() && !executable.isEmpty()) {
                return executable;
            }
            LOG.warn("cannot ask {} for its executable: {}", python, result.errors().strip());
        } catch (RiffleException e) {
            LOG.warn("cannot run {}: {}", python, e.getCause() == null ? e.getMessage() : e.getCause().toString());
        }
        return python;
    }

    @Override
    public BuildResult build(String source, String requirementsTxt, Map<String, String> environment) {
        VenvBuilder.Build venv = venv(requirementsTxt);
        StringBuilder log = new StringBuilder(venv.log());
        if (!venv.ok()) {
            return new BuildResult(false, null, log.toString());
        }
        Path dir = scratch("check");
        try {
            Path handler = writeHandler(dir, source);
            Map<String, String> env = new HashMap<>();
            Launch.isolate(env, environment, dir);
            Launch launch = checkLaunch();
            List<String> command = Launch.command(venv.python(), harness, handler, "--check");
            command.addAll(launch.harnessArgs());
            ChildProcess.Result check = ChildProcess.run(launch, command, env, dir, PythonWorker.START_TIMEOUT,
                    false);
            boolean imported = describeCheck(check, log);
            return new BuildResult(imported, venv.python(), log.toString());
        } catch (IOException e) {
            throw new RiffleException("cannot write the handler for its import check to " + dir, e);
        } finally {
            VenvBuilder.deleteTree(dir);
        }
    }

    /** Appends the import check's logs and verdict to {@code log}; true when the handler imported. */
    private static boolean describeCheck(ChildProcess.Result check, StringBuilder log) {
        var in = new DataInputStream(new ByteArrayInputStream(check.output()));
        LogSink printed = entry -> log.append(logLine(entry));
        WorkerProtocol.Message message = WorkerProtocol.read(in, printed);
        switch (message) {
            case WorkerProtocol.Hello hello -> log.append("handler imported\n");
            case WorkerProtocol.LoadError error -> log.append(error.error()).append('\n').append(error.traceback());
            default -> log.append(check.timedOut() ? "the import check took longer than "
                            + PythonWorker.START_TIMEOUT.toSeconds() + " s\n"
                            : "the import check failed with exit code " + check.exitCode() + "\n")
                    .append(check.errors());
        }
        return message instanceof WorkerProtocol.Hello && check.ok();
    }

    private static String logLine(byte[] entry) {
        try {
            JsonNode node = WorkerProtocol.JSON.readTree(entry);
            return node.path("level").asText() + " " + node.path("payload").path("message").asText() + "\n";
        } catch (IOException e) {
            return new String(entry, StandardCharsets.UTF_8) + "\n";
        }
    }

    @Override
    public Path pythonFor(String requirementsTxt) {
        VenvBuilder.Build venv = venv(requirementsTxt);
        if (!venv.ok()) {
            String log = venv.log();
            throw new RiffleException("the virtualenv for these requirements did not build:\n"
                    + (log.length() > 4000 ? log.substring(log.length() - 4000) : log));
        }
        return venv.python();
    }

    @Override
    public Path handlerFile(String pipelineId, int version, String source) {
        Path file = dataDir.resolve("functions").resolve(safe(pipelineId)).resolve("v" + version).resolve("handler.py");
        byte[] content = source.getBytes(StandardCharsets.UTF_8);
        try {
            if (Files.isRegularFile(file) && java.util.Arrays.equals(Files.readAllBytes(file), content)) {
                return file;
            }
            Files.createDirectories(file.getParent());
            Harness.writeAtomically(file, content);
            return file;
        } catch (IOException e) {
            throw new RiffleException("cannot write the handler " + file, e);
        } finally {
            if (sandbox.enabled() && Files.exists(file)) {
                sandbox.files().shareHandler(file, sandbox.uidFor(pipelineId));
            }
        }
    }

    @Override
    public Path workDir(String pipelineId, int replica) {
        Path dir = dataDir.resolve("work").resolve(safe(pipelineId)).resolve(Integer.toString(replica));
        if (sandbox.enabled()) {
            sandbox.files().ownWorkDir(dir, sandbox.uidFor(pipelineId));
            return dir;
        }
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RiffleException("cannot create the working directory " + dir, e);
        }
    }

    @Override
    public FunctionWorker startWorker(WorkerSpec spec) {
        Launch launch = sandbox.enabled() ? sandbox.launch(sandbox.ownerOf(spec.workDir())) : sandbox.unisolated();
        return PythonWorker.start(spec, harness, PythonWorker.START_TIMEOUT, launch);
    }

    @Override
    public String isolation() {
        return sandbox.status();
    }

    @Override
    public TestRun test(String source, String requirementsTxt, Map<String, String> environment, byte[] event,
                        Duration timeout, int memoryLimitMb) {
        List<byte[]> logs = Collections.synchronizedList(new ArrayList<>());
        VenvBuilder.Build venv = venv(requirementsTxt);
        if (!venv.ok()) {
            return new TestRun(null, null, new FunctionLoadException("the requirements did not install",
                    venv.log()), logs);
        }
        Path dir = scratch("test");
        try {
            Path handler = writeHandler(dir, source);
            Path work = dir.resolve("work");
            if (sandbox.enabled()) {
                sandbox.files().own(work, sandbox.checkUid());
            }
            var spec = new WorkerSpec(venv.python(), handler, work, environment, memoryLimitMb,
                    WorkerSpec.DEFAULT_MAX_RESULT_BYTES, logs::add);
            PythonWorker worker;
            try {
                worker = PythonWorker.start(spec, harness, PythonWorker.START_TIMEOUT, checkLaunch());
            } catch (FunctionLoadException e) {
                return new TestRun(null, null, e, logs);
            }
            BatchResult result;
            try {
                result = worker.process(List.of(event), timeout);
            } finally {
                worker.close(); // also waits for the last log lines
            }
            return result.crashed() ? new TestRun(null, result.crash(), null, logs)
                    : new TestRun(result.outcomes().getFirst(), null, null, logs);
        } catch (IOException e) {
            throw new RiffleException("cannot write the handler for a test run to " + dir, e);
        } finally {
            VenvBuilder.deleteTree(dir);
        }
    }

    /** The virtualenv for these requirements (built under its own uid and sealed when workers are isolated). */
    private VenvBuilder.Build venv(String requirementsTxt) {
        return venvs.build(requirementsTxt);
    }

    private Launch checkLaunch() {
        return sandbox.enabled() ? sandbox.launch(sandbox.checkUid()) : sandbox.unisolated();
    }

    /** {@code handler.py} in a scratch dir, readable by the check uid whatever Riffle's umask. */
    private static Path writeHandler(Path dir, String source) throws IOException {
        Path handler = dir.resolve("handler.py");
        Files.writeString(handler, source);
        Files.setPosixFilePermissions(handler, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        return handler;
    }

    private Path scratch(String purpose) {
        if (sandbox.enabled()) {
            return sandbox.files().scratch(purpose, sandbox.checkUid());
        }
        Path dir = dataDir.resolve("tmp").resolve(purpose + "-" + UUID.randomUUID());
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RiffleException("cannot create " + dir, e);
        }
    }

    private static String safe(String pipelineId) {
        if (pipelineId == null || !SAFE_NAME.matcher(pipelineId).matches()) {
            throw new IllegalArgumentException("pipeline id '" + pipelineId + "' cannot be a directory name");
        }
        return pipelineId;
    }
}
