package io.riffle.connectors.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.SourceRecord;
import io.riffle.core.InvalidInputException;
import io.riffle.testkit.TestSqs;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The amazon_sqs source against ElasticMQ, a real SQS-compatible server, in this JVM. */
class SqsSourceIT {
    private static final SqsSourceFactory FACTORY = new SqsSourceFactory();
    private static TestSqs sqs;
    private static SqsClient client;

    @BeforeAll
    static void start() {
        sqs = new TestSqs();
        client = SqsClient.builder().endpointOverride(sqs.endpoint()).region(Region.of(TestSqs.REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        sqs.close();
    }

    private static String queue(int visibilitySeconds) {
        var name = "q-" + UUID.randomUUID();
        return client.createQueue(r -> r.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT,
            Integer.toString(visibilitySeconds)))).queueUrl();
    }

    private static ConnectorConfig config(String queueUrl) {
        var fields = new HashMap<String, Object>(Map.of("queue_url", queueUrl, "aws_region", TestSqs.REGION,
            "aws_access_key", "x", "aws_secret_key", "x", "endpoint", sqs.endpoint().toString(),
            "wait_time_seconds", 1));
        return Configs.source("amazon_sqs", fields);
    }

    private static int remaining(String queueUrl) {
        var attrs = client.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            + Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void emitsEveryMessageThenDeletesIt() throws Exception {
        var url = queue(30);
        for (int i = 0; i < 25; i++) {
            var body = i % 5 == 0 ? "plain text " + i : "{\"n\":" + i + "}";
            client.sendMessage(r -> r.queueUrl(url).messageBody(body));
        }
        var context = new CollectingContext();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor();
             var source = FACTORY.openSource(config(url))) {
            Future<?> run = executor.submit(() -> {
                source.run(context);
                return null;
            });
            Configs.await(Duration.ofSeconds(60), "25 records", () -> context.records.size() >= 25);
            Configs.await(Duration.ofSeconds(30), "an empty queue", () -> remaining(url) == 0);
            context.running.set(false);
            run.get(30, TimeUnit.SECONDS);
        }
        assertThat(context.records).hasSize(25);
        assertThat(context.connected.get()).isEqualTo(1);
        assertThat(context.records).extracting(SourceRecord::dedupeId).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(context.payloads()).contains("{\"n\":1}", "{\"n\":24}", "{\"payload\":\"plain text 5\"}");
    }

    @Test
    void messageStaysQueuedWhenEmitFailsAndIsEmittedAgainWithTheSameDedupeId() throws Exception {
        var url = queue(1);
        var sent = client.sendMessage(r -> r.queueUrl(url).messageBody("{\"order\":7}")).messageId();
        var failing = new CollectingContext();
        failing.failNext.set(1);
        try (var source = FACTORY.openSource(config(url))) {
            assertThatThrownBy(() -> source.run(failing)).hasMessageContaining("input stream unavailable");
        }
        assertThat(remaining(url)).isEqualTo(1);

        var context = new CollectingContext();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor();
             var source = FACTORY.openSource(config(url))) {
            Future<?> run = executor.submit(() -> {
                source.run(context);
                return null;
            });
            Configs.await(Duration.ofSeconds(30), "the message again", () -> !context.records.isEmpty());
            Configs.await(Duration.ofSeconds(30), "an empty queue", () -> remaining(url) == 0);
            context.running.set(false);
            run.get(30, TimeUnit.SECONDS);
        }
        assertThat(context.records).singleElement().extracting(SourceRecord::dedupeId).isEqualTo(sent);
    }

    @Test
    void runFailsWhileTheServerIsAwayAndReadsAgainOnceItIsBack() throws Exception {
        var url = queue(30);
        sqs.stop();
        try (var source = FACTORY.openSource(config(url))) {
            assertThatThrownBy(() -> source.run(new CollectingContext())).isInstanceOf(RuntimeException.class);
        } finally {
            sqs.start();
        }
        var again = queue(30);
        client.sendMessage(r -> r.queueUrl(again).messageBody("{\"back\":true}"));
        var context = new CollectingContext();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor();
             var source = FACTORY.openSource(config(again))) {
            Future<?> run = executor.submit(() -> {
                source.run(context);
                return null;
            });
            Configs.await(Duration.ofSeconds(30), "a record after the restart", () -> !context.records.isEmpty());
            context.running.set(false);
            run.get(30, TimeUnit.SECONDS);
        }
        assertThat(context.payloads()).containsExactly("{\"back\":true}");
    }

    @Test
    void probeNamesTheMissingQueueAndTheDeadEndpoint() {
        var missing = sqs.queueUrl("no-such-queue-" + UUID.randomUUID());
        assertThatThrownBy(() -> FACTORY.probe(config(missing)))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("source_connector.config.queue_url").hasMessageContaining("does not exist");

        var fields = new HashMap<String, Object>(Map.of("queue_url", missing, "aws_region", "us-east-1",
            "aws_access_key", "x", "aws_secret_key", "x", "endpoint", "http://127.0.0.1:1"));
        assertThatThrownBy(() -> FACTORY.probe(Configs.source("amazon_sqs", fields)))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("source_connector.config.endpoint").hasMessageContaining("cannot reach");

        FACTORY.probe(config(queue(30)));
    }
}
