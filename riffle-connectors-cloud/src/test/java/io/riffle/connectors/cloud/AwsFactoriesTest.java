package io.riffle.connectors.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorRegistry;
import io.riffle.connectors.Direction;
import io.riffle.core.InvalidInputException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration checks of amazon_sqs and amazon_s3 (no network). */
class AwsFactoriesTest {
    private static Map<String, Object> sqs() {
        return new HashMap<>(Map.of("queue_url", "https://sqs.eu-west-1.amazonaws.com/123456789012/orders",
            "aws_region", "eu-west-1", "aws_access_key", "AKIA", "aws_secret_key", "secret"));
    }

    private static Map<String, Object> s3() {
        return new HashMap<>(Map.of("s3_bucket", "my-bucket", "s3_key", "out", "aws_region", "eu-west-1",
            "aws_access_key", "AKIA", "aws_secret_key", "secret"));
    }

    @Test
    void theKindsAreRegistered() {
        var registry = ConnectorRegistry.load();
        assertThat(registry.kinds(Direction.SOURCE)).contains("amazon_sqs", "google_pubsub");
        assertThat(registry.kinds(Direction.SINK)).contains("amazon_s3", "clickhouse", "mongodb_json",
            "pinecone_json", "snowflake_cdc_json");
    }

    @Test
    void sqsNamesTheMissingOrBadField() {
        var factory = new SqsSourceFactory();
        factory.validate(Configs.source("amazon_sqs", sqs()));
        for (var field : sqs().keySet()) {
            var fields = sqs();
            fields.remove(field);
            assertThatThrownBy(() -> factory.validate(Configs.source("amazon_sqs", fields)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("source_connector.config." + field + ": is required");
        }
        var bad = sqs();
        bad.put("aws_region", "EU West");
        assertThatThrownBy(() -> factory.validate(Configs.source("amazon_sqs", bad)))
            .hasMessageContaining("source_connector.config.aws_region").hasMessageContaining("'EU West'");
        var badUrl = sqs();
        badUrl.put("queue_url", "orders");
        assertThatThrownBy(() -> factory.validate(Configs.source("amazon_sqs", badUrl)))
            .hasMessageContaining("source_connector.config.queue_url").hasMessageContaining("'orders'");
        var badWait = sqs();
        badWait.put("wait_time_seconds", 21);
        assertThatThrownBy(() -> factory.validate(Configs.source("amazon_sqs", badWait)))
            .hasMessageContaining("source_connector.config.wait_time_seconds").hasMessageContaining("21");
        var badEndpoint = sqs();
        badEndpoint.put("endpoint", "localhost:9324");
        assertThatThrownBy(() -> factory.validate(Configs.source("amazon_sqs", badEndpoint)))
            .hasMessageContaining("source_connector.config.endpoint");
    }

    @Test
    void s3NamesTheMissingOrBadField() {
        var factory = new S3SinkFactory();
        factory.validate(Configs.sink("amazon_s3", s3()));
        var noPrefix = s3();
        noPrefix.remove("s3_key");
        factory.validate(Configs.sink("amazon_s3", noPrefix));
        var bad = s3();
        bad.put("s3_bucket", "My_Bucket");
        assertThatThrownBy(() -> factory.validate(Configs.sink("amazon_s3", bad)))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("sink_connector.config.s3_bucket").hasMessageContaining("'My_Bucket'");
        var noKey = s3();
        noKey.remove("aws_secret_key");
        assertThatThrownBy(() -> factory.validate(Configs.sink("amazon_s3", noKey)))
            .hasMessage("sink_connector.config.aws_secret_key: is required");
        var style = s3();
        style.put("path_style", "sometimes");
        assertThatThrownBy(() -> factory.validate(Configs.sink("amazon_s3", style)))
            .hasMessageContaining("sink_connector.config.path_style");
        assertThat(S3SinkFactory.settings(Configs.sink("amazon_s3", s3())).pathStyle()).isFalse();
    }
}
