package io.riffle.connectors.cloud;

import io.riffle.connectors.Rejection;
import io.riffle.connectors.Sink;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one statement per result, in order. A result that is not a valid change, and a statement Snowflake rejects
 * (HTTP 422: unknown column, conversion error), become dead letters; anything else (network, 401/403, 429, 5xx, a
 * statement still running after the timeout) retries the batch, whose finished statements Snowflake recognises by
 * their request ids.
 */
final class SnowflakeSink implements Sink {
    private final SnowflakeApi api;
    private final SnowflakeSinkFactory.SnowflakeSettings settings;

    SnowflakeSink(SnowflakeApi api, SnowflakeSinkFactory.SnowflakeSettings settings) {
        this.api = api;
        this.settings = settings;
    }

    @Override
    public List<Rejection> write(List<SinkRecord> records) throws Exception {
        var rejections = new ArrayList<Rejection>();
        for (var r : records) {
            SnowflakeStatements.Statement statement;
            try {
                statement = SnowflakeStatements.of(Payloads.parse(new String(r.payload(), StandardCharsets.UTF_8)),
                    settings.schema());
            } catch (IllegalArgumentException e) {
                rejections.add(new Rejection(r, e.getMessage()));
                continue;
            }
            var response = api.execute(statement, r.id());
            if (response.status() == 200) {
                continue;
            }
            if (response.status() == 422 || response.status() == 400) {
                rejections.add(new Rejection(r, "Snowflake rejected " + statement.sql() + " (HTTP "
                    + response.status() + ", sqlState " + response.json().path("sqlState").asText("?") + "): "
                    + response.json().path("message").asText(response.excerpt())));
                continue;
            }
            throw new UnavailableException("Snowflake answered HTTP " + response.status() + " at "
                + settings.base() + ": " + response.excerpt());
        }
        return rejections;
    }

    @Override
    public void close() {
        api.close();
    }
}
