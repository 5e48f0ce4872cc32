package io.riffle.connectors.messaging;

import io.riffle.connectors.ConnectorConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Where a Redis connector connects: {@code host}, {@code port}, {@code username}, {@code password},
 * {@code database}, {@code tls}, and the {@code stream} key.
 */
record RedisEndpoint(String host, int port, String username, String password, int database, boolean tls,
                     String stream) {
    static final int DEFAULT_PORT = 6379;
    static final int CONNECT_TIMEOUT_MS = 5_000;

    /**
     * Reads and checks the fields.
     *
     * @param withSecrets false to check the fields only (a {@code secret_ref} password is then not resolved)
     */
    static RedisEndpoint of(ConnectorConfig config, boolean withSecrets) {
        var host = config.string("host");
        var port = config.integer("port", DEFAULT_PORT, 1, 65535);
        var database = config.integer("database", 0, 0, 1_000_000);
        var tls = config.bool("tls", false);
        var stream = config.string("stream");
        var username = Credentials.read(config, "username", null, withSecrets);
        var password = Credentials.read(config, "password", null, withSecrets);
        return new RedisEndpoint(host, port, username, password, database, tls, stream);
    }

    /** A new connection; {@code readTimeoutMs} bounds every reply (blocking reads included). */
    Jedis connect(int readTimeoutMs) {
        var client = DefaultJedisClientConfig.builder()
            .resp2()
            .connectionTimeoutMillis(CONNECT_TIMEOUT_MS)
            .socketTimeoutMillis(readTimeoutMs)
            .blockingSocketTimeoutMillis(readTimeoutMs)
            .user(username)
            .password(password)
            .database(database)
            .ssl(tls)
            .clientName("riffle")
            .build();
        var jedis = new Jedis(new HostAndPort(host, port), client);
        try {
            jedis.ping();
            return jedis;
        } catch (RuntimeException e) {
            jedis.close();
            throw e;
        }
    }

    /**
     * Connects, authenticates, selects the database and checks that the stream key is a stream or absent.
     *
     * @throws io.riffle.core.InvalidInputException naming the field at fault
     */
    static void probe(ConnectorConfig config) {
        var endpoint = of(config, true);
        try (var jedis = endpoint.connect(CONNECT_TIMEOUT_MS)) {
            var type = jedis.type(endpoint.stream());
            if (!type.equals("none") && !type.equals("stream")) {
                throw config.invalid("stream", "key '" + endpoint.stream() + "' holds a " + type + ", not a stream");
            }
        } catch (JedisConnectionException e) {
            throw Failures.probe(config, "host", "cannot connect to redis at " + endpoint.where(), e);
        } catch (JedisDataException e) {
            var message = String.valueOf(e.getMessage());
            if (message.startsWith("ERR DB index") || message.contains("out of range")) {
                throw Failures.probe(config, "database", "refused by redis", e);
            }
            if (message.contains("WRONGPASS") || message.contains("NOAUTH") || message.contains("AUTH")) {
                throw Failures.probe(config, "password", "username/password refused by redis at "
                    + endpoint.where(), e);
            }
            throw Failures.probe(config, "host", "redis at " + endpoint.where() + " refused the connection", e);
        }
    }

    /** {@code host:port}, for messages. */
    String where() {
        return host + ":" + port;
    }
}
