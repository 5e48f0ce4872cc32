package io.riffle.connectors.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** JSON over the JDK's HTTP client, for the vendors' documented REST APIs. */
final class JsonHttp implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private final HttpClient http;

    JsonHttp() {
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** An answer: status, body text, and the body parsed (a missing node when it is not JSON). */
    record Response(int status, String body, JsonNode json) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The first 300 characters of the body, for messages. */
        String excerpt() {
            var text = body.strip();
            return text.length() > 300 ? text.substring(0, 300) + "…" : text;
        }
    }

    Response post(URI uri, Map<String, String> headers, JsonNode body, Duration timeout)
        throws IOException, InterruptedException {
        return send(uri, headers, "application/json",
            HttpRequest.BodyPublishers.ofByteArray(Payloads.write(body)), "POST", timeout);
    }

    Response postForm(URI uri, String form, Duration timeout) throws IOException, InterruptedException {
        return send(uri, Map.of(), "application/x-www-form-urlencoded",
            HttpRequest.BodyPublishers.ofString(form), "POST", timeout);
    }

    Response get(URI uri, Map<String, String> headers, Duration timeout) throws IOException, InterruptedException {
        return send(uri, headers, null, HttpRequest.BodyPublishers.noBody(), "GET", timeout);
    }

    private Response send(URI uri, Map<String, String> headers, String contentType,
                          HttpRequest.BodyPublisher body, String method, Duration timeout)
        throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri).timeout(timeout).method(method, body)
            .header("Accept", "application/json");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        var text = response.body() == null ? "" : response.body();
        var json = Payloads.parse(text);
        return new Response(response.statusCode(), text,
            json == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : json);
    }

    /** Aborts requests in flight (a blocked pull returns with an exception). */
    @Override
    public void close() {
        http.shutdownNow();
    }
}
