package io.riffle.connectors.cloud;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.UUID;

/** Snowflake's SQL API v2: submit a statement, follow it while it runs (HTTP 202). */
final class SnowflakeApi implements AutoCloseable {
    private final JsonHttp http;
    private final SnowflakeSinkFactory.SnowflakeSettings settings;
    private final Duration timeout;

    SnowflakeApi(JsonHttp http, SnowflakeSinkFactory.SnowflakeSettings settings, Duration timeout) {
        this.http = http;
        this.settings = settings;
        this.timeout = timeout;
    }

    /** The SQL API request id of a record: a name-based UUID of its id, the same on every resubmission. */
    static UUID requestId(String recordId) {
        return UUID.nameUUIDFromBytes(("riffle:" + recordId).getBytes(StandardCharsets.UTF_8));
    }

    /** Runs {@code statement}; {@code recordId} (nullable) makes the submission idempotent. */
    JsonHttp.Response execute(SnowflakeStatements.Statement statement, String recordId)
        throws IOException, InterruptedException {
        var body = Payloads.JSON.createObjectNode().put("statement", statement.sql())
            .put("timeout", timeout.toSeconds()).put("database", settings.database())
            .put("schema", statement.schema()).put("warehouse", settings.warehouse());
        if (settings.role() != null) {
            body.put("role", settings.role());
        }
        if (!statement.bindings().isEmpty()) {
            var bindings = body.putObject("bindings");
            for (int i = 0; i < statement.bindings().size(); i++) {
                var b = statement.bindings().get(i);
                bindings.putObject(Integer.toString(i + 1)).put("type", b.type()).put("value", b.value());
            }
        }
        var query = recordId == null ? "" : "?requestId=" + requestId(recordId) + "&retry=true";
        var response = http.post(URI.create(settings.base() + "/api/v2/statements" + query), headers(), body,
            timeout.plusSeconds(10));
        var deadline = Instant.now().plus(timeout);
        while (response.status() == 202 && Instant.now().isBefore(deadline)) {
            var handle = response.json().path("statementHandle").asText("");
            Thread.sleep(500);
            response = http.get(URI.create(settings.base() + "/api/v2/statements/" + handle), headers(),
                timeout.plusSeconds(10));
        }
        return response;
    }

    private java.util.Map<String, String> headers() {
        var headers = new HashMap<>(settings.auth().headers());
        headers.put("User-Agent", "riffle");
        return headers;
    }

    @Override
    public void close() {
        http.close();
    }
}
