package io.riffle.connectors.messaging;

import static io.riffle.connectors.messaging.Harness.await;
import static io.riffle.connectors.messaging.Harness.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.Direction;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.InvalidInputException;
import io.riffle.core.UnavailableException;
import io.riffle.testkit.TcpProxy;
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

/** The rabbitmq source and sink against the real RabbitMQ on 127.0.0.1:5672 (guest/guest). */
class RabbitMqIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final String queue = "riffle-test-" + UUID.randomUUID();
    private Connection connection;
    private Channel channel;

    @BeforeEach
    void connect() throws Exception {
        var factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        connection = factory.newConnection("riffle-test");
        channel = connection.createChannel();
        channel.queueDeclare(queue, true, false, false, null);
    }

    @AfterEach
    void cleanUp() throws Exception {
        channel.queueDelete(queue);
        connection.close();
    }

    private ConnectorConfig source(int port, Map<String, Object> extra) {
        var fields = new HashMap<String, Object>(Map.of("host", "127.0.0.1", "port", port, "queue", queue,
            "prefetch", 50));
        fields.putAll(extra);
        return config(Direction.SOURCE, "rabbitmq", fields);
    }

    private ConnectorConfig sink(int port, String routingKey) {
        return config(Direction.SINK, "rabbitmq", Map.of("host", "127.0.0.1", "port", port, "routing_key",
            routingKey));
    }

    private void publish(int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            var props = new AMQP.BasicProperties.Builder().messageId("m-" + i).build();
            channel.basicPublish("", queue, props, Harness.event(i));
        }
    }

    private long depth() throws Exception {
        return channel.queueDeclarePassive(queue).getMessageCount();
    }

    @Test
    void sinkPublishesConfirmedPersistentMessagesAndSourceConsumesEachOnce() throws Exception {
        try (var sink = new RabbitMqSinkFactory().openSink(sink(5672, queue))) {
            for (int batch = 0; batch < 5; batch++) {
                var records = new ArrayList<SinkRecord>();
                for (int i = batch * 100; i < (batch + 1) * 100; i++) {
                    records.add(new SinkRecord("p:" + i, Harness.event(i)));
                }
                assertThat(sink.write(records)).isEmpty();
            }
        }
        var first = channel.basicGet(queue, false);
        assertThat(first.getProps().getDeliveryMode()).isEqualTo(2);
        assertThat(first.getProps().getContentType()).isEqualTo("application/json");
        assertThat(first.getProps().getMessageId()).isEqualTo("p:0");
        channel.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
        await("500 messages queued", WAIT, () -> depthQuietly() == 500);

        var context = new Collecting();
        var source = new RabbitMqSourceFactory().openSource(source(5672, Map.of()));
        var done = Harness.run(source, context);
        await("500 messages", WAIT, () -> context.size() >= 500);
        context.stop();
        done.get(10, TimeUnit.SECONDS);
        source.close();

        assertThat(context.size()).isEqualTo(500);
        assertThat(context.distinct()).containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
        assertThat(context.dedupeIds()).hasSize(500).contains("rabbitmq:" + queue + ":p:499");
        assertThat(depth()).isZero();
    }

    @Test
    void nonJsonBodiesAreWrapped() throws Exception {
        channel.basicPublish("", queue, null, "hello".getBytes(StandardCharsets.UTF_8));
        channel.basicPublish("", queue, null, new byte[] {(byte) 0xff, 0x00, 0x01});
        channel.basicPublish("", queue, null, "[1,2]".getBytes(StandardCharsets.UTF_8));
        var context = new Collecting();
        var source = new RabbitMqSourceFactory().openSource(source(5672, Map.of()));
        var done = Harness.run(source, context);
        await("3 messages", WAIT, () -> context.size() == 3);
        context.stop();
        done.get(10, TimeUnit.SECONDS);
        var events = context.records().stream().map(r -> new String(r.payload(), StandardCharsets.UTF_8)).toList();
        assertThat(events).containsExactly("{\"payload\":\"hello\"}", "{\"payload_base64\":\"/wAB\"}",
            "{\"payload\":\"[1,2]\"}");
        assertThat(context.records()).allMatch(r -> r.dedupeId() == null); // no message_id property
    }

    @Test
    void unroutableResultsAreRejectedToTheDeadLetters() throws Exception {
        try (var sink = new RabbitMqSinkFactory().openSink(sink(5672, "riffle-no-such-queue-" + UUID.randomUUID()))) {
            var rejected = sink.write(List.of(new SinkRecord("p:1", Harness.event(1))));
            assertThat(rejected).hasSize(1);
            assertThat(rejected.get(0).record().id()).isEqualTo("p:1");
            assertThat(rejected.get(0).reason()).contains("unroutable").contains("NO_ROUTE");
            // the sink stays usable
            assertThat(sink.write(List.of(new SinkRecord("p:2", Harness.event(2))))).hasSize(1);
        }
    }

    @Test
    void failedEmitLeavesMessagesUnackedAndTheNextRunGetsThem() throws Exception {
        publish(0, 300);
        var crashed = new Collecting().failEmit(3);
        var source = new RabbitMqSourceFactory().openSource(source(5672, Map.of()));
        var done = Harness.run(source, crashed);
        assertThatThrownBy(() -> done.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("JetStream unavailable (injected)");
        source.close();
        await("the unacked messages back in the queue", WAIT, () -> depthQuietly() == 300 - crashed.size());

        var resumed = new Collecting();
        var again = new RabbitMqSourceFactory().openSource(source(5672, Map.of()));
        var running = Harness.run(again, resumed);
        await("the rest", WAIT, () -> resumed.size() >= 300 - crashed.size());
        resumed.stop();
        running.get(10, TimeUnit.SECONDS);
        again.close();
        var all = new TreeSet<>(crashed.distinct());
        all.addAll(resumed.distinct());
        assertThat(all).hasSize(300);
        assertThat(crashed.size() + resumed.size()).isEqualTo(300);
        assertThat(depth()).isZero();
    }

    @Test
    void sourceClosedMidStreamAndReopenedLosesNothing() throws Exception {
        publish(0, 2000);
        var first = new Collecting().holdAt(100);
        var source = new RabbitMqSourceFactory().openSource(source(5672, Map.of("prefetch", 10)));
        var done = Harness.run(source, first);
        await("some messages", WAIT, () -> first.size() >= 100);
        source.close();
        first.release();
        done.get(10, TimeUnit.SECONDS);
        assertThat(first.size()).isLessThan(2000);

        var second = new Collecting();
        var reopened = new RabbitMqSourceFactory().openSource(source(5672, Map.of("prefetch", 10)));
        var again = Harness.run(reopened, second);
        var ids = new TreeSet<String>();
        await("every message across both runs", WAIT, () -> {
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
    void unreachableBrokerFailsTheRunClearlyAndTheNextRunRecovers() throws Exception {
        int dead = RedisStreamIT.freePort();
        assertThatThrownBy(() -> new RabbitMqSourceFactory().openSource(source(dead, Map.of())).run(new Collecting()))
            .isInstanceOf(UnavailableException.class)
            .hasMessageContaining("rabbitmq at 127.0.0.1:" + dead);

        try (var proxy = TcpProxy.start("127.0.0.1", 5672)) {
            publish(0, 10);
            var context = new Collecting();
            var source = new RabbitMqSourceFactory().openSource(source(proxy.port(), Map.of()));
            var done = Harness.run(source, context);
            await("10 messages", WAIT, () -> context.size() == 10);
            proxy.stop();
            assertThatThrownBy(() -> done.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(UnavailableException.class)
                .hasMessageContaining("rabbitmq at 127.0.0.1:" + proxy.port());
            source.close();

            publish(10, 20);
            proxy.start();
            var next = new Collecting();
            var reopened = new RabbitMqSourceFactory().openSource(source(proxy.port(), Map.of()));
            var running = Harness.run(reopened, next);
            await("the 10 published during the outage", WAIT, () -> next.distinct().containsAll(
                IntStream.range(10, 20).boxed().toList()));
            next.stop();
            running.get(10, TimeUnit.SECONDS);
            reopened.close();
        }
    }

    @Test
    void sinkFailsWhileTheBrokerIsAwayAndPublishesAgainAfter() throws Exception {
        try (var proxy = TcpProxy.start("127.0.0.1", 5672);
             var sink = new RabbitMqSinkFactory().openSink(sink(proxy.port(), queue))) {
            assertThat(sink.write(List.of(new SinkRecord("p:1", Harness.event(1))))).isEmpty();
            proxy.stop();
            assertThatThrownBy(() -> sink.write(List.of(new SinkRecord("p:2", Harness.event(2)))))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("rabbitmq at 127.0.0.1:" + proxy.port());
            proxy.start();
            assertThat(sink.write(List.of(new SinkRecord("p:2", Harness.event(2))))).isEmpty();
        }
        await("2 messages", WAIT, () -> depthQuietly() == 2);
    }

    @Test
    void probeNamesTheFieldAtFault() throws Exception {
        int dead = RedisStreamIT.freePort();
        assertThatThrownBy(() -> new RabbitMqSourceFactory().probe(source(dead, Map.of())))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageStartingWith("source_connector.config.host: cannot connect to rabbitmq at 127.0.0.1:" + dead);
        assertThatThrownBy(() -> new RabbitMqSourceFactory().probe(source(5672, Map.of("password", "wrong"))))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageStartingWith("source_connector.config.password: username/password refused");
        assertThatThrownBy(() -> new RabbitMqSourceFactory().probe(source(5672, Map.of("queue", "riffle-none"))))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageStartingWith("source_connector.config.queue: no queue named 'riffle-none' in vhost '/'");
        assertThatThrownBy(() -> new RabbitMqSourceFactory().probe(source(5672, Map.of("vhost", "riffle-none"))))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageStartingWith("source_connector.config.vhost:");
        assertThatThrownBy(() -> new RabbitMqSinkFactory().probe(config(Direction.SINK, "rabbitmq",
            Map.of("host", "127.0.0.1", "exchange", "riffle-none", "routing_key", "x"))))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageStartingWith("sink_connector.config.exchange: no exchange named 'riffle-none'");
        new RabbitMqSourceFactory().probe(source(5672, Map.of()));
        new RabbitMqSinkFactory().probe(sink(5672, queue));
        new RabbitMqSourceFactory().probe(source(5672, Map.of("queue", "riffle-none", "declare_queue", true)));
    }

    private long depthQuietly() {
        try {
            return depth();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
