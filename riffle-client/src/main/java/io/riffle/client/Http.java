package io.riffle.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The HTTP transport shared by every part of the client: one {@link HttpClient}, JSON in and out, error mapping. */
final class Http {
    /** snake_case on the wire, records in Java; unknown fields are ignored so newer servers stay compatible. */
    static final ObjectMapper JSON = new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final String USER_AGENT = "riffle-java/0.1.0";

    private final HttpClient client;
    private final URI base;
    private final String token;
    private final Duration timeout;

    Http(HttpClient client, URI base, String token, Duration timeout) {
        this.client = client;
        this.base = base;
        this.token = token;
        this.timeout = timeout;
    }

    /** The same server with another credential, sent as {@code X-PIPELINE-ACCESS-TOKEN} by data-plane calls. */
    Http withToken(String otherToken) {
        return new Http(client, base, otherToken, timeout);
    }

    String token() {
        return token;
    }

    URI base() {
        return base;
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType, Map<String, String> headers) {
        var builder = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("User-Agent", USER_AGENT)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        headers.forEach(builder::header);
        var what = method + " " + path;
        HttpResponse<byte[]> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RiffleClientException("cannot reach the Riffle server at " + base + " (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RiffleClientException("interrupted while waiting for " + what, e);
        }
        if (response.statusCode() >= 400) {
            throw Errors.of(response.statusCode(), response.body(),
                response.headers().firstValue("Retry-After").orElse(null), what);
        }
        return response;
    }

    /** A management call authorised by the personal access token. */
    HttpResponse<byte[]> call(String method, String path, Object jsonBody) {
        return send(method, path, jsonBody == null ? null : write(jsonBody), jsonBody == null ? null
            : "application/json", Map.of("Authorization", "Bearer " + token));
    }

    <T> T call(String method, String path, Object jsonBody, Class<T> type) {
        return read(call(method, path, jsonBody).body(), JSON.constructType(type));
    }

    <T> T call(String method, String path, Object jsonBody, TypeReference<T> type) {
        return read(call(method, path, jsonBody).body(), JSON.constructType(type));
    }

    /** A data-plane call authorised by the pipeline access token. */
    HttpResponse<byte[]> data(String method, String path, byte[] body, String contentType) {
        return send(method, path, body, contentType, Map.of("X-PIPELINE-ACCESS-TOKEN", token));
    }

    static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static <T> T read(byte[] body, JavaType type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new RiffleClientException(0, "the server sent an answer this client cannot read as "
                + type.getRawClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static <T> T read(byte[] body, Class<T> type) {
        return read(body, JSON.constructType(type));
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String describe(IOException e) {
        var m = e.getMessage();
        if (e instanceof java.net.ConnectException) {
            return "connection refused; is it running?";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
