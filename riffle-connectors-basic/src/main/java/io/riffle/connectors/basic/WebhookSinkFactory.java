package io.riffle.connectors.basic;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Sink;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code webhook} sink (GlassFlow's name and fields): each result is sent as the body of one HTTP request to
 * {@code url}. Fields: {@code url} (required, http or https), {@code method} (POST, PUT or PATCH; default POST),
 * {@code headers} ({@code [{name, value}]}), {@code hmac_secret} (signs the body), {@code timeout_ms}
 * (per request, default 10000).
 */
public final class WebhookSinkFactory implements ConnectorFactory {
    static final List<String> METHODS = List.of("POST", "PUT", "PATCH");
    static final int DEFAULT_TIMEOUT_MS = 10_000;

    @Override
    public String kind() {
        return "webhook";
    }

    @Override
    public Direction direction() {
        return Direction.SINK;
    }

    @Override
    public void validate(ConnectorConfig config) {
        settings(config);
    }

    /** Refuses a host name that does not resolve (a receiver that is merely down is accepted: it may come up). */
    @Override
    public void probe(ConnectorConfig config) {
        var url = settings(config).url();
        try {
            InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            throw config.invalid("url", "host '" + url.getHost() + "' does not resolve");
        }
    }

    @Override
    public Sink openSink(ConnectorConfig config) {
        return new WebhookSink(settings(config));
    }

    /** The checked fields. */
    record Settings(URI url, String method, Map<String, String> headers, String hmacSecret, Duration timeout) {
    }

    static Settings settings(ConnectorConfig config) {
        var text = config.string("url");
        URI url;
        try {
            url = URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw config.invalid("url", "is not a URL: '" + text + "'");
        }
        var scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw config.invalid("url", "must be an http:// or https:// URL with a host; got '" + text + "'");
        }
        var method = config.choice("method", "POST", METHODS);
        var headers = config.pairs("headers");
        for (var name : headers.keySet()) {
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw config.invalid("headers", "'" + name + "' is not a valid header name");
            }
            if (WebhookSink.RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                throw config.invalid("headers", "'" + name + "' is set by Riffle or the HTTP client; remove it");
            }
        }
        var secret = config.has("hmac_secret") || config.isSecret("hmac_secret") ? config.string("hmac_secret") : null;
        int timeout = config.integer("timeout_ms", DEFAULT_TIMEOUT_MS, 100, 300_000);
        return new Settings(url, method, headers, secret, Duration.ofMillis(timeout));
    }
}
