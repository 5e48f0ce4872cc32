package io.riffle.connectors.cloud;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.core.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The AWS fields shared by {@code amazon_sqs} and {@code amazon_s3}: region, static access key, and Riffle's
 * optional {@code endpoint} override for SQS/S3-compatible services.
 */
record AwsSettings(Region region, String accessKey, String secretKey, URI endpoint) {
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{2,40}");
    private static final Set<String> BAD_KEY_CODES = Set.of("InvalidClientTokenId", "SignatureDoesNotMatch",
        "UnrecognizedClientException", "InvalidAccessKeyId", "InvalidSecurity", "AuthFailure",
        "MissingAuthenticationToken", "IncompleteSignature");

    static AwsSettings of(ConnectorConfig config) {
        var region = config.string("aws_region");
        if (!REGION.matcher(region).matches()) {
            throw config.invalid("aws_region", "must be an AWS region such as us-east-1; got '" + region + "'");
        }
        var key = SecretFields.required(config, "aws_access_key");
        var secret = SecretFields.required(config, "aws_secret_key");
        return new AwsSettings(Region.of(region), key, secret, endpoint(config));
    }

    private static URI endpoint(ConnectorConfig config) {
        var text = config.string("endpoint", null);
        if (text == null || text.isBlank()) {
            return null;
        }
        return httpUri(config, "endpoint", text);
    }

    /** {@code text} as an absolute http(s) URI, or an error naming {@code field}. */
    static URI httpUri(ConnectorConfig config, String field, String text) {
        try {
            var uri = new URI(text.trim());
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw config.invalid(field, "must be an http:// or https:// URL; got '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw config.invalid(field, "must be an http:// or https:// URL; got '" + text + "'");
        }
    }

    StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    /** An HTTP client on the JDK's HttpURLConnection; reads wait {@code readTimeout} (longer than a long poll). */
    static SdkHttpClient httpClient(Duration connectTimeout, Duration readTimeout) {
        return UrlConnectionHttpClient.builder().connectionTimeout(connectTimeout).socketTimeout(readTimeout).build();
    }

    /**
     * Turns a failed create-time check into an error naming the field at fault: the keys for a refused signature,
     * {@code resourceField} for a missing queue or bucket, the endpoint (or region) when nothing answers.
     */
    static InvalidInputException probeFailure(ConnectorConfig config, SdkException e, String resourceField,
                                              Set<String> missingCodes) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            var code = String.valueOf(service.awsErrorDetails().errorCode());
            var message = service.awsErrorDetails().errorMessage();
            if (BAD_KEY_CODES.contains(code) || service.statusCode() == 401) {
                return config.invalid("aws_access_key", "was refused by AWS (" + code + "): check aws_access_key "
                    + "and aws_secret_key");
            }
            if (missingCodes.contains(code) || service.statusCode() == 404) {
                return config.invalid(resourceField, "does not exist (" + code + ")");
            }
            if (service.statusCode() == 403) {
                return config.invalid("aws_access_key", "is not allowed to use " + config.path(resourceField)
                    + " (" + code + ": " + message + ")");
            }
            return config.invalid(resourceField, "was refused: " + code + ": " + message);
        }
        var field = config.has("endpoint") ? "endpoint" : "aws_region";
        var why = e instanceof SdkClientException && e.getCause() != null ? e.getCause().toString() : e.getMessage();
        return config.invalid(field, "cannot reach the service: " + why);
    }
}
