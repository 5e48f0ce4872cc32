package io.riffle.connectors.cloud;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Sink;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * The {@code snowflake_cdc_json} sink (GlassFlow's fields {@code account, warehouse, db_user, db_pass, db_name,
 * db_schema, db_host, db_port, db_role}). Each result {@code {operation, schema, table, columns, filters}} becomes
 * one INSERT, UPDATE or DELETE with bind variables, run through Snowflake's documented SQL API
 * ({@code POST /api/v2/statements}) with a request id derived from the record id, so a resubmitted result is run
 * once.
 */
public final class SnowflakeSinkFactory implements ConnectorFactory {
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,254}");

    @Override
    public String kind() {
        return "snowflake_cdc_json";
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
        try (var api = new SnowflakeApi(new JsonHttp(), s, java.time.Duration.ofSeconds(10))) {
            var response = api.execute(new SnowflakeStatements.Statement(s.schema(), "SELECT 1", java.util.List.of()),
                null);
            if (response.status() == 401 || response.status() == 403) {
                throw config.invalid("db_pass", "was refused by Snowflake for user '" + config.string("db_user")
                    + "' (HTTP " + response.status() + "): " + response.excerpt());
            }
            if (!response.ok()) {
                throw config.invalid("db_name", "Snowflake refused SELECT 1 in " + s.database() + "." + s.schema()
                    + " (HTTP " + response.status() + "): " + response.excerpt());
            }
        } catch (IOException e) {
            throw config.invalid(config.has("db_host") ? "db_host" : "account", "cannot reach Snowflake at "
                + s.base() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw config.invalid("account", "interrupted while checking Snowflake");
        }
    }

    @Override
    public Sink openSink(ConnectorConfig config) {
        var s = settings(config);
        return new SnowflakeSink(new SnowflakeApi(new JsonHttp(), s, java.time.Duration.ofSeconds(60)), s);
    }

    static SnowflakeSettings settings(ConnectorConfig config) {
        var account = config.string("account");
        if (!ACCOUNT.matcher(account).matches()) {
            throw config.invalid("account", "must be a Snowflake account identifier such as myorg-myaccount; got '"
                + account + "'");
        }
        var warehouse = config.string("warehouse");
        var user = config.string("db_user");
        var pass = SecretFields.required(config, "db_pass");
        var database = config.string("db_name");
        var schema = config.string("db_schema");
        var role = config.string("db_role", null);
        var port = config.integer("db_port", 443, 1, 65535);
        var hostText = config.string("db_host", account + ".snowflakecomputing.com").strip();
        var base = hostText.startsWith("http://") || hostText.startsWith("https://")
            ? AwsSettings.httpUri(config, "db_host", hostText)
            : AwsSettings.httpUri(config, "db_host", "https://" + hostText + ":" + port);
        SnowflakeAuth auth;
        try {
            auth = pass == null ? null : new SnowflakeAuth(account, user, pass, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw config.invalid("db_pass", "private key " + e.getMessage());
        }
        return new SnowflakeSettings(URI.create(base.getScheme() + "://" + base.getAuthority()), warehouse, database,
            schema, role, auth);
    }

    /** The validated configuration of one {@code snowflake_cdc_json} sink. */
    record SnowflakeSettings(URI base, String warehouse, String database, String schema, String role,
                             SnowflakeAuth auth) {
        @Override
        public String toString() {
            return "SnowflakeSettings[" + base + ", " + database + "." + schema + "]";
        }
    }
}
