package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.testkit.TestS3;
import io.riffle.testkit.TestSqs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * amazon_sqs → Python function → amazon_s3 end to end: the real jar, an SQS server (ElasticMQ) and an S3 server
 * (local-s3) in this JVM on loopback. Counts every event across a kill of Riffle, the S3 or the SQS server going away
 * and coming back, and configuration refused at create.
 */
class CloudConnectorsIT {
    private static final Duration DELIVERY = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOUBLE = "def handler(data, log):\n    return {'n': data['n'], 'double': data['n'] * 2}\n";
    private static ConnectorHarness h;
    private static TestSqs sqsServer;
    private static TestS3 s3Server;
    private static SqsClient sqs;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        sqsServer = new TestSqs();
        s3Server = new TestS3();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"));
        sqs = SqsClient.builder().endpointOverride(sqsServer.endpoint()).region(Region.of(TestSqs.REGION))
            .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        s3 = S3Client.builder().endpointOverride(s3Server.endpoint()).region(Region.of(TestS3.REGION))
            .forcePathStyle(true).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        h = ConnectorHarness.start("cloud");
        h.secret("AWS_SECRET", "x");
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
        sqs.close();
        s3.close();
        sqsServer.close();
        s3Server.close();
    }

    private static String queue() {
        var name = "q-" + UUID.randomUUID();
        return sqs.createQueue(r -> r.queueName(name)).queueUrl();
    }

    private static String bucket() {
        var name = "b-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(r -> r.bucket(name));
        return name;
    }

    private static Map<String, Object> sqsSource(String queueUrl) {
        return ConnectorHarness.connector("amazon_sqs", Map.of("queue_url", queueUrl, "aws_region", TestSqs.REGION,
            "aws_access_key", "x", "aws_secret_key", ConnectorHarness.secretRef("AWS_SECRET"),
            "endpoint", sqsServer.endpoint().toString(), "wait_time_seconds", 1));
    }

    private static Map<String, Object> s3Sink(String bucket) {
        return ConnectorHarness.connector("amazon_s3", Map.of("s3_bucket", bucket, "s3_key", "enriched",
            "aws_region", TestS3.REGION, "aws_access_key", "x", "aws_secret_key",
            ConnectorHarness.secretRef("AWS_SECRET"), "endpoint", s3Server.endpoint().toString()));
    }

    private static void send(String queueUrl, int from, int to) {
        for (int i = from; i < to; i += 10) {
            var entries = IntStream.range(i, Math.min(to, i + 10)).mapToObj(n -> SendMessageBatchRequestEntry.builder()
                .id("m" + n).messageBody("{\"n\":" + n + "}").build()).toList();
            sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
        }
    }

    /** Every line of every object under the bucket, parsed. */
    private static List<Map<String, Integer>> lines(String bucket) {
        var out = new ArrayList<Map<String, Integer>>();
        for (var object : s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
            var text = s3.getObjectAsBytes(r -> r.bucket(bucket).key(object.key())).asUtf8String();
            for (var line : text.split("\n")) {
                if (!line.isBlank()) {
                    var node = readTree(line);
                    out.add(Map.of("n", node.path("n").asInt(), "double", node.path("double").asInt()));
                }
            }
        }
        return out;
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON in S3: " + line, e);
        }
    }

    private static Set<Integer> distinct(String bucket) {
        var out = new HashSet<Integer>();
        lines(bucket).forEach(l -> out.add(l.get("n")));
        return out;
    }

    private static int queued(String queueUrl) {
        var attrs = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            + Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void sqsThroughPythonIntoS3LosesNothingWhenRiffleIsKilledMidStream() {
        var queueUrl = queue();
        var bucket = bucket();
        var p = h.create("sqs-to-s3", DOUBLE, sqsSource(queueUrl), s3Sink(bucket));
        send(queueUrl, 0, 300);
        Await.await("results in S3 before the kill", DELIVERY, () -> distinct(bucket).size() >= 50);
        h.killAndRestart();
        send(queueUrl, 300, 600);
        Await.awaitValue("600 distinct results in S3", DELIVERY, () -> distinct(bucket), s -> s.size() == 600);

        var expected = new HashSet<Integer>();
        IntStream.range(0, 600).forEach(expected::add);
        assertThat(distinct(bucket)).isEqualTo(expected);
        var all = lines(bucket);
        assertThat(all).allSatisfy(l -> assertThat(l.get("double")).isEqualTo(2 * l.get("n")));
        assertThat(all.size()).as("lines written, at least once").isGreaterThanOrEqualTo(600);
        Await.await("the queue drained", DELIVERY, () -> queued(queueUrl) == 0);
        var source = h.awaitConnector(p, "source", s -> s.path("state").asText().equals("running")
            && s.path("delivered").asLong() > 0, "running with deliveries");
        assertThat(source.path("kind").asText()).isEqualTo("amazon_sqs");
        var sink = h.awaitConnector(p, "sink", s -> s.path("state").asText().equals("running")
            && s.path("delivered").asLong() > 0, "running with deliveries");
        assertThat(sink.path("kind").asText()).isEqualTo("amazon_s3");
        assertThat(h.deadLetters(p)).isEmpty();
    }

    @Test
    void s3GoingAwayIsRetriedWithAVisibleStatusAndDeliveredWhenItIsBack() {
        var queueUrl = queue();
        try (var away = new TestS3()) {
            var bucket = "b-" + UUID.randomUUID().toString().substring(0, 8);
            var sink = new HashMap<>(s3Sink(bucket));
            @SuppressWarnings("unchecked")
            var config = new HashMap<>((Map<String, Object>) sink.get("config"));
            config.put("endpoint", away.endpoint().toString());
            sink.put("config", config);
            try (var client = S3Client.builder().endpointOverride(away.endpoint()).region(Region.of(TestS3.REGION))
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build()) {
                client.createBucket(r -> r.bucket(bucket));
                var p = h.create("s3-away", DOUBLE, sqsSource(queueUrl), sink);
                away.stop();
                send(queueUrl, 0, 40);
                var failing = h.awaitConnector(p, "sink", "retrying");
                assertThat(failing.path("last_error").asText()).isNotBlank();
                away.start();
                client.createBucket(r -> r.bucket(bucket));
                var seen = Await.awaitValue("40 distinct results after S3 came back", DELIVERY, () -> {
                    var n = new HashSet<Integer>();
                    for (var o : client.listObjectsV2(r -> r.bucket(bucket)).contents()) {
                        for (var line : client.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asUtf8String()
                            .split("\n")) {
                            n.add(readTree(line).path("n").asInt());
                        }
                    }
                    return n;
                }, s -> s.size() == 40);
                assertThat(seen).hasSize(40);
                h.awaitConnector(p, "sink", "running");
                assertThat(h.deadLetters(p)).isEmpty();
            }
        }
    }

    @Test
    void sqsGoingAwayIsRetriedWithAVisibleStatusAndReadAgainWhenItIsBack() {
        var bucket = bucket();
        try (var away = new TestSqs(); var client = SqsClient.builder().endpointOverride(away.endpoint())
            .region(Region.of(TestSqs.REGION)).httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build()) {
            var name = "q-" + UUID.randomUUID();
            var queueUrl = client.createQueue(r -> r.queueName(name)).queueUrl();
            var source = new HashMap<>(sqsSource(queueUrl));
            @SuppressWarnings("unchecked")
            var config = new HashMap<>((Map<String, Object>) source.get("config"));
            config.put("endpoint", away.endpoint().toString());
            source.put("config", config);
            var p = h.create("sqs-away", DOUBLE, source, s3Sink(bucket));
            h.awaitConnector(p, "source", "running");
            away.stop();
            var failing = h.awaitConnector(p, "source", "retrying");
            assertThat(failing.path("last_error").asText()).isNotBlank();
            away.start();
            client.createQueue(r -> r.queueName(name));
            for (int i = 0; i < 20; i++) {
                var body = "{\"n\":" + i + "}";
                client.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
            }
            Await.awaitValue("20 distinct results after SQS came back", DELIVERY, () -> distinct(bucket),
                v -> v.size() == 20);
            h.awaitConnector(p, "source", "running");
            assertThat(h.deadLetters(p)).isEmpty();
        }
    }

    @Test
    void badConfigurationIsRefusedAtCreateNamingTheField() {
        var missingQueue = h.tryCreate("bad-sqs-1", ConnectorHarness.IDENTITY,
            sqsSource(sqsServer.queueUrl("no-such-queue")), null);
        Api.assertProblem(missingQueue, 400);
        assertThat(missingQueue.json().path("detail").asText())
            .startsWith("source_connector.config.queue_url: does not exist");

        var noRegion = h.tryCreate("bad-sqs-2", ConnectorHarness.IDENTITY, ConnectorHarness.connector("amazon_sqs",
            Map.of("queue_url", queue(), "aws_access_key", "x", "aws_secret_key", "x")), null);
        Api.assertProblem(noRegion, 400);
        assertThat(noRegion.json().path("detail").asText()).isEqualTo("source_connector.config.aws_region: is required");

        var badBucket = h.tryCreate("bad-s3-1", ConnectorHarness.IDENTITY, null, s3Sink("Not_A_Bucket"));
        Api.assertProblem(badBucket, 400);
        assertThat(badBucket.json().path("detail").asText()).startsWith("sink_connector.config.s3_bucket: must be");

        var missingBucket = h.tryCreate("bad-s3-2", ConnectorHarness.IDENTITY, null, s3Sink("no-such-bucket-1"));
        Api.assertProblem(missingBucket, 400);
        assertThat(missingBucket.json().path("detail").asText())
            .startsWith("sink_connector.config.s3_bucket: does not exist");
    }
}
