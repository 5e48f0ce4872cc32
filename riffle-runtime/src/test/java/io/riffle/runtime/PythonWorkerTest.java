package io.riffle.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PythonWorkerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final List<byte[]> logs = new CopyOnWriteArrayList<>();
    private final List<FunctionWorker> workers = new ArrayList<>();

    @AfterEach
    void closeWorkers() {
        workers.forEach(FunctionWorker::close);
    }

    private FunctionWorker start(String source) {
        return start(source, Map.of(), 0, WorkerSpec.DEFAULT_MAX_RESULT_BYTES);
    }

    private FunctionWorker start(String source, Map<String, String> env, int memoryLimitMb, int maxResultBytes) {
        return start(source, env, memoryLimitMb, maxResultBytes, WorkerSpec.DEFAULT_ASYNC_CONCURRENCY);
    }

    private FunctionWorker start(String source, Map<String, String> env, int memoryLimitMb, int maxResultBytes,
                                 int asyncConcurrency) {
        Path handler = dir.resolve("handler.py");
        try {
            Files.writeString(handler, source);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        var spec = new WorkerSpec(TestPython.path(), handler, dir.resolve("work"), env, memoryLimitMb,
                maxResultBytes, logs::add, asyncConcurrency);
        FunctionWorker worker = FunctionWorker.start(spec);
        workers.add(worker);
        return worker;
    }

    static List<byte[]> events(Object... values) {
        List<byte[]> events = new ArrayList<>();
        for (Object value : values) {
            events.add(json(value));
        }
        return events;
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> texts(EventOutcome outcome) {
        assertThat(outcome).isInstanceOf(EventOutcome.Results.class);
        return ((EventOutcome.Results) outcome).values().stream()
                .map(v -> new String(v, StandardCharsets.UTF_8)).toList();
    }

    static EventOutcome.Failure failure(EventOutcome outcome) {
        assertThat(outcome).isInstanceOf(EventOutcome.Failure.class);
        return (EventOutcome.Failure) outcome;
    }

    private List<JsonNode> logEntries() {
        return logs.stream().map(entry -> {
            try {
                return JSON.readTree(entry);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void resultsKeepEventOrderOverALargeBatch() {
        FunctionWorker worker = start("def handler(data, log):\n    return {'n': data['n'] * 2}\n");
        List<byte[]> events = IntStream.range(0, 1000).mapToObj(i -> json(Map.of("n", i))).toList();

        BatchResult result = worker.process(events, TIMEOUT);

        assertThat(result.crashed()).isFalse();
        assertThat(result.outcomes()).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(texts(result.outcomes().get(i))).containsExactly("{\"n\":" + 2 * i + "}");
        }
        assertThat(worker.process(events.subList(0, 3), TIMEOUT).outcomes()).hasSize(3);
    }

    @Test
    void noneFiltersAndGeneratorsYieldMany() {
        FunctionWorker worker = start("""
                def handler(data, log):
                    if data == 'skip':
                        return None
                    if data == 'many':
                        return ({'i': i} for i in range(3))
                    return data
                """);

        BatchResult result = worker.process(events("skip", "many", "één"), TIMEOUT);

        assertThat(texts(result.outcomes().get(0))).isEmpty();
        assertThat(texts(result.outcomes().get(1))).containsExactly("{\"i\":0}", "{\"i\":1}", "{\"i\":2}");
        assertThat(texts(result.outcomes().get(2))).containsExactly("\"één\"");
    }

    @Test
    void exceptionBecomesFailureWithTraceback() {
        FunctionWorker worker = start("""
                def handler(data, log):
                    if data > 0:
                        raise ValueError('bad ' + str(data))
                    return data
                """);

        BatchResult result = worker.process(events(0, 1, 0), TIMEOUT);

        EventOutcome.Failure failure = failure(result.outcomes().get(1));
        assertThat(failure.errorType()).isEqualTo("ValueError");
        assertThat(failure.message()).isEqualTo("ValueError: bad 1");
        assertThat(failure.traceback()).contains("handler.py\", line 3").contains("raise ValueError");
        assertThat(texts(result.outcomes().get(2))).containsExactly("0");
        assertThat(worker.alive()).isTrue();
    }

    @Test
    void unusableResultsAreFailures() {
        FunctionWorker worker = start("""
                import sys
                def handler(data, log):
                    if data == 'set':
                        return {1, 2}
                    if data == 'exit':
                        sys.exit(1)
                    return 'x' * 1000
                """, Map.of(), 0, 100);

        BatchResult result = worker.process(events("set", "big", "exit"), TIMEOUT);

        assertThat(failure(result.outcomes().get(0)).errorType()).isEqualTo("TypeError");
        assertThat(failure(result.outcomes().get(0)).message()).contains("not JSON-serialisable");
        assertThat(failure(result.outcomes().get(1)).errorType()).isEqualTo("ResultTooLarge");
        assertThat(failure(result.outcomes().get(2)).errorType()).isEqualTo("SystemExit");
        assertThat(worker.alive()).isTrue();
    }

    @Test
    void printsLogsAndRawWritesReachTheSinkWithoutCorruptingTheProtocol() {
        FunctionWorker worker = start("""
                import os, sys
                def handler(data, log):
                    print('printed', data)
                    log.info('a %s', 1, k=2)
                    log.error(ValueError('oops'))
                    os.write(1, b'junk')
                    os.write(1, b'\\n')
                    sys.stderr.write('to stderr\\n')
                    return data
                """);

        BatchResult result = worker.process(events(7, 8), TIMEOUT);
        worker.close();

        assertThat(result.outcomes()).extracting(PythonWorkerTest::texts)
                .containsExactly(List.of("7"), List.of("8"));
        List<JsonNode> entries = logEntries();
        assertThat(entries).extracting(e -> e.path("level").asText() + " " + e.path("payload").path("message").asText())
                .contains("INFO printed 7", "INFO a 1", "ERROR oops", "ERROR to stderr", "WARNING junk");
        JsonNode structured = entries.stream().filter(e -> e.path("payload").has("k")).findFirst().orElseThrow();
        assertThat(structured.path("payload").path("k").asInt()).isEqualTo(2);
        assertThat(structured.path("severity_code").asInt()).isEqualTo(200);
        assertThat(structured.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void floodOfRawOutputIsCapped() {
        FunctionWorker worker = start("""
                import os
                def handler(data, log):
                    for i in range(5000):
                        os.write(2, b'line %d\\n' % i)
                    return data
                """);

        worker.process(events(1), TIMEOUT);
        worker.close();

        assertThat(logs).hasSizeLessThan(5000);
        assertThat(logEntries()).anySatisfy(e -> assertThat(e.path("payload").path("message").asText())
                .contains("log lines dropped"));
    }

    @Test
    void slowEventTimesOutKeepingEarlierOutcomes() {
        FunctionWorker worker = start("""
                def handler(data, log):
                    while data == 2:
                        pass
                    return data
                """);

        BatchResult result = worker.process(events(0, 1, 2, 3), Duration.ofMillis(500));

        assertThat(result.outcomes()).hasSize(2);
        assertThat(result.crash().reason()).isEqualTo(WorkerCrash.Reason.TIMEOUT);
        assertThat(worker.alive()).isFalse();
        assertThat(ProcessHandle.of(worker.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void exitingProcessIsACrash() {
        FunctionWorker worker = start("""
                import os, sys
                def handler(data, log):
                    if data == 1:
                        os.write(2, b'about to exit\\n')
                        os._exit(3)
                    return data
                """);

        BatchResult result = worker.process(events(0, 1, 2), TIMEOUT);

        assertThat(result.outcomes()).hasSize(1);
        assertThat(result.crash().reason()).isEqualTo(WorkerCrash.Reason.EXITED);
        assertThat(result.crash().detail()).contains("exited with code 3").contains("about to exit");
        assertThat(worker.alive()).isFalse();
        assertThat(worker.process(events(0), TIMEOUT).crash().reason()).isEqualTo(WorkerCrash.Reason.EXITED);
    }

    @Test
    void syntaxErrorFailsToLoad() {
        assertThatThrownBy(() -> start("def handler(data, log)\n    return data\n"))
                .isInstanceOf(FunctionLoadException.class)
                .hasMessageContaining("SyntaxError")
                .satisfies(e -> assertThat(((FunctionLoadException) e).traceback()).contains("handler.py"));
    }

    @Test
    void missingHandlerOrFailingImportFailsToLoad() {
        assertThatThrownBy(() -> start("def process(data, log):\n    return data\n"))
                .isInstanceOf(FunctionLoadException.class).hasMessageContaining("handler");
        assertThatThrownBy(() -> start("import no_such_module_xyz\ndef handler(data, log):\n    return data\n"))
                .isInstanceOf(FunctionLoadException.class).hasMessageContaining("ModuleNotFoundError");
    }

    @Test
    void environmentHoldsOnlyTheGivenVariables() throws IOException {
        FunctionWorker worker = start("import os\ndef handler(data, log):\n    return dict(os.environ)\n",
                Map.of("API_KEY", "secret"), 0, WorkerSpec.DEFAULT_MAX_RESULT_BYTES);

        String env = texts(worker.process(events(0), TIMEOUT).outcomes().getFirst()).getFirst();

        JsonNode vars = JSON.readTree(env);
        Set<String> names = new HashSet<>();
        vars.fieldNames().forEachRemaining(names::add);
        assertThat(names).isSubsetOf("API_KEY", "PATH", "LANG", "HOME", "PYTHONUNBUFFERED",
                "PYTHONDONTWRITEBYTECODE", "LC_CTYPE");
        assertThat(vars.path("API_KEY").asText()).isEqualTo("secret");
        assertThat(vars.path("HOME").asText()).isEqualTo(dir.resolve("work").toAbsolutePath().toString());
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts events in the handler at once; each result is the most seen so far. */
    private static final String IN_FLIGHT_HANDLER = """
            import asyncio
            state = {"now": 0, "most": 0}
            async def handler(data, log):
                state["now"] += 1
                state["most"] = max(state["most"], state["now"])
                await asyncio.sleep(0.05)
                state["now"] -= 1
                return {"id": data, "most": state["most"]}
            """;

    @Test
    void asyncHandlerRunsABatchConcurrentlyAndAnswersInOrder() {
        FunctionWorker worker = start(IN_FLIGHT_HANDLER);

        BatchResult result = worker.process(events(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), TIMEOUT);

        assertThat(result.outcomes()).extracting(o -> json(texts(o).getFirst()).path("id").asInt())
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(json(texts(result.outcomes().get(9)).getFirst()).path("most").asInt()).isEqualTo(10);
    }

    @Test
    void asyncConcurrencyBoundsEventsInTheHandler() {
        FunctionWorker worker = start(IN_FLIGHT_HANDLER, Map.of(), 0, WorkerSpec.DEFAULT_MAX_RESULT_BYTES, 3);

        BatchResult result = worker.process(events(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), TIMEOUT);

        assertThat(result.outcomes()).hasSize(10)
                .allSatisfy(o -> assertThat(json(texts(o).getFirst()).path("most").asInt()).isBetween(1, 3));
        assertThat(json(texts(result.outcomes().get(9)).getFirst()).path("most").asInt()).isEqualTo(3);
    }

    @Test
    void memoryLimitBoundsTheProcess() {
        FunctionWorker worker = start("def handler(data, log):\n    return len(bytearray(data * 1024 * 1024))\n",
                Map.of(), 256, WorkerSpec.DEFAULT_MAX_RESULT_BYTES);

        BatchResult result = worker.process(events(1, 1024), TIMEOUT);

        assertThat(texts(result.outcomes().get(0))).containsExactly("1048576");
        assertThat(failure(result.outcomes().get(1)).errorType()).isEqualTo("MemoryError");
    }

    @Test
    void closeEndsTheProcess() {
        FunctionWorker worker = start("def handler(data, log):\n    return data\n");
        long pid = worker.pid();

        worker.close();
        worker.close();

        assertThat(worker.alive()).isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
