package io.riffle.server;

import io.riffle.core.InvalidInputException;

/**
 * Settings of the HTTP API.
 *
 * @param host          address to listen on
 * @param port          port to listen on (0 = any free port)
 * @param maxEventBytes largest event body accepted by publish (413 beyond)
 * @param maxBodyBytes  largest request body of any kind (function sources, batches)
 */
public record ServerConfig(String host, int port, int maxEventBytes, int maxBodyBytes) {
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_BODY_BYTES = 16 << 20;

    public ServerConfig {
        if (port < 0 || port > 65_535) {
            throw new InvalidInputException("RIFFLE_HTTP_PORT must be a port number; got " + port);
        }
        if (maxEventBytes < 1024 || maxEventBytes > maxBodyBytes) {
            throw new InvalidInputException("RIFFLE_MAX_EVENT_BYTES must be between 1024 and " + maxBodyBytes
                + "; got " + maxEventBytes);
        }
    }

    public static ServerConfig of(String host, int port) {
        return new ServerConfig(host, port, DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_BODY_BYTES);
    }
}
