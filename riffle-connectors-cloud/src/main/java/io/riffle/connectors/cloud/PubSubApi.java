package io.riffle.connectors.cloud;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The three Pub/Sub REST calls the source makes (v1: subscriptions.get, pull, acknowledge). */
final class PubSubApi {
    private final JsonHttp http;
    private final PubSubSourceFactory.PubSubSettings settings;
    private final Duration timeout;

    PubSubApi(JsonHttp http, PubSubSourceFactory.PubSubSettings settings, Duration timeout) {
        this.http = http;
        this.settings = settings;
        this.timeout = timeout;
    }

    JsonHttp.Response getSubscription() throws IOException, InterruptedException {
        return http.get(uri(""), headers(), timeout);
    }

    JsonHttp.Response pull() throws IOException, InterruptedException {
        var body = Payloads.JSON.createObjectNode().put("maxMessages", settings.maxMessages());
        return http.post(uri(":pull"), headers(), body, timeout);
    }

    JsonHttp.Response acknowledge(List<String> ackIds) throws IOException, InterruptedException {
        var body = Payloads.JSON.createObjectNode();
        var ids = body.putArray("ackIds");
        ackIds.forEach(ids::add);
        return http.post(uri(":acknowledge"), headers(), body, timeout);
    }

    private URI uri(String verb) {
        return URI.create(settings.endpoint() + "/v1/" + settings.path() + verb);
    }

    private Map<String, String> headers() throws IOException, InterruptedException {
        var account = settings.account();
        return account == null ? Map.of() : Map.of("Authorization", "Bearer " + account.accessToken(http));
    }
}
