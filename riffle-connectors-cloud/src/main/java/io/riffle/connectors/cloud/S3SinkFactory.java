package io.riffle.connectors.cloud;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Sink;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@code amazon_s3} sink (GlassFlow's fields {@code s3_bucket, s3_key, aws_region, aws_access_key,
 * aws_secret_key}; Riffle adds {@code endpoint} and {@code path_style}). Each delivered batch becomes one NDJSON
 * object under the {@code s3_key} prefix, named after the batch's record ids, so a retried batch overwrites its
 * object instead of adding a duplicate.
 */
public final class S3SinkFactory implements ConnectorFactory {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Set<String> MISSING_BUCKET = Set.of("NoSuchBucket");

    @Override
    public String kind() {
        return "amazon_s3";
    }

    @Override
    public Direction direction() {
        return Direction.SINK;
    }

    @Override
    public void validate(ConnectorConfig config) {
        settings(config);
    }

    @Override
    public void probe(ConnectorConfig config) {
        var s = settings(config);
        try (var client = client(s)) {
            client.headBucket(r -> r.bucket(s.bucket()));
        } catch (SdkException e) {
            throw AwsSettings.probeFailure(config, e, "s3_bucket", MISSING_BUCKET);
        }
    }

    @Override
    public Sink openSink(ConnectorConfig config) {
        var s = settings(config);
        return new S3Sink(client(s), s);
    }

    static S3Settings settings(ConnectorConfig config) {
        var aws = AwsSettings.of(config);
        var bucket = config.string("s3_bucket");
        if (!BUCKET.matcher(bucket).matches()) {
            throw config.invalid("s3_bucket", "must be an S3 bucket name (3-63 lower-case letters, digits, dots and "
                + "hyphens); got '" + bucket + "'");
        }
        var prefix = S3Keys.prefix(config.string("s3_key", ""));
        if (prefix.length() > 900) {
            throw config.invalid("s3_key", "must be at most 900 characters; got " + prefix.length());
        }
        var pathStyle = config.bool("path_style", aws.endpoint() != null);
        return new S3Settings(aws, bucket, prefix, pathStyle);
    }

    private static S3Client client(S3Settings s) {
        var builder = S3Client.builder()
            .region(s.aws().region())
            .credentialsProvider(s.aws().credentials())
            .forcePathStyle(s.pathStyle())
            .httpClient(AwsSettings.httpClient(Duration.ofSeconds(5), Duration.ofSeconds(60)));
        if (s.aws().endpoint() != null) {
            builder.endpointOverride(s.aws().endpoint());
        }
        return builder.build();
    }

    /** The validated configuration of one {@code amazon_s3} sink. */
    record S3Settings(AwsSettings aws, String bucket, String prefix, boolean pathStyle) {
    }
}
