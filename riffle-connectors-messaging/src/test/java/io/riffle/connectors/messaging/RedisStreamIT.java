package io.riffle.connectors.messaging;

import static io.riffle.connectors.messaging.Harness.await;
import static io.riffle.connectors.messaging.Harness.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.Direction;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.InvalidInputException;
import io.riffle.core.UnavailableException;
import io.riffle.testkit.TcpProxy;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

/** The redis source and sink against the real Redis on 127.0.0.1:6379. */
class RedisStreamIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final String stream = "riffle-test-" + UUID.randomUUID();
    private Jedis redis;

    @BeforeEach
    void connect() {
        redis = new Jedis("127.0.0.1", 6379);
    }

    @AfterEach
    void cleanUp() {
        redis.del(stream);
        redis.close();
    }

    private ConnectorConfig source(int port, Map<String, Object> extra) {
        var fields = new HashMap<String, Object>(Map.of("host", "127.0.0.1", "port", port, "stream", stream,
            "group", "riffle", "field", "data", "batch_size", 50));
        fields.putAll(extra);
        return config(Direction.SOURCE, "redis", fields);
    }

    private ConnectorConfig sink(int port) {
        return config(Direction.SINK, "redis", Map.of("host", "127.0.0.1", "port", port, "stream", stream,
            "id_field", "riffle_id"));
    }

    private void add(int from, int to) {
        for (int i = from; i < to; i++) {
            redis.xadd(stream, StreamEntryID.NEW_ENTRY, Map.of("data", "{\"n\":" + i + "}"));
        }
    }

    @Test
    void sinkAppendsAndSourceReadsEveryEntryOnceInOrder() throws Exception {
        try (var sink = new RedisSinkFactory().openSink(sink(6379))) {
            for (int batch = 0; batch < 3; batch++) {
                var records = new ArrayList<SinkRecord>();
                for (int i = batch * 200; i < (batch + 1) * 200; i++) {
                    records.add(new SinkRecord("p:" + i, Harness.event(i)));
                }
                assertThat(sink.write(records)).isEmpty();
            }
        }
        assertThat(redis.xlen(stream)).isEqualTo(600);
        var first = redis.xrange(stream, (StreamEntryID) null, null, 1).get(0);
        assertThat(first.getFields()).containsEntry("data", "{\"n\":0}").containsEntry("riffle_id", "p:0");

        var context = new Collecting();
        var source = new RedisSourceFactory().openSource(source(6379, Map.of()));
        var done = Harness.run(source, context);
        await("600 entries", WAIT, () -> context.size() >= 600);
        context.stop();
        done.get(10, TimeUnit.SECONDS);
        source.close();

        assertThat(context.size()).isEqualTo(600);
        assertThat(context.records().stream().map(r -> Harness.n(r.payload())).toList())
            .containsExactlyElementsOf(IntStream.range(0, 600).boxed().toList());
        assertThat(context.dedupeIds()).hasSize(600).allMatch(id -> id.startsWith("redis:" + stream + ":"));
        assertThat(redis.xpending(stream, "riffle").getTotal()).isZero();
    }

    @Test
    void entryWithoutTheFieldBecomesAnObjectOfItsFields() throws Exception {
        redis.xadd(stream, StreamEntryID.NEW_ENTRY, Map.of("a", "1", "b", "plain text"));
        var context = new Collecting();
        var source = new RedisSourceFactory().openSource(source(6379, Map.of()));
        var done = Harness.run(source, context);
        await("1 entry", WAIT, () -> context.size() == 1);
        context.stop();
        done.get(10, TimeUnit.SECONDS);
        var event = Harness.JSON.readTree(context.records().get(0).payload());
        assertThat(event.get("a").asText()).isEqualTo("1");
        assertThat(event.get("b").asText()).isEqualTo("plain text");
    }

    @Test
    void failedEmitLeavesEntriesPendingAndTheNextRunReadsThem() throws Exception {
        add(0, 300);
        var crashed = new Collecting().failEmit(3);
        var source = new RedisSourceFactory().openSource(source(6379, Map.of()));
        var done = Harness.run(source, crashed);
        assertThatThrownBy(() -> done.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("JetStream unavailable (injected)");
        source.close();
        assertThat(crashed.size()).isEqualTo(100);
        assertThat(redis.xpending(stream, "riffle").getTotal()).isEqualTo(50);

        var resumed = new Collecting();
        var again = new RedisSourceFactory().openSource(source(6379, Map.of()));
        var running = Harness.run(again, resumed);
        await("the other 200 entries", WAIT, () -> resumed.size() >= 200);
        resumed.stop();
        running.get(10, TimeUnit.SECONDS);
        again.close();

        var all = new TreeSet<>(crashed.distinct());
        all.addAll(resumed.distinct());
        assertThat(all).hasSize(300);
        assertThat(crashed.size() + resumed.size()).isEqualTo(300); // the failed batch was never stored
        assertThat(redis.xpending(stream, "riffle").getTotal()).isZero();
    }

    @Test
    void sourceClosedMidStreamAndReopenedLosesNothing() throws Exception {
        add(0, 2000);
        var first = new Collecting().holdAt(100);
        var source = new RedisSourceFactory().openSource(source(6379, Map.of("batch_size", 10)));
        var done = Harness.run(source, first);
        await("some entries", WAIT, () -> first.size() >= 100);
        source.close();
        first.release();
        done.get(10, TimeUnit.SECONDS); // close is not an error
        assertThat(first.size()).isLessThan(2000);

        var second = new Collecting();
        var reopened = new RedisSourceFactory().openSource(source(6379, Map.of("batch_size", 10)));
        var again = Harness.run(reopened, second);
        var ids = new TreeSet<String>();
        await("every entry across both runs", WAIT, () -> {
            ids.clear();
            ids.addAll(first.dedupeIds());
            ids.addAll(second.dedupeIds());
            return ids.size() == 2000;
        });
        second.stop();
        again.get(10, TimeUnit.SECONDS);
        reopened.close();
        var all = new TreeSet<>(first.distinct());
        all.addAll(second.distinct());
        assertThat(all).hasSize(2000);
    }

    @Test
    void unreachableRedisFailsTheRunClearlyAndTheNextRunRecovers() throws Exception {
        int dead = freePort();
        assertThatThrownBy(() -> new RedisSourceFactory().openSource(source(dead, Map.of())).run(new Collecting()))
            .isInstanceOf(UnavailableException.class)
            .hasMessageContaining("redis at 127.0.0.1:" + dead);

        try (var proxy = TcpProxy.start("127.0.0.1", 6379)) {
            add(0, 10);
            var context = new Collecting();
            var source = new RedisSourceFactory().openSource(source(proxy.port(), Map.of()));
            var done = Harness.run(source, context);
            await("10 entries", WAIT, () -> context.size() == 10);
            proxy.stop();
            var failure = assertThatThrownBy(() -> done.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause();
            failure.isInstanceOf(UnavailableException.class).hasMessageContaining("redis at 127.0.0.1:" + proxy.port());
            source.close();

            add(10, 20); // written while the source cannot reach Redis
            proxy.start();
            var next = new Collecting();
            var reopened = new RedisSourceFactory().openSource(source(proxy.port(), Map.of()));
            var running = Harness.run(reopened, next);
            await("the 10 entries added during the outage", WAIT, () -> next.size() == 10);
            next.stop();
            running.get(10, TimeUnit.SECONDS);
            reopened.close();
            assertThat(next.distinct()).containsExactlyElementsOf(IntStream.range(10, 20).boxed().toList());
        }
    }

    @Test
    void sinkFailsWhileRedisIsAwayAndWritesAgainAfter() throws Exception {
        try (var proxy = TcpProxy.start("127.0.0.1", 6379);
             var sink = new RedisSinkFactory().openSink(sink(proxy.port()))) {
            assertThat(sink.write(List.of(new SinkRecord("p:1", Harness.event(1))))).isEmpty();
            proxy.stop();
            assertThatThrownBy(() -> sink.write(List.of(new SinkRecord("p:2", Harness.event(2)))))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("redis at 127.0.0.1:" + proxy.port());
            proxy.start();
            assertThat(sink.write(List.of(new SinkRecord("p:2", Harness.event(2))))).isEmpty();
        }
        assertThat(redis.xlen(stream)).isEqualTo(2);
    }

    @Test
    void sinkTrimsToAboutMaxlen() throws Exception {
        var config = config(Direction.SINK, "redis", Map.of("host", "127.0.0.1", "stream", stream, "maxlen", 100));
        try (var sink = new RedisSinkFactory().openSink(config)) {
            for (int batch = 0; batch < 10; batch++) {
                var records = new ArrayList<SinkRecord>();
                for (int i = 0; i < 100; i++) {
                    records.add(new SinkRecord("p:" + batch + ":" + i, Harness.event(i)));
                }
                sink.write(records);
            }
        }
        // approximate trimming keeps whole radix-tree nodes (100 entries by default), so a little more than 100
        assertThat(redis.xlen(stream)).isBetween(100L, 300L);
    }

    @Test
    void probeNamesTheFieldAtFault() throws Exception {
        int dead = freePort();
        assertThatThrownBy(() -> new RedisSourceFactory().probe(source(dead, Map.of())))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageStartingWith("source_connector.config.host: cannot connect to redis at 127.0.0.1:" + dead);
        assertThatThrownBy(() -> new RedisSinkFactory().probe(config(Direction.SINK, "redis",
            Map.of("host", "127.0.0.1", "stream", stream, "username", "riffle-nobody", "password", "wrong"))))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageStartingWith("sink_connector.config.password:");
        redis.set(stream, "not a stream");
        assertThatThrownBy(() -> new RedisSinkFactory().probe(sink(6379)))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("sink_connector.config.stream: key '" + stream + "' holds a string, not a stream");
        redis.del(stream);
        new RedisSinkFactory().probe(sink(6379));
        new RedisSourceFactory().probe(source(6379, Map.of()));
    }

    static int freePort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
