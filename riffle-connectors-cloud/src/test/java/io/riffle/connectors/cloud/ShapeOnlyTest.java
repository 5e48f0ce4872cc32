package io.riffle.connectors.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorRegistry;
import io.riffle.connectors.Direction;
import io.riffle.core.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation without secrets at hand: secret references count as present, their values are not checked. */
class ShapeOnlyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> REF = Map.of("secret_ref", Map.of("type", "organization", "key", "K"));

    private static ConnectorConfig shape(Direction direction, String kind, Map<String, Object> fields) {
        var node = JSON.createObjectNode().put("kind", kind);
        node.set("config", JSON.valueToTree(fields));
        return ConnectorConfig.of(direction, node, null);
    }

    @Test
    void everyCloudKindValidatesWithSecretReferencesAndNoResolver() {
        var registry = ConnectorRegistry.load();
        var cases = Map.of(
            "amazon_sqs", Map.<String, Object>of("queue_url", "https://sqs.eu-west-1.amazonaws.com/1/q",
                "aws_region", "eu-west-1", "aws_access_key", REF, "aws_secret_key", REF),
            "google_pubsub", Map.<String, Object>of("project_id", "my-project", "subscription_id", "sub1",
                "credentials_json", REF),
            "amazon_s3", Map.<String, Object>of("s3_bucket", "bkt", "s3_key", "x", "aws_region", "eu-west-1",
                "aws_access_key", REF, "aws_secret_key", REF),
            "clickhouse", Map.<String, Object>of("addr", "ch:9000", "database", "d", "username", "u",
                "password", REF, "table", "t"),
            "mongodb_json", Map.<String, Object>of("connection_uri", REF, "db_name", "d"),
            "pinecone_json", Map.<String, Object>of("api_key", REF, "api_host", "api.pinecone.io",
                "index_host", "i.svc.pinecone.io"),
            "snowflake_cdc_json", Map.<String, Object>of("account", "org-acct", "warehouse", "W", "db_user", "u",
                "db_pass", REF, "db_name", "D", "db_schema", "S"));
        cases.forEach((kind, fields) -> {
            var direction = kind.equals("amazon_sqs") || kind.equals("google_pubsub") ? Direction.SOURCE
                : Direction.SINK;
            var config = shape(direction, kind, fields);
            registry.factory(direction, JSON.valueToTree(Map.of("kind", kind, "config", fields))).validate(config);
        });
        assertThat(cases).hasSize(7);
    }

    @Test
    void aMissingFieldIsStillRefused() {
        var config = shape(Direction.SINK, "mongodb_json", Map.of("connection_uri", REF));
        assertThatThrownBy(() -> new MongoSinkFactory().validate(config)).isInstanceOf(InvalidInputException.class)
            .hasMessage("sink_connector.config.db_name: is required");
    }
}
