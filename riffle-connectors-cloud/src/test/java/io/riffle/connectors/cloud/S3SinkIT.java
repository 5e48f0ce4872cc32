package io.riffle.connectors.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.Rejection;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.InvalidInputException;
import io.riffle.testkit.TestS3;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The amazon_s3 sink against local-s3, a real S3-compatible server, in this JVM. */
class S3SinkIT {
    private static final S3SinkFactory FACTORY = new S3SinkFactory();
    private static TestS3 s3;
    private static S3Client client;

    @BeforeAll
    static void start() {
        s3 = new TestS3();
        client = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.of(TestS3.REGION))
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        s3.close();
    }

    private static String bucket() {
        var name = "b-" + UUID.randomUUID().toString().substring(0, 8);
        client.createBucket(r -> r.bucket(name));
        return name;
    }

    private static ConnectorConfig config(String bucket, String prefix) {
        var fields = new HashMap<String, Object>(Map.of("s3_bucket", bucket, "s3_key", prefix,
            "aws_region", TestS3.REGION, "aws_access_key", "x", "aws_secret_key", "x",
            "endpoint", s3.endpoint().toString()));
        return Configs.sink("amazon_s3", fields);
    }

    private static List<SinkRecord> records(int from, int to) {
        var out = new ArrayList<SinkRecord>();
        for (int i = from; i < to; i++) {
            out.add(new SinkRecord("p1:" + i, ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static List<S3Object> objects(String bucket) {
        return client.listObjectsV2(r -> r.bucket(bucket)).contents();
    }

    private static String read(String bucket, String key) {
        return client.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String();
    }

    @Test
    void writesEachBatchAsOneNdjsonObjectAndARetriedBatchOverwritesIt() throws Exception {
        var bucket = bucket();
        try (var sink = FACTORY.openSink(config(bucket, "events"))) {
            assertThat(sink.write(records(0, 3))).isEmpty();
            assertThat(sink.write(records(3, 5))).isEmpty();
            assertThat(sink.write(records(3, 5))).isEmpty();
        }
        var keys = objects(bucket).stream().map(S3Object::key).sorted().toList();
        assertThat(keys).hasSize(2).allMatch(k -> k.startsWith("events/p1-") && k.endsWith(".ndjson"));
        assertThat(keys.get(0)).startsWith("events/p1-00000000000000000000--p1-00000000000000000002-");
        assertThat(read(bucket, keys.get(0))).isEqualTo("{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n");
        assertThat(read(bucket, keys.get(1))).isEqualTo("{\"n\":3}\n{\"n\":4}\n");
    }

    @Test
    void refusesAResultThatIsNotJsonAndWritesTheOthers() throws Exception {
        var bucket = bucket();
        var batch = new ArrayList<>(records(0, 2));
        batch.add(1, new SinkRecord("p1:99", "not json".getBytes(StandardCharsets.UTF_8)));
        List<Rejection> rejected;
        try (var sink = FACTORY.openSink(config(bucket, ""))) {
            rejected = sink.write(batch);
        }
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.record().id()).isEqualTo("p1:99");
            assertThat(r.reason()).contains("not JSON");
        });
        var keys = objects(bucket).stream().map(S3Object::key).toList();
        assertThat(keys).singleElement().satisfies(k -> assertThat(read(bucket, k)).isEqualTo("{\"n\":0}\n{\"n\":1}\n"));
    }

    @Test
    void writeFailsWhileTheServerIsAwayAndSucceedsOnceItIsBack() throws Exception {
        var bucket = bucket();
        try (var sink = FACTORY.openSink(config(bucket, "x/"))) {
            s3.stop();
            try {
                assertThatThrownBy(() -> sink.write(records(0, 1))).isInstanceOf(RuntimeException.class);
            } finally {
                s3.start();
            }
            client.createBucket(r -> r.bucket(bucket));
            assertThat(sink.write(records(0, 1))).isEmpty();
        }
        assertThat(objects(bucket)).hasSize(1);
    }

    @Test
    void probeNamesTheMissingBucketAndTheDeadEndpoint() {
        assertThatThrownBy(() -> FACTORY.probe(config("no-such-bucket-" + UUID.randomUUID().toString()
            .substring(0, 8), "")))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("sink_connector.config.s3_bucket").hasMessageContaining("does not exist");
        var fields = new HashMap<String, Object>(Map.of("s3_bucket", "abc", "s3_key", "", "aws_region", "us-east-1",
            "aws_access_key", "x", "aws_secret_key", "x", "endpoint", "http://127.0.0.1:1"));
        assertThatThrownBy(() -> FACTORY.probe(Configs.sink("amazon_s3", fields)))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("sink_connector.config.endpoint");
        FACTORY.probe(config(bucket(), ""));
    }
}
