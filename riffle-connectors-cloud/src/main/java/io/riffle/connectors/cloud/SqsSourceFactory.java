package io.riffle.connectors.cloud;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Source;
import java.time.Duration;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The {@code amazon_sqs} source (GlassFlow's fields {@code queue_url, aws_region, aws_access_key, aws_secret_key};
 * Riffle adds {@code endpoint}, {@code wait_time_seconds} and {@code max_messages}). Long-polls the queue, emits
 * each message, and deletes it only after the pipeline's input stream stored it; the SQS message id is the
 * dedupe id, so a message seen again after a crash is stored once.
 */
public final class SqsSourceFactory implements ConnectorFactory {
    static final int DEFAULT_WAIT_SECONDS = 10;
    static final int DEFAULT_MAX_MESSAGES = 10;
    private static final Set<String> MISSING_QUEUE = Set.of("AWS.SimpleQueueService.NonExistentQueue",
        "QueueDoesNotExist", "NonExistentQueue");

    @Override
    public String kind() {
        return "amazon_sqs";
    }

    @Override
    public Direction direction() {
        return Direction.SOURCE;
    }

    @Override
    public void validate(ConnectorConfig config) {
        settings(config);
    }

    @Override
    public void probe(ConnectorConfig config) {
        var s = settings(config);
        try (var client = client(s.aws(), Duration.ofSeconds(5))) {
            client.getQueueAttributes(r -> r.queueUrl(s.queueUrl()));
        } catch (SdkException e) {
            throw AwsSettings.probeFailure(config, e, "queue_url", MISSING_QUEUE);
        }
    }

    @Override
    public Source openSource(ConnectorConfig config) {
        var s = settings(config);
        var readTimeout = Duration.ofSeconds(s.waitSeconds() + 20L);
        return new SqsSource(client(s.aws(), readTimeout), s);
    }

    static SqsSettings settings(ConnectorConfig config) {
        var aws = AwsSettings.of(config);
        var queueUrl = AwsSettings.httpUri(config, "queue_url", config.string("queue_url")).toString();
        var wait = config.integer("wait_time_seconds", DEFAULT_WAIT_SECONDS, 0, 20);
        var max = config.integer("max_messages", DEFAULT_MAX_MESSAGES, 1, 10);
        return new SqsSettings(aws, queueUrl, wait, max);
    }

    private static SqsClient client(AwsSettings aws, Duration readTimeout) {
        var builder = SqsClient.builder()
            .region(aws.region())
            .credentialsProvider(aws.credentials())
            .httpClient(AwsSettings.httpClient(Duration.ofSeconds(5), readTimeout));
        if (aws.endpoint() != null) {
            builder.endpointOverride(aws.endpoint());
        }
        return builder.build();
    }

    /** The validated configuration of one {@code amazon_sqs} source. */
    record SqsSettings(AwsSettings aws, String queueUrl, int waitSeconds, int maxMessages) {
    }
}
