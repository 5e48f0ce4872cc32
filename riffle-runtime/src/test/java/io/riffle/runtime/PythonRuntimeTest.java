package io.riffle.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PythonRuntimeTest {
    @TempDir
    Path dataDir;

    private FunctionRuntime runtime() {
        return FunctionRuntime.create(new RuntimeConfig(dataDir, "python3", Map.of(), Duration.ofMinutes(2)));
    }

    @Test
    void buildWithoutRequirementsChecksTheImport() {
        BuildResult result = runtime().build("import os\nprint('loading')\ndef handler(data, log):\n    return data\n",
                "# nothing\n", Map.of("MODE", "x"));

        assertThat(result.ok()).isTrue();
        assertThat(result.log()).contains("INFO loading").contains("handler imported");
        assertThat(result.python()).isNotNull();
    }

    @Test
    void buildReportsSyntaxErrorsAndMissingHandlers() {
        FunctionRuntime runtime = runtime();

        BuildResult syntax = runtime.build("def handler(data, log)\n    return data\n", "", Map.of());
        BuildResult missing = runtime.build("x = 1\n", "", Map.of());
        BuildResult envNeeded = runtime.build("import os\nKEY = os.environ['KEY']\ndef handler(d, log):\n    pass\n",
                "", Map.of());

        assertThat(syntax.ok()).isFalse();
        assertThat(syntax.log()).contains("SyntaxError").contains("handler.py");
        assertThat(missing.ok()).isFalse();
        assertThat(missing.log()).contains("handler");
        assertThat(envNeeded.ok()).isFalse();
        assertThat(envNeeded.log()).contains("KeyError: 'KEY'");
        assertThat(runtime.build("import os\nKEY = os.environ['KEY']\ndef handler(d, log):\n    pass\n", "",
                Map.of("KEY", "v")).ok()).isTrue();
    }

    @Test
    void testRunsTheHandlerOnceWithItsLogs() {
        TestRun run = runtime().test("def handler(data, log):\n    log.info('got %s', data['a'])\n    return data\n",
                "", Map.of(), "{\"a\":1}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10), 0);

        assertThat(run.crash()).isNull();
        assertThat(run.loadError()).isNull();
        assertThat(PythonWorkerTest.texts(run.outcome())).containsExactly("{\"a\":1}");
        assertThat(run.logs()).anySatisfy(entry -> assertThat(new String(entry, StandardCharsets.UTF_8))
                .contains("got 1"));
    }

    @Test
    void testReportsLoadErrorsAndTimeouts() {
        FunctionRuntime runtime = runtime();
        byte[] event = "1".getBytes(StandardCharsets.UTF_8);

        TestRun broken = runtime.test("def handler(:\n", "", Map.of(), event, Duration.ofSeconds(10), 0);
        TestRun slow = runtime.test("import time\ndef handler(d, log):\n    time.sleep(60)\n", "", Map.of(), event,
                Duration.ofMillis(300), 0);

        assertThat(broken.loadError()).hasMessageContaining("SyntaxError");
        assertThat(slow.crash().reason()).isEqualTo(WorkerCrash.Reason.TIMEOUT);
    }

    @Test
    void handlerFilesAndWorkDirsLiveUnderTheDataDir() throws Exception {
        FunctionRuntime runtime = runtime();

        Path file = runtime.handlerFile("p1", 3, "def handler(d, log):\n    return d\n");
        Path again = runtime.handlerFile("p1", 3, "def handler(d, log):\n    return d\n");
        Path work = runtime.workDir("p1", 0);

        assertThat(file).isEqualTo(again).isEqualTo(dataDir.resolve("functions/p1/v3/handler.py"));
        assertThat(Files.readString(file)).contains("return d");
        assertThat(work).isDirectory().isEqualTo(dataDir.resolve("work/p1/0"));
        assertThatThrownBy(() -> runtime.workDir("../etc", 0)).isInstanceOf(IllegalArgumentException.class);
        try (FunctionWorker worker = runtime.startWorker(new WorkerSpec(runtime.pythonFor(""), file, work, Map.of(),
                0, WorkerSpec.DEFAULT_MAX_RESULT_BYTES, LogSink.DISCARD))) {
            BatchResult result = worker.process(List.of("[1]".getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(10));
            assertThat(PythonWorkerTest.texts(result.outcomes().getFirst())).containsExactly("[1]");
        }
    }
}
