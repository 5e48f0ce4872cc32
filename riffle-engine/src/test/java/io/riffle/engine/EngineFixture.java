package io.riffle.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riffle.broker.BrokerConfig;
import io.riffle.broker.ConsumedEvent;
import io.riffle.broker.InputRouting;
import io.riffle.broker.JetStreamBroker;
import io.riffle.broker.PipelineStreamStats;
import io.riffle.broker.PublishOutcome;
import io.riffle.core.BuildStatus;
import io.riffle.core.FunctionVersion;
import io.riffle.core.Pipeline;
import io.riffle.core.PipelineSettings;
import io.riffle.core.PipelineState;
import io.riffle.core.PipelineToken;
import io.riffle.core.SecretBox;
import io.riffle.core.Tokens;
import io.riffle.core.User;
import io.riffle.runtime.FunctionRuntime;
import io.riffle.runtime.RuntimeConfig;
import io.riffle.store.Database;
import io.riffle.store.DatabaseConfig;
import io.riffle.testkit.TestDatabase;
import io.riffle.testkit.TestNats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Real NATS JetStream, PostgreSQL and CPython around one {@link Engine}, for one test class. The engine has a NATS
 * connection of its own, so that a test can cut it as a crash would, while the test publishes, consumes and
 * announces over {@link #broker}.
 */
final class EngineFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration ACK_WAIT = Duration.ofSeconds(3);
    static final EngineConfig ENGINE_CONFIG = new EngineConfig(Duration.ofSeconds(1), Duration.ofMillis(200),
        Duration.ofMillis(100));
    private static final Duration POLL = Duration.ofMillis(20);

    final TestNats nats;
    final TestDatabase testDatabase;
    final Database database;
    final BrokerConfig brokerConfig;
    final JetStreamBroker broker;
    final Path dataDir;
    final FunctionRuntime runtime;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final User owner;
    /** What the fixture opened, newest first; closed in that order after the engine. */
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private JetStreamBroker engineBroker;
    private Engine engine;

    EngineFixture() {
        try {
            nats = own(TestNats.start());
            testDatabase = own(TestDatabase.create());
            var key = new byte[32];
            new SecureRandom().nextBytes(key);
            database = own(Database.open(DatabaseConfig.of(testDatabase.jdbcUrl()), SecretBox.create(key)));
            brokerConfig = BrokerConfig.of(nats.url()).withPrefix(nats.prefix()).withAckWait(ACK_WAIT);
            broker = own(JetStreamBroker.connect(brokerConfig));
            broker.useRouting(id -> database.pipelines().find(id).map(p -> InputRouting.of(p.settings()))
                .orElse(InputRouting.NONE));
            var dir = Files.createTempDirectory("riffle-engine-it");
            dataDir = own(dir, () -> deleteTree(dir));
            runtime = FunctionRuntime.create(RuntimeConfig.fromEnvironment(dataDir, System.getenv()));
            owner = database.users().createUser(Tokens.newId() + "@example.com", "Engine tests", false, null);
            startEngine();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    private <T> T own(T value, Runnable release) {
        owned.push(release::run);
        return value;
    }

    Engine engine() {
        return engine;
    }

    private void startEngine() {
        engineBroker = JetStreamBroker.connect(brokerConfig);
        engine = Engine.start(ENGINE_CONFIG, database.pipelines(), engineBroker, runtime, registry);
    }

    /** Another engine over its own NATS connection (as another machine's), closed before the fixture's own. */
    Engine startAnotherEngine() throws IOException {
        var dir = Files.createTempDirectory("riffle-engine-it-other");
        owned.push(() -> deleteTree(dir));
        var otherRuntime = FunctionRuntime.create(RuntimeConfig.fromEnvironment(dir, System.getenv()));
        var otherBroker = JetStreamBroker.connect(brokerConfig);
        var other = Engine.start(ENGINE_CONFIG, database.pipelines(), otherBroker, otherRuntime,
            new SimpleMeterRegistry());
        owned.push(otherBroker);
        owned.push(other);
        return other;
    }

    /**
     * What a crashed engine process looks like to the rest of the system: its NATS connection drops (nothing more
     * is published or acked), its runners stop; then a fresh engine starts over a fresh connection.
     */
    void crashAndRestartEngine() {
        engineBroker.close();
        engine.close();
        startEngine();
    }

    /**
     * Creates a pipeline's streams, then the running pipeline whose version 1 is {@code source}, built by the runtime
     * (READY when its import check passed, FAILED otherwise), and asks the engine to pick it up.
     */
    Created createPipeline(String source, PipelineSettings settings) {
        var build = runtime.build(source, "", Map.of());
        var id = Tokens.newId();
        broker.createPipelineStreams(id, InputRouting.of(settings));
        var now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var space = database.spaces().create("space " + id, owner.id());
        var pipeline = new Pipeline(id, space.id(), "pipeline " + id, PipelineState.RUNNING,
            JSON.createObjectNode(), null, null, settings, 1, now, now);
        var version = new FunctionVersion(id, 1, source, "", List.of(), BuildStatus.BUILDING, "", now);
        var token = new PipelineToken(Tokens.newId(), id, "default", Tokens.newSecret(Tokens.PIPELINE_PREFIX), now);
        database.pipelines().create(pipeline, version, token);
        database.pipelines().updateBuild(id, 1, build.ok() ? BuildStatus.READY : BuildStatus.FAILED, build.log());
        engine.reconcileSoon();
        return new Created(id, build.ok(), build.log());
    }

    /** A pipeline as created: its id and the outcome of its first build. */
    record Created(String id, boolean built, String buildLog) {
    }

    /** Changes a pipeline in the store and announces it, as the API does. */
    Pipeline update(String pipelineId, UnaryOperator<Pipeline> change) {
        var stored = database.pipelines().update(change.apply(database.pipelines().find(pipelineId).orElseThrow()));
        broker.announce(pipelineId);
        return stored;
    }

    /** Pauses a pipeline and waits until its runners have stopped. */
    void retire(String pipelineId) {
        update(pipelineId, p -> p.withState(PipelineState.PAUSED));
        awaitStopped(pipelineId);
    }

    /**
     * Waits until the engine has no runner of the pipeline. A group leaves {@link Engine#status()} when its stop
     * begins; the reconcile that follows takes the engine's lock, so it returns only once that stop has finished.
     */
    void awaitStopped(String pipelineId) {
        await(Duration.ofSeconds(40), "runners of " + pipelineId + " stopped",
            () -> !engine.status().containsKey(pipelineId));
        engine.reconcile();
    }

    /** Publishes {@code count} events ({@code event.apply(i)} for i in 0..count-1) and checks each was stored. */
    List<byte[]> publish(String pipelineId, int count, IntFunction<String> event) {
        var events = new ArrayList<byte[]>(count);
        for (int i = 0; i < count; i++) {
            events.add(event.apply(i).getBytes(StandardCharsets.UTF_8));
        }
        var outcomes = broker.publishBatch(pipelineId, events, null);
        assertThat(outcomes).as("every event was stored").allMatch(PublishOutcome::accepted);
        return events;
    }

    /** Publishes events {@code {"id": i}} for i in 0..count-1. */
    List<byte[]> publishIds(String pipelineId, int count) {
        return publish(pipelineId, count, i -> "{\"id\":" + i + "}");
    }

    /** Takes results until {@code expected} have arrived; fails when they do not within {@code timeout}. */
    List<ConsumedEvent> takeResults(String pipelineId, int expected, Duration timeout) {
        return take("results", pipelineId, expected, timeout, broker::consumeOutput);
    }

    /** Takes dead letters until {@code expected} have arrived. */
    List<ConsumedEvent> takeDeadLetters(String pipelineId, int expected, Duration timeout) {
        return take("dead letters", pipelineId, expected, timeout, broker::consumeFailed);
    }

    private static List<ConsumedEvent> take(String what, String pipelineId, int expected, Duration timeout,
                                            Function<String, Optional<ConsumedEvent>> source) {
        var out = new ArrayList<ConsumedEvent>(expected);
        var deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < expected) {
            var next = source.apply(pipelineId);
            if (next.isPresent()) {
                out.add(next.get());
            } else if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("only " + out.size() + " of " + expected + " " + what + " arrived within "
                    + timeout);
            } else {
                pause(POLL);
            }
        }
        return out;
    }

    /**
     * Checks that nothing of the pipeline is left: no event waits or is in flight, and no further result or dead
     * letter arrives (results are published before inputs are acked, so once nothing is in flight none can come).
     */
    void assertNothingMore(String pipelineId) {
        await(Duration.ofSeconds(30), "no event of " + pipelineId + " waiting or in flight", () -> {
            var s = broker.stats(pipelineId);
            return s.backlog() == 0 && s.inFlight() == 0;
        });
        assertThat(broker.consumeOutput(pipelineId)).as("an extra result").isEmpty();
        assertThat(broker.consumeFailed(pipelineId)).as("an extra dead letter").isEmpty();
        await(Duration.ofSeconds(5), "output and failed streams of " + pipelineId + " empty", () -> {
            var s = broker.stats(pipelineId);
            return s.outputWaiting() == 0 && s.failedWaiting() == 0;
        });
    }

    PipelineStreamStats stats(String pipelineId) {
        return broker.stats(pipelineId);
    }

    static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} until it holds; fails naming {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            pause(POLL);
        }
    }

    /** Polls until {@code probe} yields a value. */
    static <T> T awaitValue(Duration timeout, String what, Supplier<Optional<T>> probe) {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            pause(POLL);
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The live Python worker processes of a pipeline (their command line names its handler file). */
    static List<ProcessHandle> workersOf(String pipelineId) {
        return ProcessHandle.current().descendants()
            .filter(ProcessHandle::isAlive)
            .filter(p -> p.info().commandLine().map(c -> c.contains("riffle_runtime") && c.contains(pipelineId))
                .orElse(false))
            .toList();
    }

    @Override
    public void close() {
        var failure = new IllegalStateException("closing the engine fixture");
        for (AutoCloseable resource : new AutoCloseable[] {engine, engineBroker}) {
            closeInto(resource, failure);
        }
        while (!owned.isEmpty()) {
            closeInto(owned.pop(), failure);
        }
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private static void closeInto(AutoCloseable resource, RuntimeException failure) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
