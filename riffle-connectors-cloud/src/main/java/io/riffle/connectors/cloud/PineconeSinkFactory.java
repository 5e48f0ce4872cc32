package io.riffle.connectors.cloud;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Sink;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code pinecone_json} sink (GlassFlow's fields {@code api_key, api_host, index_host, api_source_tag,
 * client_headers}). Upserts vectors over Pinecone's documented data-plane HTTP API
 * ({@code POST https://<index_host>/vectors/upsert}); an upsert by id is idempotent, so a retried batch
 * overwrites.
 */
public final class PineconeSinkFactory implements ConnectorFactory {
    static final String API_VERSION = "2025-04";
    private static final java.util.Set<String> RESTRICTED = java.util.Set.of("host", "connection", "content-length",
        "expect", "upgrade", "content-type", "accept", "api-key");

    @Override
    public String kind() {
        return "pinecone_json";
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
        try (var http = new JsonHttp()) {
            var timeout = Duration.ofSeconds(5);
            JsonHttp.Response indexes;
            try {
                indexes = http.get(URI.create(s.apiHost() + "/indexes"), s.headers(), timeout);
            } catch (IOException e) {
                throw config.invalid("api_host", "cannot reach Pinecone at " + s.apiHost() + ": " + e);
            }
            if (indexes.status() == 401 || indexes.status() == 403) {
                throw config.invalid("api_key", "was refused by Pinecone (HTTP " + indexes.status() + ")");
            }
            JsonHttp.Response stats;
            try {
                stats = http.post(URI.create(s.indexHost() + "/describe_index_stats"), s.headers(),
                    Payloads.JSON.createObjectNode(), timeout);
            } catch (IOException e) {
                throw config.invalid("index_host", "cannot reach the index at " + s.indexHost() + ": " + e);
            }
            if (stats.status() == 401 || stats.status() == 403) {
                throw config.invalid("api_key", "is not allowed to use " + s.indexHost() + " (HTTP "
                    + stats.status() + ")");
            }
            if (!stats.ok()) {
                throw config.invalid("index_host", "answered HTTP " + stats.status() + ": " + stats.excerpt());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw config.invalid("index_host", "interrupted while checking Pinecone");
        }
    }

    @Override
    public Sink openSink(ConnectorConfig config) {
        return new PineconeSink(new JsonHttp(), settings(config));
    }

    static PineconeSettings settings(ConnectorConfig config) {
        var apiKey = java.util.Objects.requireNonNullElse(SecretFields.required(config, "api_key"), "");
        var apiHost = host(config, "api_host");
        var indexHost = host(config, "index_host");
        var headers = new LinkedHashMap<String, String>();
        config.pairs("client_headers").forEach((name, value) -> {
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                throw config.invalid("client_headers", "cannot set the header '" + name + "'");
            }
            headers.put(name, value);
        });
        headers.put("Api-Key", apiKey);
        headers.put("X-Pinecone-API-Version", API_VERSION);
        var tag = sourceTag(config.string("api_source_tag", ""));
        headers.put("User-Agent", "riffle" + (tag.isEmpty() ? "" : "; source_tag=" + tag));
        return new PineconeSettings(apiHost, indexHost, Map.copyOf(headers));
    }

    private static URI host(ConnectorConfig config, String field) {
        var text = config.string(field).strip();
        var url = text.contains("://") ? text : "https://" + text;
        var uri = AwsSettings.httpUri(config, field, url);
        return URI.create(uri.getScheme() + "://" + uri.getAuthority());
    }

    /** Pinecone's normalisation of a source tag: lower case, runs of spaces as {@code _}, only [a-z0-9_ :]. */
    static String sourceTag(String tag) {
        return tag.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", "_").replaceAll("[^a-z0-9_:]", "");
    }

    /** The validated configuration of one {@code pinecone_json} sink. {@code headers} holds the API key. */
    record PineconeSettings(URI apiHost, URI indexHost, Map<String, String> headers) {
        @Override
        public String toString() {
            return "PineconeSettings[" + indexHost + "]";
        }
    }
}
