package io.riffle.connectors.basic;

import io.riffle.connectors.Rejection;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.RiffleException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends results one request each, in order. 2xx: delivered. 408, 429, 5xx, timeouts and connection errors: the batch
 * fails (retried with backoff). Any other status: that result is refused with the status and the start of the body.
 * Used by one thread.
 */
final class WebhookSink implements io.riffle.connectors.Sink {
    static final String EVENT_ID = "X-Riffle-Event-Id";
    static final String SIGNATURE = "X-Riffle-Signature";
    static final Set<String> RESERVED = Set.of("content-length", "host", "connection", "upgrade", "expect",
        "x-riffle-event-id", "x-riffle-signature");
    private static final int EXCERPT = 300;
    private final WebhookSinkFactory.Settings settings;
    private final HttpClient http;

    WebhookSink(WebhookSinkFactory.Settings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public List<Rejection> write(List<SinkRecord> records) throws InterruptedException {
        var rejected = new ArrayList<Rejection>();
        for (var r : records) {
            var response = send(r);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                continue;
            }
            var what = settings.method() + " " + settings.url() + " answered " + status + excerpt(response.body());
            if (retriable(status)) {
                throw new RiffleException(what);
            }
            rejected.add(new Rejection(r, what));
        }
        return rejected;
    }

    private HttpResponse<byte[]> send(SinkRecord r) throws InterruptedException {
        var where = settings.method() + " " + settings.url();
        try {
            return http.send(request(r), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new io.riffle.core.UnavailableException(where + ": no answer within "
                + settings.timeout().toMillis() + " ms", e);
        } catch (IOException e) {
            var cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
            var text = cause.getMessage() == null ? "" : ": " + cause.getMessage();
            throw new io.riffle.core.UnavailableException(where + " failed: " + cause.getClass().getSimpleName()
                + (cause instanceof java.net.ConnectException && text.isEmpty() ? " (connection refused)" : text), e);
        }
    }

    /** Statuses worth trying again: the receiver is overloaded, down or timed out. */
    static boolean retriable(int status) {
        return status == 408 || status == 429 || status >= 500 || status < 200;
    }

    private HttpRequest request(SinkRecord r) {
        var b = HttpRequest.newBuilder(settings.url()).timeout(settings.timeout())
            .method(settings.method(), HttpRequest.BodyPublishers.ofByteArray(r.payload()))
            .header("Content-Type", "application/json").header(EVENT_ID, r.id());
        settings.headers().forEach(b::setHeader);
        if (settings.hmacSecret() != null) {
            b.header(SIGNATURE, "sha256=" + sign(settings.hmacSecret(), r.payload()));
        }
        return b.build();
    }

    /** Lower-case hex HMAC-SHA256 of {@code body} with {@code secret}. */
    static String sign(String secret, byte[] body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        var text = new String(body, 0, Math.min(body.length, EXCERPT * 4), StandardCharsets.UTF_8).strip();
        return ": " + (text.length() > EXCERPT ? text.substring(0, EXCERPT) + "…" : text);
    }

    @Override
    public void close() {
        http.close();
    }
}
