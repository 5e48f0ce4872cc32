package io.riffle.connectors.cloud;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Sink;
import io.riffle.core.InvalidInputException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * The {@code clickhouse} sink (GlassFlow's fields {@code addr, database, username, password, table}). Results are
 * flat JSON objects {@code {column: value}}, inserted in batches as {@code JSONEachRow} through ClickHouse's HTTP
 * interface; {@code {}} is skipped. {@code addr} may be a URL or {@code host:port}; GlassFlow's native-protocol
 * ports map to the HTTP ones (9000 to 8123, 9440 to 8443 over TLS).
 */
public final class ClickHouseSinkFactory implements ConnectorFactory {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public String kind() {
        return "clickhouse";
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
        try (var client = new ClickHouseHttp(s, Duration.ofSeconds(5))) {
            var exists = client.query("EXISTS TABLE " + s.qualifiedTable());
            if (!exists.strip().equals("1")) {
                throw config.invalid("table", "'" + s.table() + "' does not exist in database '" + s.database() + "'");
            }
        } catch (ClickHouseHttp.ServerError e) {
            throw probeFailure(config, e);
        } catch (IOException e) {
            throw config.invalid("addr", "cannot reach ClickHouse at " + s.base() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw config.invalid("addr", "interrupted while checking ClickHouse at " + s.base());
        }
    }

    private static InvalidInputException probeFailure(ConnectorConfig config, ClickHouseHttp.ServerError e) {
        return switch (e.code()) {
            case 192, 193, 194, 516 -> config.invalid("password", "ClickHouse refused user '"
                + config.string("username") + "' (code " + e.code() + "): check username and password");
            case 81 -> config.invalid("database", "'" + config.string("database") + "' does not exist");
            case 60 -> config.invalid("table", "'" + config.string("table") + "' does not exist");
            default -> config.invalid("addr", "ClickHouse answered " + e.getMessage());
        };
    }

    @Override
    public Sink openSink(ConnectorConfig config) {
        var s = settings(config);
        return new ClickHouseSink(new ClickHouseHttp(s, REQUEST_TIMEOUT), s);
    }

    static ClickHouseSettings settings(ConnectorConfig config) {
        var base = base(config, config.string("addr"));
        var database = config.string("database");
        var username = config.string("username");
        var password = SecretFields.optional(config, "password", "");
        var table = config.string("table");
        return new ClickHouseSettings(base, database, username, password, table);
    }

    /** The HTTP base URL for {@code addr}. */
    static URI base(ConnectorConfig config, String addr) {
        var text = addr.strip();
        if (text.startsWith("http://") || text.startsWith("https://")) {
            var uri = AwsSettings.httpUri(config, "addr", text);
            return URI.create(uri.getScheme() + "://" + uri.getAuthority());
        }
        if (text.contains("/") || text.contains("@") || text.isEmpty()) {
            throw config.invalid("addr", "must be host:port or an http(s):// URL; got '" + addr + "'");
        }
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? text : text.substring(0, colon);
        int port = 8123;
        if (colon >= 0) {
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw config.invalid("addr", "must be host:port; got '" + addr + "'");
            }
            if (port < 1 || port > 65535) {
                throw config.invalid("addr", "port must be between 1 and 65535; got " + port);
            }
        }
        return switch (port) {
            case 9000 -> URI.create("http://" + host + ":8123");
            case 9440, 8443 -> URI.create("https://" + host + ":8443");
            default -> URI.create("http://" + host + ":" + port);
        };
    }

    /** The validated configuration of one {@code clickhouse} sink. */
    record ClickHouseSettings(URI base, String database, String username, String password, String table) {
        String qualifiedTable() {
            return quote(database) + "." + quote(table);
        }

        static String quote(String identifier) {
            return "`" + identifier.replace("\\", "\\\\").replace("`", "\\`") + "`";
        }

        @Override
        public String toString() {
            return "ClickHouseSettings[" + base + ", " + database + "." + table + ", user " + username + "]";
        }
    }
}
