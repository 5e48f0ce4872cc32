package io.riffle.connectors.cloud;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Source;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The {@code google_pubsub} source (GlassFlow's fields {@code project_id, subscription_id, credentials_json};
 * Riffle adds {@code endpoint} and {@code max_messages}). Pulls from the subscription over Pub/Sub's documented
 * REST API with a service-account token signed by the JDK; acknowledges a batch only after the pipeline's input
 * stream stored it; the Pub/Sub message id is the dedupe id.
 */
public final class PubSubSourceFactory implements ConnectorFactory {
    static final URI DEFAULT_ENDPOINT = URI.create("https://pubsub.googleapis.com");
    private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9.:-]{3,62}");
    private static final Pattern SUBSCRIPTION = Pattern.compile("[A-Za-z][A-Za-z0-9._~+%-]{2,254}");

    @Override
    public String kind() {
        return "google_pubsub";
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
        try (var http = new JsonHttp()) {
            var api = new PubSubApi(http, s, Duration.ofSeconds(5));
            var response = api.getSubscription();
            if (response.status() == 404) {
                throw config.invalid("subscription_id", "'" + s.subscription() + "' does not exist in project '"
                    + s.project() + "'");
            }
            if (response.status() == 401 || response.status() == 403) {
                throw config.invalid("credentials_json", "is not allowed to read " + s.path() + " (HTTP "
                    + response.status() + ")");
            }
        } catch (GoogleServiceAccount.TokenRefusedException e) {
            throw config.invalid("credentials_json", e.getMessage());
        } catch (IOException e) {
            throw config.invalid(config.has("endpoint") ? "endpoint" : "project_id", "cannot reach Pub/Sub at "
                + s.endpoint() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw config.invalid("project_id", "interrupted while checking Pub/Sub");
        }
    }

    @Override
    public Source openSource(ConnectorConfig config) {
        return new PubSubSource(settings(config));
    }

    static PubSubSettings settings(ConnectorConfig config) {
        var project = config.string("project_id");
        if (!PROJECT.matcher(project).matches()) {
            throw config.invalid("project_id", "must be a Google Cloud project id; got '" + project + "'");
        }
        var subscription = config.string("subscription_id");
        if (subscription.startsWith("projects/")) {
            subscription = subscription.substring(subscription.lastIndexOf('/') + 1);
        }
        if (!SUBSCRIPTION.matcher(subscription).matches()) {
            throw config.invalid("subscription_id", "must be a subscription name; got '" + subscription + "'");
        }
        var endpointText = config.string("endpoint", null);
        var custom = endpointText != null && !endpointText.isBlank();
        var endpoint = custom ? AwsSettings.httpUri(config, "endpoint", endpointText) : DEFAULT_ENDPOINT;
        // With an endpoint of its own (the Pub/Sub emulator) a key without private_key means "no authentication".
        var account = GoogleServiceAccount.of(config, custom, Clock.systemUTC());
        var max = config.integer("max_messages", 100, 1, 1000);
        return new PubSubSettings(project, subscription, endpoint, account, max);
    }

    /** The validated configuration of one {@code google_pubsub} source; {@code account} null for an emulator. */
    record PubSubSettings(String project, String subscription, URI endpoint, GoogleServiceAccount account,
                          int maxMessages) {
        String path() {
            return "projects/" + project + "/subscriptions/" + subscription;
        }

        @Override
        public String toString() {
            return "PubSubSettings[" + endpoint + "/" + path() + "]";
        }
    }
}
